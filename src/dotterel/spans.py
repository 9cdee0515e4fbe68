"""In-document annotations that the pipeline stages write to ``Doc._`` and read from it.

These are token-level working records; :mod:`dotterel.assemble` turns them into the
character-offset output contract. Each stage owns one extension:

========================  ============================  ===================
extension                 written by                    type
========================  ============================  ===================
``doc._.dct``             caller (before the pipeline)  ``date | None``
``doc._.skip_ranges``     ``dotterel_paragraphs``       ``list[tuple[int, int]]`` (char ranges)
``doc._.actor_mentions``  ``dotterel_actors``           ``list[ActorMention]``
``doc._.time_mentions``   ``dotterel_times``            ``list[TimeMention]``
``doc._.quote_mentions``  ``dotterel_quotes``           ``list[QuoteMention]``
``doc._.event_mentions``  ``dotterel_events``           ``list[EventMention]``
========================  ============================  ===================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Actor:
    """A resolved identity: who a mention refers to."""

    name: str | None
    country: str | None
    sector: str | None
    id: str | None = None
    kind: str = "generic"  # person | state | org | group | generic
    role: str | None = None  # office key for persons and titles (foreign_minister, ...)
    org_type: str | None = None  # organisations: PLOVER's generic type (IGO, NGO, MNC) beside the specific code


@dataclass(slots=True)
class ActorMention:
    """A span of the text that names or refers to one or more actors."""

    start: int  # token index
    end: int  # token index, exclusive
    start_char: int
    end_char: int
    text: str
    actors: list[Actor]
    kind: str  # name | title | metonym | demonym | org | group | coref | pronoun
    head: int  # token index of the syntactic head
    antecedent: ActorMention | None = None

    @property
    def actor(self) -> Actor:
        return self.actors[0]


def countries_of(mentions: Iterable[ActorMention]) -> set[str]:
    """The countries the actors of ``mentions`` resolve to."""
    return {a.country for m in mentions for a in m.actors if a.country}


@dataclass(slots=True)
class TimeMention:
    start: int  # token index
    end: int
    start_char: int
    end_char: int
    text: str
    first: dt.date | None  # first day covered
    last: dt.date | None  # last day covered
    value: str | None  # TIMEX3-style value
    granularity: str | None  # day | week | month | quarter | season | year | range | part
    anchored: bool = True  # False when resolution needed a DCT that was missing
    mod: str | None = None  # TIMEX3 mod: START MID END ON_OR_AFTER ON_OR_BEFORE EQUAL_OR_LESS


@dataclass(slots=True)
class QuoteMention:
    start_char: int  # quoted words, without the marks
    end_char: int
    text: str
    kind: str  # direct | partial | indirect
    cue: str | None = None
    cue_token: int | None = None
    channel: str | None = None
    speaker: ActorMention | None = None
    sentences: list[int] = field(default_factory=list)


@dataclass(slots=True)
class ArgumentFiller:
    mention: ActorMention
    role: str  # actor | recipient
    slot: str  # the frame slot that found it


@dataclass(frozen=True, slots=True)
class StatusCues:
    """What the events stage found that bears on an event's status; ``events/status.py::decide_status``
    alone turns it into the status (one owner per decision)."""

    parse: tuple[str, str | None] = ("asserted", None)  # strongest cue of the parse (status.event_status)
    future_date: str | None = None  # a time expression after publication in a clause not in the past tense
    in_quote: bool = False  # inside a quote whose speaker is the attribution (no reporting verb found)
    quote_cue: str | None = None  # that quote's cue
    self_report: bool = False  # the attribution is the actor itself or an official of its state


@dataclass(slots=True)
class EventMention:
    trigger_start: int  # token indices of the trigger words (head first)
    trigger_end: int
    trigger_tokens: list[int]
    sentence: int
    event_type: str
    mode: str | None
    cameo: str
    context: list[str]
    actors: list[ActorMention]
    recipients: list[ActorMention]
    reciprocal: bool
    status: str
    status_cue: str | None
    date: TimeMention | None
    location: ActorMention | None
    attribution: ActorMention | None
    confidence: float
    quad_class: int
    intensity: float
    stances: list[tuple[ActorMention | None, str, int, str]] = field(default_factory=list)
    key: str = ""  # the trigger's content word (the noun of "pay a visit"), for linking mentions
    intent_of: EventMention | None = None  # a stated intention (AGREE/THREATEN) derived from a planned event
    sides_inferred: bool = False  # both sides come from the story (dyads.py), none from the event's own sentence
    date_inherited: bool = False  # ``date`` is the story's narrative time (an earlier event's date), not its own
    cues: StatusCues | None = None  # what ``status`` was decided from (None for events derived by a document pass)
