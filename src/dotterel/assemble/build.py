"""Turn a coded spaCy ``Doc`` (its ``Doc._`` extensions) into the output contract.

The records built here come from the code's own working records, whose types the stages already
guarantee, so they are made without pydantic validation (:func:`_new`, what ``model_construct`` does, cheaper);
the contract is validated at the edges (reading records back, the API, the contract tests).
Only :func:`doc_meta` validates, as it carries the input's fields.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
from typing import Any

from pydantic import BaseModel
from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc

from dotterel.events.merge import MergedEvent, group_mentions, merge
from dotterel.ingest.document import Document
from dotterel.nlp.extensions import doc_text
from dotterel.records.models import (
    ActorRecord,
    CodedDocument,
    DateRecord,
    DocMeta,
    EventMentionRecord,
    EventRecord,
    LocationRecord,
    QuoteRecord,
    SideActor,
    StanceRecord,
    TimeRecord,
    TriggerRecord,
)
from dotterel.spans import ActorMention, EventMention


@functools.cache
def _field_names(cls: type[BaseModel]) -> tuple[str, ...]:
    return tuple(cls.model_fields)


def _new[M: BaseModel](cls: type[M], **values: Any) -> M:
    """``cls.model_construct(**values)`` when ``values`` names every field of ``cls``: the same instance
    (fields in declaration order, all of them set) without pydantic's per-field alias and default
    lookups, which cost more than the rest of assembling. Anything else goes to ``model_construct``."""
    names = _field_names(cls)
    if tuple(values) == names:  # every field, in declaration order (the callers here): the keywords are the fields
        fields = values
    else:
        try:
            fields = {k: values[k] for k in names}
        except KeyError:
            return cls.model_construct(**values)
        if len(values) != len(names):
            return cls.model_construct(**values)  # an unknown name: let pydantic decide
    m = cls.__new__(cls)
    object.__setattr__(m, "__dict__", fields)
    object.__setattr__(m, "__pydantic_fields_set__", set(names))
    object.__setattr__(m, "__pydantic_extra__", None)
    object.__setattr__(m, "__pydantic_private__", None)
    return m


def doc_meta(document: Document) -> DocMeta:
    return DocMeta(
        id=document.id,
        title=document.title,
        published=document.published.isoformat() if document.published else None,
        published_basis=document.published_basis,
        source=document.source,
        url=document.url,
        content_hash=document.content_hash if document.text else None,
    )


def failed(document: Document) -> CodedDocument:
    return CodedDocument(doc=doc_meta(document), errors=list(document.errors), warnings=list(document.warnings))


def _side(m: ActorMention) -> list[SideActor]:
    return [_new(SideActor, text=m.text, start=m.start_char, end=m.end_char, name=a.name, country=a.country,
                                      sector=a.sector, id=a.id, org_type=a.org_type, implicit=m.kind == "implicit")
            for a in m.actors]


def _sides(ms: list[ActorMention]) -> list[SideActor]:
    out: list[SideActor] = []
    for m in ms:
        for s in _side(m):
            if all((s.country, s.name, s.sector) != (o.country, o.name, o.sector) for o in out):
                out.append(s)
    return out


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


class _Sentences:
    """Sentence index and text of a token, by bisection over the sentence starts."""

    def __init__(self, doc: Doc) -> None:
        self.doc_text = doc_text(doc)  # built once per Doc by the stages
        self.sents = list(doc.sents)
        self.starts = [s.start for s in self.sents]
        self.texts: dict[int, str] = {}

    def index(self, token: int) -> int:
        return max(bisect.bisect_right(self.starts, token) - 1, 0)

    def text(self, token: int) -> str:
        """The sentence's text, stripped (a slice of the document's text: ``Span.text`` joins tokens)."""
        if not self.sents:
            return ""
        k = self.index(token)
        if k not in self.texts:
            s = self.sents[k]
            self.texts[k] = self.doc_text[s.start_char:s.end_char].strip()
        return self.texts[k]


class _QuoteFinder:
    """The first quote (by position in the list) whose span contains a character offset."""

    def __init__(self, quotes: list[QuoteRecord]) -> None:
        self.order = sorted(range(len(quotes)), key=lambda k: quotes[k].start)
        self.starts = [quotes[k].start for k in self.order]
        self.ends = [quotes[k].end for k in self.order]
        self.max_end: list[int] = []
        for e in self.ends:
            self.max_end.append(max(e, self.max_end[-1]) if self.max_end else e)

    def containing(self, offset: int) -> int | None:
        found: int | None = None
        j = bisect.bisect_right(self.starts, offset) - 1
        while j >= 0 and self.max_end[j] > offset:
            if self.ends[j] > offset and (found is None or self.order[j] < found):
                found = self.order[j]
            j -= 1
        return found


class _Offsets:
    """Each token's first character and the character after it, read once per Doc (no Token objects)."""

    def __init__(self, doc: Doc) -> None:
        idx, length = doc.to_array([IDX, LENGTH]).T.tolist() if len(doc) else ([], [])
        self.start: list[int] = idx
        self.end: list[int] = [i + n for i, n in zip(idx, length, strict=True)]

    def first(self, tokens: list[int]) -> int:
        return min(self.start[i] for i in tokens)


