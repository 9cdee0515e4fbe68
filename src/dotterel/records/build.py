"""Turn a coded spaCy ``Doc`` (its ``Doc._`` extensions) into the output contract.

This is the only place that converts token-level working records into character-offset
records, and where several mentions of one event in a document are merged into one event.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from spacy.tokens import Doc

from dotterel.ingest.document import Document
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


def doc_meta(document: Document) -> DocMeta:
    return DocMeta(
        id=document.id,
        title=document.title,
        published=document.published.isoformat() if document.published else None,
        published_basis=document.published_basis,  # type: ignore[arg-type]
        source=document.source,
        url=document.url,
        content_hash=document.content_hash if document.text else None,
    )


def failed(document: Document) -> CodedDocument:
    return CodedDocument(doc=doc_meta(document), errors=list(document.errors), warnings=list(document.warnings))


def _side(m: ActorMention) -> list[SideActor]:
    return [SideActor(text=m.text, start=m.start_char, end=m.end_char, name=a.name, country=a.country,
                      sector=a.sector, id=a.id) for a in m.actors]


def _sides(ms: list[ActorMention]) -> list[SideActor]:
    out: list[SideActor] = []
    for m in ms:
        for s in _side(m):
            if all((s.country, s.name, s.sector) != (o.country, o.name, o.sector) for o in out):
                out.append(s)
    return out


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _event_key(e: EventMention) -> tuple[object, ...]:
    def ids(ms: list[ActorMention]) -> frozenset[str]:
        return frozenset((a.id or a.name or a.country or "?") for m in ms for a in m.actors)

    date = (e.date.first, e.date.last) if e.date else None
    parties = ids(e.actors) | ids(e.recipients) if e.reciprocal else (ids(e.actors), ids(e.recipients))
    return (e.event_type, parties, e.status in ("negated", "denied", "unconfirmed", "hypothetical"), date)


def _compatible(a: EventMention, b: EventMention) -> bool:
    """Same event mentioned twice: same type, same parties (a missing side is compatible), same polarity,
    and dates that do not contradict each other."""
    ka, kb = _event_key(a), _event_key(b)
    if ka[0] != kb[0] or ka[2] != kb[2]:
        return False
    pa, pb = ka[1], kb[1]
    if isinstance(pa, frozenset) and isinstance(pb, frozenset):
        same = pa == pb or (pa and pb and (pa <= pb or pb <= pa))
    elif isinstance(pa, tuple) and isinstance(pb, tuple):
        same = all((x == y) or not x or not y for x, y in zip(pa, pb, strict=True)) and bool(pa[0] & pb[0] or pa[1] & pb[1])
    else:
        same = False
    if not same:
        return False
    if ka[3] and kb[3]:
        (a1, a2), (b1, b2) = ka[3], kb[3]  # type: ignore[misc]
        if a1 and b1 and a2 and b2 and (a2 < b1 or b2 < a1):
            return False
    return True


def _score(e: EventMention) -> tuple[float, int]:
    return (e.confidence + 0.1 * bool(e.actors) + 0.1 * bool(e.recipients) + 0.05 * bool(e.date), -e.sentence)


def build(document: Document, doc: Doc) -> CodedDocument:
    text = document.text
    sents = list(doc.sents)
    sent_of = {t.i: k for k, s in enumerate(sents) for t in s}

    actors = [
        ActorRecord(text=m.text, start=m.start_char, end=m.end_char, name=a.name, country=a.country, sector=a.sector,
                    id=a.id, kind=m.kind, antecedent=m.antecedent.text if m.antecedent else None)
        for m in (doc._.actor_mentions or []) for a in m.actors
    ]
    times = [
        TimeRecord(text=t.text, start_char=t.start_char, end_char=t.end_char, start=_iso(t.first), end=_iso(t.last),
                   value=t.value, granularity=t.granularity)
        for t in (doc._.time_mentions or [])
    ]
    quotes = [
        QuoteRecord(text=q.text, start=q.start_char, end=q.end_char, kind=q.kind, cue=q.cue, channel=q.channel,  # type: ignore[arg-type]
                    speaker=_side(q.speaker)[0] if q.speaker and q.speaker.actors else None)
        for q in (doc._.quote_mentions or [])
    ]

    # group mentions of the same event
    groups: list[list[EventMention]] = []
    for e in sorted(doc._.event_mentions or [], key=lambda e: e.trigger_start):
        for g in groups:
            if any(_compatible(e, other) for other in g):
                g.append(e)
                break
        else:
            groups.append([e])

    events: list[EventRecord] = []
    for g in groups:
        best = max(g, key=_score)
        head_tok = doc[best.trigger_start]
        trig_toks = [doc[i] for i in best.trigger_tokens]
        t0 = min(t.idx for t in trig_toks)
        t1 = max(t.idx + len(t.text) for t in trig_toks)
        sent = sents[sent_of.get(head_tok.i, 0)]
        eid = hashlib.sha1(f"{document.id}|{t0}|{best.event_type}".encode()).hexdigest()[:16]
        if best.date is not None and best.date.first:
            date = DateRecord(start=_iso(best.date.first), end=_iso(best.date.last), text=best.date.text, basis="explicit")
        elif document.published:
            date = DateRecord(start=_iso(document.published), end=_iso(document.published), text=None, basis="publication")
        else:
            date = DateRecord(start=None, end=None, text=None, basis="unknown")
        # fill sides missing on the best mention from the others
        actors_m = best.actors or next((o.actors for o in g if o.actors), [])
        recips_m = best.recipients or next((o.recipients for o in g if o.recipients), [])
        loc = best.location
        mentions = []
        for m in sorted(g, key=lambda e: e.trigger_start):
            toks = [doc[i] for i in m.trigger_tokens]
            ms, me = min(t.idx for t in toks), max(t.idx + len(t.text) for t in toks)
            s = sents[sent_of.get(m.trigger_start, 0)]
            mentions.append(EventMentionRecord(sentence=sent_of.get(m.trigger_start, 0), sentence_text=s.text.strip(),
                                               trigger=TriggerRecord(text=text[ms:me], start=ms, end=me)))
        stances = [
            StanceRecord(actor=_side(a)[0] if a and a.actors else None, stance=st, sentence=si, text=tx)  # type: ignore[arg-type]
            for m in g for (a, st, si, tx) in m.stances
        ]
        quote_idx = next((k for k, q in enumerate(quotes) if q.start <= t0 < q.end), None)
        events.append(EventRecord(
            id=eid, event_type=best.event_type, mode=best.mode or None, context=list(best.context), cameo=best.cameo,  # type: ignore[arg-type]
            intensity=best.intensity, quad_class=best.quad_class,
            actor=_sides(actors_m), recipient=_sides(recips_m), reciprocal=best.reciprocal,
            status=best.status,  # type: ignore[arg-type]
            date=date,
            location=LocationRecord(name=loc.actor.name or loc.text, country=loc.actor.country, start=loc.start_char,
                                    end=loc.end_char) if loc else None,
            attribution=_side(best.attribution)[0] if best.attribution and best.attribution.actors else None,
            sentence=sent_of.get(head_tok.i, 0), sentence_text=sent.text.strip(),
            trigger=TriggerRecord(text=text[t0:t1], start=t0, end=t1),
            mentions=mentions, stances=stances, quote=quote_idx, confidence=round(max(m.confidence for m in g), 3),
        ))
        if quote_idx is not None:
            quotes[quote_idx].events.append(eid)

    return CodedDocument(doc=doc_meta(document), actors=actors, events=events, quotes=quotes, times=times,
                         errors=list(document.errors), warnings=list(document.warnings))
