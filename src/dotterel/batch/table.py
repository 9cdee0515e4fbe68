"""A readable terminal summary of coded documents (``dotterel code --format table``, ``make demo``)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from dotterel.records.models import CodedDocument, SideActor

STATUS_STYLE = {"asserted": "bold green", "planned": "cyan", "reported": "blue", "hypothetical": "magenta",
                "negated": "red", "denied": "red", "unconfirmed": "yellow"}


def _side(actors: list[SideActor]) -> str:
    return " + ".join(f"{a.name or a.text} ({a.country or '?'}{'/' + a.sector if a.sector else ''})" for a in actors) or "—"


def print_document(coded: CodedDocument, console: Console) -> None:
    d = coded.doc
    console.rule(f"[bold]{d.title or d.id}[/]  [dim]{d.id} · published {d.published or 'unknown'} ({d.published_basis})[/]")
    if coded.errors:
        for problem in coded.errors:
            console.print(f"[red]error {problem.code}[/]: {problem.message}")
        return
    for e in coded.events:
        date = e.date.start or "date unknown"
        if e.date.end and e.date.end != e.date.start:
            date += f"…{e.date.end[5:]}"
        if e.date.basis == "publication":
            date += "*"
        kind = e.event_type + (f"/{e.mode}" if e.mode else "") + f" {e.cameo}"
        arrow = " ⇄ " if e.reciprocal else " → "
        head = Text.assemble((f"{kind:<20}", "bold"), (f"{e.status:<13}", STATUS_STYLE.get(e.status, "")),
                             _side(e.actor), arrow, _side(e.recipient), ("  " + date, "cyan"))
        if e.derived_from:
            head.append("  (stated intention)", "dim")
        console.print(head, overflow="fold")
        evidence = Text(f"    “{e.trigger.text}” — {e.sentence_text}", style="dim")
        evidence.truncate(max(40, console.width), overflow="ellipsis")
        console.print(evidence, no_wrap=True, overflow="ellipsis")
    console.print(f"[dim]{len(coded.events)} events, {len(coded.actors)} actor mentions, {len(coded.quotes)} quotes, "
                  f"{len(coded.times)} time expressions · * = dated by publication date[/]")
    for q in coded.quotes[:8]:
        who = q.speaker.name or q.speaker.text if q.speaker else "unknown speaker"
        console.print(f"  [italic]“{q.text[:100]}{'…' if len(q.text) > 100 else ''}”[/] — {who} ({q.kind}, {q.cue or '-'})")
