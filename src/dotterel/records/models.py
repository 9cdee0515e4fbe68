"""The output contract (see docs/architecture.md and DESIGN.md): one CodedDocument per input.

All offsets are character offsets into ``Document.text`` as stored; ``end`` is exclusive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from dotterel.ontology import TYPE_NAME, builtin_ontology

#: the 16 PLOVER event types and the statuses, in order, from resources/events/plover.toml
EVENT_TYPES: tuple[str, ...] = builtin_ontology().type_names
STATUSES: tuple[str, ...] = builtin_ontology().status_names

if TYPE_CHECKING:  # the vocabularies are data: a type checker sees plain strings
    EventType = str
    Status = str
else:
    #: a built-in PLOVER type, or a type a user's events/plover.toml declares (same spelling rule)
    EventType = Literal[EVENT_TYPES] | Annotated[str, StringConstraints(pattern=TYPE_NAME.pattern)]
    Status = Literal[STATUSES]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocError(_Record):
    code: str
    message: str


class DocMeta(_Record):
    id: str
    title: str | None = None
    published: str | None = None
    published_basis: Literal["user", "input", "metadata", "dateline", "unknown"] = "unknown"
    source: str | None = None
    url: str | None = None
    content_hash: str | None = None


class SideActor(_Record):
    """An actor as it appears on one side of an event."""

    text: str
    start: int
    end: int
    name: str | None
    country: str | None
    sector: str | None
    id: str | None = None
    org_type: str | None = Field(None, description="organisations: PLOVER's generic type (IGO, NGO, MNC) beside the specific code in country")
    implicit: bool = Field(False, description="the side is not named in the sentence: inferred from the story "
                           "(a domestic event's own country, or the other party of a two-sided story); text and "
                           "offsets are then the trigger's")


class ActorRecord(_Record):
    """One resolved actor mention."""

    text: str
    start: int
    end: int
    name: str | None
    country: str | None
    sector: str | None
    id: str | None
    kind: str = Field(description="how it was resolved: name, title, metonym, demonym, org, coref, pronoun, group")
    org_type: str | None = Field(None, description="organisations: PLOVER's generic type (IGO, NGO, MNC) beside the specific code in country")
    antecedent: str | None = Field(None, description="for coreference: the text of the mention it refers to")


class DateRecord(_Record):
    start: str | None
    end: str | None
    text: str | None
    basis: Literal["explicit", "narrative", "publication", "unknown"] = Field(
        description="explicit: a time expression of the event's own clause; narrative: the event's sentence has none, "
                    "the date is that of the story's preceding dated event (text is that expression); publication: "
                    "no date in the story before it, the publication date; unknown: neither")


class LocationRecord(_Record):
    name: str
    country: str | None
    start: int
    end: int


class TriggerRecord(_Record):
    text: str
    start: int
    end: int


class EventMentionRecord(_Record):
    sentence: int
    sentence_text: str
    trigger: TriggerRecord


class StanceRecord(_Record):
    actor: SideActor | None
    stance: Literal["confirm", "deny", "unconfirmed"]
    sentence: int
    text: str


class EventRecord(_Record):
    id: str
    event_type: EventType
    mode: str | None
    context: list[str]
    cameo: str
    intensity: float
    quad_class: int
    actor: list[SideActor]
    recipient: list[SideActor]
    reciprocal: bool
    status: Status
    date: DateRecord
    location: LocationRecord | None
    attribution: SideActor | None
    sentence: int
    sentence_text: str
    trigger: TriggerRecord
    mentions: list[EventMentionRecord]
    stances: list[StanceRecord] = []
    quote: int | None = Field(None, description="index into quotes of the quote that contains this event")
    derived_from: str | None = Field(None, description="for a stated intention (PLOVER's future rule): the id of the planned event")
    confidence: float


class QuoteRecord(_Record):
    text: str
    start: int
    end: int
    kind: Literal["direct", "partial", "indirect"]
    cue: str | None
    channel: str | None
    speaker: SideActor | None
    events: list[str] = Field(default_factory=list, description="ids of events found inside this quote")


class TimeRecord(_Record):
    text: str
    start_char: int
    end_char: int
    start: str | None
    end: str | None
    value: str | None
    granularity: str | None
    mod: str | None = Field(None, description="TIMEX3 mod beside value: START, MID, END, ON_OR_AFTER (since), ON_OR_BEFORE (until, by), EQUAL_OR_LESS (within)")


class CodedDocument(_Record):
    doc: DocMeta
    actors: list[ActorRecord] = []
    events: list[EventRecord] = []
    quotes: list[QuoteRecord] = []
    times: list[TimeRecord] = []
    errors: list[DocError] = []
    warnings: list[DocError] = []

    @property
    def failed(self) -> bool:
        return bool(self.errors)