def _trigger(text: str, offsets: _Offsets, m: EventMention) -> TriggerRecord:
    start, end = offsets.first(m.trigger_tokens), max(offsets.end[i] for i in m.trigger_tokens)
    return _new(TriggerRecord, text=text[start:end], start=start, end=end)


def _date(merged: MergedEvent, document: Document) -> DateRecord:
    narrowest = merged.date
    if narrowest is not None:
        return _new(DateRecord, start=_iso(narrowest.first), end=_iso(narrowest.last), text=narrowest.text,
                                          basis="explicit" if merged.date_own else "narrative")
    if document.published and merged.status in {"asserted", "reported"}:
        # no date in the story: news reports what happened on the day of publication or the day before
        return _new(DateRecord, start=_iso(document.published - dt.timedelta(days=1)),
                                          end=_iso(document.published), text=None, basis="publication")
    if document.published:
        return _new(DateRecord, start=_iso(document.published), end=_iso(document.published), text=None,
                                          basis="publication")
    return _new(DateRecord, start=None, end=None, text=None, basis="unknown")


def _event(document: Document, offsets: _Offsets, sents: _Sentences, merged: MergedEvent, eid: str,
           quote: int | None, derived_from: str | None) -> EventRecord:
    best, loc = merged.best, merged.location
    mentions = [_new(EventMentionRecord, sentence=sents.index(m.trigger_start),
                                                   sentence_text=sents.text(m.trigger_start),
                                                   trigger=_trigger(document.text, offsets, m))
                for m in merged.mentions]
    stances = [_new(StanceRecord, actor=_side(a)[0] if a and a.actors else None, stance=st, sentence=si, text=tx)
               for m in merged.mentions for (a, st, si, tx) in m.stances]
    return _new(EventRecord,
        id=eid, event_type=best.event_type, mode=best.mode or None, context=list(best.context), cameo=best.cameo,
        intensity=float(best.intensity), quad_class=int(best.quad_class),
        actor=_sides(merged.actors), recipient=_sides(merged.recipients), reciprocal=best.reciprocal,
        status=merged.status, date=_date(merged, document),
        location=_new(LocationRecord, name=loc.actor.name or loc.text, country=loc.actor.country,
                                                start=loc.start_char, end=loc.end_char) if loc else None,
        attribution=_side(merged.attribution)[0] if merged.attribution is not None else None,
        sentence=sents.index(best.trigger_start), sentence_text=sents.text(best.trigger_start),
        trigger=_trigger(document.text, offsets, best), mentions=mentions, stances=stances, quote=quote,
        derived_from=derived_from, confidence=float(merged.confidence),
    )


def _event_id(document: Document, start: int, merged: MergedEvent, suffix: str = "") -> str:
    return hashlib.sha1(f"{document.id}|{start}|{merged.best.event_type}{suffix}".encode()).hexdigest()[:16]


def build(document: Document, doc: Doc) -> CodedDocument:
    """The output records of ``document``, coded as ``doc``."""
    actors = [
        _new(ActorRecord, text=m.text, start=m.start_char, end=m.end_char, name=a.name, country=a.country,
                                    sector=a.sector, id=a.id, kind=m.kind, org_type=a.org_type,
                                    antecedent=m.antecedent.text if m.antecedent else None)
        for m in (doc._.actor_mentions or []) for a in m.actors
    ]
    times = [
        _new(TimeRecord, text=t.text, start_char=t.start_char, end_char=t.end_char, start=_iso(t.first),
                                   end=_iso(t.last), value=t.value, granularity=t.granularity, mod=t.mod)
        for t in (doc._.time_mentions or [])
    ]
    quotes = [
        _new(QuoteRecord, text=q.text, start=q.start_char, end=q.end_char, kind=q.kind, cue=q.cue,
                                    channel=q.channel, speaker=_side(q.speaker)[0] if q.speaker and q.speaker.actors else None,
                                    events=[])
        for q in (doc._.quote_mentions or [])
    ]
    sents = _Sentences(doc)
    offsets = _Offsets(doc)
    in_quote = _QuoteFinder(quotes)
    events: list[EventRecord] = []
    group_id: dict[int, str] = {}  # id(mention) -> id of its event
    for g in group_mentions(doc._.event_mentions or []):
        merged = merge(g, doc._.dct)
        best = merged.best
        t0 = offsets.first(best.trigger_tokens)
        eid = _event_id(document, t0, merged)
        for m in g:
            group_id[id(m)] = eid
        derived_from = None
        if best.intent_of is not None:
            eid = _event_id(document, t0, merged, "|intent")
            derived_from = group_id.get(id(best.intent_of))
        quote = in_quote.containing(t0)
        events.append(_event(document, offsets, sents, merged, eid, quote, derived_from))
        if quote is not None:
            quotes[quote].events.append(eid)

    return _new(CodedDocument, doc=doc_meta(document), actors=actors, events=events, quotes=quotes, times=times,
                                         errors=list(document.errors), warnings=list(document.warnings))
