"""displaCy-style article markup built server-side from character offsets.

Every piece of article text goes through :func:`markupsafe.escape` here, and so does every
attribute value; the result is the only ``Markup`` the article page renders.

Spans may nest (an actor inside a quote) or cross (a quote that ends inside an actor). Nesting is
rendered as nested elements; a span that crosses the end of an enclosing one is cut there and
continued after it, so the output is always well-formed HTML. The first piece of a span carries
its ``id`` (the anchor), later pieces carry ``hl-cont``; every piece carries ``data-span`` with the
span's key so scripts can highlight all of them, and only the last piece carries the label.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from dotterel.records.models import CodedDocument

#: Order for spans with identical offsets: lower renders outside.
LAYER_ORDER = {"quote": 0, "actor": 1, "time": 2, "mention": 3, "trigger": 4}
_CLASS_TOKEN = re.compile(r"[^a-z0-9-]+")


def css_token(value: object) -> str:
    """A safe class-name fragment: lowercase letters, digits and dashes only."""
    return _CLASS_TOKEN.sub("-", str(value).lower()).strip("-") or "none"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    layer: str
    key: str
    classes: tuple[str, ...] = ()
    title: str | None = None
    label: str | None = None
    data: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def _open_tag(span: Span, first: bool, last: bool) -> str:
    classes = ["hl", f"hl-{span.layer}", *span.classes]
    if not first:
        classes.append("hl-cont")
    attrs = [f'class="{escape(" ".join(classes))}"', f'data-span="{escape(span.key)}"']
    if first:
        attrs.append(f'id="{escape(span.key)}"')
    if span.title:
        attrs.append(f'title="{escape(span.title)}"')
    if last and span.label:
        attrs.append(f'data-label="{escape(span.label)}"')
    for name, value in span.data:
        attrs.append(f'data-{css_token(name)}="{escape(value)}"')
    return f"<mark {' '.join(attrs)}>"


def render_spans(text: str, spans: list[Span]) -> Markup:
    """``text`` as escaped HTML with ``spans`` wrapped in ``<mark>`` elements."""
    n = len(text)
    heap: list[tuple[int, int, int, int, Span, bool]] = []
    for i, s in enumerate(spans):
        start, end = max(0, s.start), min(n, s.end)
        if start < end:
            heap.append((start, -end, LAYER_ORDER.get(s.layer, 9), i, s, True))
    heapq.heapify(heap)

    out: list[str] = []
    pos = 0
    stack: list[int] = []  # end offsets of the open elements; innermost last, never increasing

    def emit_to(p: int) -> None:
        nonlocal pos
        if p > pos:
            out.append(str(escape(text[pos:p])))
            pos = p

    def close_to(p: int) -> None:
        while stack and stack[-1] <= p:
            emit_to(stack.pop())
            out.append("</mark>")

    while heap:
        start, neg_end, order, i, span, first = heapq.heappop(heap)
        end = -neg_end
        close_to(start)
        emit_to(start)
        if stack and end > stack[-1]:  # crosses the end of the innermost open span: cut it there
            cut = stack[-1]
            heapq.heappush(heap, (cut, -end, order, i, span, False))
            end, last = cut, False
        else:
            last = True
        out.append(_open_tag(span, first, last))
        stack.append(end)
    close_to(n)
    emit_to(n)
    return Markup("".join(out))


# -- spans of a coded document --------------------------------------------------------------------

def actor_key(i: int) -> str:
    return f"a{i}"


def event_key(event_id: str) -> str:
    return f"ev-{css_token(event_id)}"


def document_spans(coded: CodedDocument) -> list[Span]:
    spans: list[Span] = []
    for i, q in enumerate(coded.quotes):
        who = (q.speaker.name or q.speaker.text) if q.speaker else "unknown speaker"
        spans.append(Span(q.start, q.end, "quote", f"q{i}", (f"quote-{css_token(q.kind)}",),
                          title=f"{q.kind} quote · {who}" + (f" · cue: {q.cue}" if q.cue else "")))
    for i, a in enumerate(coded.actors):
        classes = [f"kind-{css_token(a.kind)}"]
        if a.sector:
            classes.append(f"sector-{css_token(a.sector)}")
        bits = [a.name or a.text, a.country or "country unknown", a.sector or "no sector", a.kind]
        if a.antecedent:
            bits.append(f"refers to “{a.antecedent}”")
        spans.append(Span(a.start, a.end, "actor", actor_key(i), tuple(classes), title=" · ".join(bits),
                          label=a.country or None))
    for i, t in enumerate(coded.times):
        spans.append(Span(t.start_char, t.end_char, "time", f"t{i}", (), title=f"time: {t.value or '?'} ({t.granularity or '?'})"))
    for e in coded.events:
        key = event_key(e.id)
        title = f"{e.event_type} ({e.cameo}) · {e.status} · {e.date.start or 'undated'}"
        status = (f"status-{css_token(e.status)}",)
        spans.append(Span(e.trigger.start, e.trigger.end, "trigger", key, status, title=title, label=e.event_type,
                          data=(("event", e.id),)))
        seen = {(e.trigger.start, e.trigger.end)}
        for k, m in enumerate(e.mentions):
            if (m.trigger.start, m.trigger.end) in seen:
                continue
            seen.add((m.trigger.start, m.trigger.end))
            spans.append(Span(m.trigger.start, m.trigger.end, "mention", f"{key}-m{k}", status,
                              title="another mention of " + title, data=(("event", e.id),)))
    return spans


def highlight_document(coded: CodedDocument, text: str) -> Markup:
    return render_spans(text, document_spans(coded))


def event_actor_keys(coded: CodedDocument) -> dict[str, list[str]]:
    """For each event id, the keys of the actor spans on its actor and recipient sides."""
    by_offsets: dict[tuple[int, int], str] = {}
    for i, a in enumerate(coded.actors):
        by_offsets.setdefault((a.start, a.end), actor_key(i))
    out: dict[str, list[str]] = {}
    for e in coded.events:
        keys = [by_offsets[(a.start, a.end)] for a in (*e.actor, *e.recipient) if (a.start, a.end) in by_offsets]
        out[e.id] = list(dict.fromkeys(keys))
    return out
