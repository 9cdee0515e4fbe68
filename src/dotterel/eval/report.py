"""Printing and writing evaluation results (rich tables, JSON), and :func:`run_eval`, the one
function behind ``dotterel eval``."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from dotterel.eval.gate import Failure, check_result, load_baseline, make_baseline
from dotterel.eval.gsr import NONE
from dotterel.eval.score import EvalResult, SetScore, evaluate
from dotterel.records.models import EVENT_TYPES


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def summary_table(s: SetScore) -> Table:
    unit = "records" if s.kind == "sentences" else "articles"
    table = Table(title=f"{s.name} — {s.items} {unit} ({s.path}), {s.seconds:.1f} s", title_justify="left")
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("hits / total", justify="right")
    for name, m in s.metrics.items():
        count = f"{m.hits} / {m.total}" if m.total is not None else ""
        table.add_row(name, _fmt(m.value), count)
    return table


def per_type_table(s: SetScore) -> Table:
    what = "sentences" if s.kind == "sentences" else "events"
    table = Table(title=f"{s.name}: per-type precision / recall / F1 ({what})", title_justify="left")
    for col in ("type", "gold", "coded", "precision", "recall", "F1"):
        table.add_column(col, justify="left" if col == "type" else "right")
    for t, c in s.per_type.items():
        table.add_row(t, str(c.gold), str(c.pred), _fmt(c.precision), _fmt(c.recall), _fmt(c.f1))
    return table


#: Three-letter column heads for the confusion matrix.
ABBREV = {"AGREE": "AGR", "CONSULT": "CNS", "SUPPORT": "SUP", "CONCEDE": "CNC", "COOPERATE": "COO", "AID": "AID",
          "RETREAT": "RET", "REQUEST": "REQ", "ACCUSE": "ACC", "REJECT": "REJ", "THREATEN": "THR", "PROTEST": "PRO",
          "SANCTION": "SAN", "MOBILIZE": "MOB", "COERCE": "COE", "ASSAULT": "ASL", NONE: "NON"}


def confusion_table(s: SetScore) -> Table:
    order = [*EVENT_TYPES, NONE]
    rows = [t for t in order if t in s.confusion]
    cols = [t for t in order if t in rows or any(t in r for r in s.confusion.values())]
    table = Table(title=f"{s.name}: confusion, gold type (rows) × coder top type (columns)", title_justify="left",
                  box=box.SIMPLE_HEAD, padding=0, pad_edge=False)
    table.add_column("gold", no_wrap=True)
    for c in cols:
        table.add_column(ABBREV.get(c, c[:3]), justify="right", no_wrap=True, min_width=3)
    for r in rows:
        cells = []
        for c in cols:
            n = s.confusion[r].get(c, 0)
            cells.append(Text(str(n) if n else "·", style=("bold green" if r == c else "red") if n else "dim"))
        table.add_row(r, *cells)
    return table


def trap_table(s: SetScore) -> Table:
    names = list(next(iter(s.per_trap.values())).keys())
    table = Table(title=f"{s.name}: accuracy by trap (records carrying each label; mention = resolution_country)",
                  title_justify="left")
    table.add_column("trap", no_wrap=True)
    table.add_column("n", justify="right")
    short = {"type_found": "found", "type_accuracy": "type", "actor_accuracy": "actor", "recipient_accuracy": "recip",
             "status_accuracy": "status", "resolution_country": "mention"}
    for name in names:
        table.add_column(short.get(name, name), justify="right", no_wrap=True)
    for trap, metrics in s.per_trap.items():
        n = max((m.total or 0) for k, m in metrics.items() if k in ("type_found",))
        table.add_row(trap, str(n), *(_fmt(metrics[k].value) for k in names))
    return table


def miss_table(s: SetScore) -> Table:
    table = Table(title=f"{s.name}: misses by class", title_justify="left")
    table.add_column("class")
    table.add_column("count", justify="right")
    for cat, n in Counter(m.category for m in s.misses).most_common():
        table.add_row(cat, str(n))
    return table


def print_misses(s: SetScore, console: Console) -> None:
    by_cat: dict[str, list] = {}
    for m in s.misses:
        by_cat.setdefault(m.category, []).append(m)
    for cat, misses in sorted(by_cat.items(), key=lambda kv: -len(kv[1])):
        console.print(Text(f"\n── {s.name}: {cat} ({len(misses)})", style="bold yellow"))
        for m in misses:
            console.print(Text(f"[{m.item}]", style="bold"))
            if m.gold:
                console.print(Text("  gold:  " + m.gold))
            if m.coded:
                console.print(Text("  coded: " + m.coded))
            if m.text:
                console.print(Text("  text:  " + m.text, style="dim"))


def print_report(result: EvalResult, console: Console, *, errors: bool = False) -> None:
    for s in result.sets:
        console.print(summary_table(s))
        frozen = s.name.endswith("-test")  # the frozen test part: scored, never read (see frozen_part)
        if s.per_type and not frozen:
            console.print(per_type_table(s))
        if s.confusion and not frozen:
            console.print(confusion_table(s))
        if s.per_trap and not frozen:
            console.print(trap_table(s))
        if s.misses and not frozen:
            console.print(miss_table(s))
        if s.coder_errors:
            console.print(Text(f"{s.name}: {len(s.coder_errors)} document(s) failed in the coder:", style="bold red"))
            for e in s.coder_errors:
                console.print(Text("  " + e, style="red"))
        if errors and not frozen:
            print_misses(s, console)
    console.print(Text(f"model {result.model}; {result.seconds:.1f} s in all", style="dim"))


def print_gate(failures: Sequence[Failure], baseline: Path, console: Console) -> None:
    if not failures:
        console.print(Text(f"Quality gate passed ({baseline}).", style="bold green"))
        return
    table = Table(title=f"Quality gate FAILED ({baseline})", title_style="bold red", title_justify="left")
    for col in ("set", "metric", "value", "floor"):
        table.add_column(col, justify="left" if col in ("set", "metric") else "right")
    for f in failures:
        table.add_row(f.set, f.metric, _fmt(f.value), f"{f.floor:.2f}")
    console.print(table)


def result_json(result: EvalResult, failures: Sequence[Failure] | None = None,
                baseline: Path | None = None) -> dict[str, object]:
    out: dict[str, object] = {"generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **result.to_json()}
    out["metrics"] = {s.name: s.values() for s in result.sets}  # flat view: set → metric → value
    if failures is not None:
        out["gate"] = {"baseline": str(baseline), "passed": not failures,
                       "failures": [{"set": f.set, "metric": f.metric, "value": f.value, "floor": f.floor} for f in failures]}
    return out


def run_eval(gold: Sequence[str | Path], *, settings: object | None = None, json_path: Path | None = None,
             errors: bool = False, limit: int | None = None, gate: Path | None = None,
             write_baseline: Path | None = None, console: Console | None = None) -> int:
    """Evaluate, print, optionally write JSON / a new baseline, and apply the gate.
    Returns the exit status: 0, or 1 when the gate fails."""
    console = console or Console()
    floors = load_baseline(gate) if gate else None  # fail early on a bad baseline
    result = evaluate(gold, settings=settings, limit=limit)
    print_report(result, console, errors=errors)
    failures = check_result(result, floors) if floors is not None else None
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(result_json(result, failures, gate), indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
        console.print(Text(f"metrics written to {json_path}", style="dim"))
    if write_baseline:
        write_baseline.write_text(json.dumps(make_baseline(result), indent=2) + "\n", encoding="utf-8")
        console.print(Text(f"baseline written to {write_baseline}", style="dim"))
    if failures is not None:
        print_gate(failures, gate, console)  # type: ignore[arg-type]
        return 1 if failures else 0
    return 0
