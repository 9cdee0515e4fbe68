"""What scoring produces: metrics, per-type counts, misses, one score per gold set, and the tally
that turns hits into metrics. Definitions of every metric: :mod:`dotterel.eval.score`."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

THRESHOLD = 0.5
Span = tuple[int, int]
Party = tuple[str, bool]  # (code, is an organisation)

SENTENCE_METRICS = (
    "type_found", "type_accuracy", "none_accuracy",
    "micro_precision", "micro_recall", "micro_f1", "macro_f1",
    "actor_accuracy", "recipient_accuracy", "dyad_accuracy", "status_accuracy", "date_accuracy",
    "actor_accuracy_given_type", "recipient_accuracy_given_type", "dyad_accuracy_given_type",
    "status_accuracy_given_type", "date_accuracy_given_type",
    "resolution_country", "resolution_sector",
)  # fmt: skip
#: Metrics broken down by the records' ``traps`` labels (report only; not gated).
TRAP_METRICS = ("type_found", "type_accuracy", "actor_accuracy", "recipient_accuracy", "status_accuracy",
                "resolution_country")
ARTICLE_METRICS = (
    "event_precision", "event_recall", "event_f1",
    "typed_event_precision", "typed_event_recall", "typed_event_f1",
    "status_accuracy", "date_accuracy", "actor_complete", "recipient_accuracy",
    "quote_precision", "quote_recall", "quote_f1", "speaker_accuracy", "speaker_name_accuracy", "quote_kind_accuracy",
    "time_precision", "time_recall", "time_f1", "time_value_accuracy",
)  # fmt: skip


# -- results ------------------------------------------------------------------------------
@dataclass(slots=True)
class Metric:
    value: float | None
    hits: int | None = None
    total: int | None = None

    def to_json(self) -> dict[str, object]:
        return {"value": self.value, "hits": self.hits, "total": self.total}


@dataclass(slots=True)
class TypeCounts:
    """Per-type counts: ``tp_pred`` of ``pred`` predictions are right; ``tp_gold`` of ``gold`` gold items were found."""

    pred: int = 0
    tp_pred: int = 0
    gold: int = 0
    tp_gold: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp_pred / self.pred if self.pred else None

    @property
    def recall(self) -> float | None:
        return self.tp_gold / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        """None without gold items; 0.0 when there is gold but nothing of the type was coded."""
        if self.gold and not self.pred:
            return 0.0
        return f1(self.precision, self.recall)

    def to_json(self) -> dict[str, object]:
        return {"gold": self.gold, "predicted": self.pred, "tp_gold": self.tp_gold, "tp_predicted": self.tp_pred,
                "precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass(slots=True)
class Miss:
    category: str
    item: str  # record or article id
    gold: str
    coded: str
    text: str


@dataclass(slots=True)
class SetScore:
    name: str
    kind: str  # "sentences" | "articles"
    path: str
    items: int = 0
    metrics: dict[str, Metric] = field(default_factory=dict)
    per_type: dict[str, TypeCounts] = field(default_factory=dict)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    per_trap: dict[str, dict[str, Metric]] = field(default_factory=dict)
    misses: list[Miss] = field(default_factory=list)
    coder_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def values(self) -> dict[str, float | None]:
        """Every gated number: the summary metrics, then ``recall.<TYPE>`` and ``f1.<TYPE>`` per event type."""
        out = {k: m.value for k, m in self.metrics.items()}
        for t, c in self.per_type.items():
            out[f"recall.{t}"] = c.recall
            out[f"f1.{t}"] = c.f1
        return out

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name, "kind": self.kind, "path": self.path, "items": self.items,
            "seconds": round(self.seconds, 3),
            "metrics": {k: m.to_json() for k, m in self.metrics.items()},
            "per_type": {k: v.to_json() for k, v in self.per_type.items()},
            "confusion": self.confusion,
            "per_trap": {t: {k: m.to_json() for k, m in ms.items()} for t, ms in self.per_trap.items()},
            "misses": [] if self.name.endswith("-test") else  # frozen test part: scored, never read
                      [{"category": m.category, "item": m.item, "gold": m.gold, "coded": m.coded, "text": m.text}
                       for m in self.misses],
            "miss_counts": dict(Counter(m.category for m in self.misses).most_common()),
            "coder_errors": self.coder_errors,
        }


@dataclass(slots=True)
class EvalResult:
    sets: list[SetScore]
    model: str
    seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {"model": self.model, "seconds": round(self.seconds, 3), "sets": {s.name: s.to_json() for s in self.sets}}


def f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 2 * p * r / (p + r) if p + r else 0.0


class Tally:
    """Named hit/total counters, turned into :class:`Metric` s in a fixed order."""

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])

    def add(self, name: str, ok: bool) -> None:
        c = self.counts[name]
        c[0] += bool(ok)
        c[1] += 1

    def metric(self, name: str) -> Metric:
        hits, total = self.counts.get(name, [0, 0])
        return Metric(hits / total if total else None, hits, total)
