"""The quality gate: every measured metric must stay at or above its floor in a baseline file.

A baseline is ``{"note": ..., "sets": {set name: gold path}, "floors": {set name: {metric: floor}},
"measured": {set name: {metric: value}}}`` (paths relative to the project root).
Set names are gold file stems or directory names (``sentences``, ``articles``). A floor whose
set was not evaluated, or whose metric could not be measured, fails the gate too: a floor
that is not checked protects nothing.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from dotterel.eval.gsr import GoldFormatError
from dotterel.eval.score import EvalResult

NOTE = ("Floors for `dotterel eval` (tests/test_quality_gate.py fails when any metric drops below its floor). "
        "Each floor is the value measured with the coder of the day minus {margin}, rounded down to 2 decimals. "
        "They guard against regressions; they are not targets. Raising a floor after an improvement is a "
        "deliberate commit: re-measure with `make eval` (or `dotterel eval 'gold/sentences.json#dev' 'gold/sentences.json#test' 'gold/articles#dev' 'gold/articles#test' --write-baseline FILE`) and "
        "edit the numbers (or `--write-baseline`), never lower one to make a change pass without saying why.")


@dataclass(frozen=True, slots=True)
class Failure:
    set: str
    metric: str
    value: float | None
    floor: float

    def describe(self) -> str:
        got = "not measured" if self.value is None else f"{self.value:.3f}"
        return f"{self.set}.{self.metric}: {got} < floor {self.floor:.2f}"


def load_baseline(path: str | Path) -> dict[str, dict[str, float]]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GoldFormatError(f"{path}: {exc}") from exc
    floors = data.get("floors") if isinstance(data, dict) else None
    if not isinstance(floors, dict) or not all(isinstance(v, dict) for v in floors.values()):
        raise GoldFormatError(f"{path}: expected {{\"floors\": {{set: {{metric: floor}}}}}}")
    return {s: {m: float(f) for m, f in v.items()} for s, v in floors.items()}


def check(values: dict[str, dict[str, float | None]], floors: dict[str, dict[str, float]]) -> list[Failure]:
    """Every floor that is not met (``values``: set → metric → measured value)."""
    out: list[Failure] = []
    for set_name, metrics in floors.items():
        measured = values.get(set_name, {})
        for metric, floor in metrics.items():
            value = measured.get(metric)
            if value is None or value + 1e-9 < floor:
                out.append(Failure(set_name, metric, value, floor))
    return out


def check_result(result: EvalResult, floors: dict[str, dict[str, float]]) -> list[Failure]:
    return check({s.name: s.values() for s in result.sets}, floors)


def floor_of(value: float, margin: float) -> float:
    return max(0.0, math.floor((value - margin) * 100 + 1e-9) / 100)


def _relative(path: str) -> str:
    if "#" in path:  # a part of a gold set ("gold/sentences.json#test")
        base, part = path.rsplit("#", 1)
        return f"{_relative(base)}#{part}"
    p = Path(path).resolve()
    try:
        return p.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def _gated(set_name: str, metric: str) -> bool:
    """Per-type floors only where a set is large enough for them to mean something (not on the
    small frozen test parts, where one sentence moves a type's recall by 0.2 or more)."""
    return not (set_name.endswith("-test") and metric.startswith(("recall.", "f1.")))


def make_baseline(result: EvalResult, margin: float = 0.03) -> dict[str, object]:
    """A baseline with every measurable metric's floor at ``value - margin`` (rounded down);
    floors that would be 0 protect nothing and are left out."""
    measured = {s.name: {k: round(v, 4) for k, v in s.values().items() if v is not None} for s in result.sets}
    return {
        "note": NOTE.format(margin=margin),
        "model": result.model,
        "margin": margin,
        "sets": {s.name: _relative(s.path) for s in result.sets},
        "floors": {s: {k: floor_of(v, margin) for k, v in m.items() if floor_of(v, margin) > 0 and _gated(s, k)}
                   for s, m in measured.items()},
        "measured": measured,
    }
