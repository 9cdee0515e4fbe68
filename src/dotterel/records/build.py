"""Turn a coded spaCy ``Doc`` (its ``Doc._`` extensions) into the output contract.

This is the only place that converts token-level working records into character-offset
records, and where several mentions of one event in a document are merged into one event.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from spacy.tokens import Doc

from dotterel.events.lexicon import norm_key
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
                      sector=a.sector, id=a.id, org_type=a.org_type, implicit=m.kind == "implicit") for a in m.actors]


def _sides(ms: list[ActorMention]) -> list[SideActor]:
    out: list[SideActor] = []
    for m in ms:
        for s in _side(m):
            if all((s.country, s.name, s.sector) != (o.country, o.name, o.sector) for o in out):
                out.append(s)
    return out


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _key(e: EventMention) -> str:
    return norm_key(e.key)


def _parties(ms: list[ActorMention], implicit: bool = True) -> frozenset[str]:
    """The parties on one side, by country where known ('Putin' and 'Russia' are one side when linking
    mentions of an event within a document), else by identity; ``implicit=False`` leaves out sides
    inferred from the story (they cannot tell two different happenings apart)."""
    return frozenset((a.country or a.id or a.name or "?") for m in ms if implicit or m.kind != "implicit" for a in m.actors)


def _compatible(a: EventMention, b: EventMention) -> bool:
    """Two mentions of one event: same type and polarity, compatible dates, and either the same
    trigger word with parties that do not conflict (headline "visit" / lede "pay a visit"), or
    fully specified parties that agree (a "call" with X / "X and Y discussed")."""
    if a.event_type != b.event_type or a.sentence == b.sentence:
        return False
    neg = {"negated", "denied", "unconfirmed", "hypothetical"}
    if (a.status in neg) != (b.status in neg):
        return False
    if a.date and b.date and a.date.first and b.date.first and a.date.last and b.date.last:
        if a.date.last < b.date.first or b.date.last < a.date.first:
            return False
    if _key(a) != _key(b) and {a.status, b.status} & {"planned"} and {a.status, b.status} & {"asserted", "reported"}:
        return False  # "protesters stormed parliament" / "more protests were called for Thursday": two events
    aa, ar, ba, br = _parties(a.actors), _parties(a.recipients), _parties(b.actors), _parties(b.recipients)
    if a.reciprocal != b.reciprocal and _key(a) != _key(b):
        return False  # "Xi will visit Russia" and "the two leaders will discuss ...": two events
    if a.reciprocal or b.reciprocal:
        ua, ub = aa | ar, ba | br
        if len(ua) >= 2 and ua == ub:
            return True
        if _key(a) != _key(b):
            return False
        return bool(ua and ub and (ua <= ub or ub <= ua))
    if _key(a) == _key(b):
        sides_ok = all(not x or not y or x == y for x, y in ((aa, ba), (ar, br)))
        return sides_ok and bool(aa & ba or ar & br)
    # different words: only fully named, identical sides make them one event
    aa, ar, ba, br = (_parties(x, implicit=False) for x in (a.actors, a.recipients, b.actors, b.recipients))
    return bool(aa and ar and aa == ba and ar == br)


def _score(e: EventMention) -> tuple[float, int]:
    return (e.confidence + 0.1 * bool(e.actors) + 0.1 * bool(e.recipients) + 0.05 * bool(e.date), -e.sentence)


def build(document: Document, doc: Doc) -> CodedDocument:
    text = document.text
    sents = list(doc.sents)
    sent_of = {t.i: k for k, s in enumerate(sents) for t in s}

    actors = [
        ActorRecord(text=m.text, start=m.start_char, end=m.end_char, name=a.name, country=a.country, sector=a.sector,
                    id=a.id, kind=m.kind, antecedent=m.antecedent.text if m.antecedent else None, org_type=a.org_type)
        for m in (doc._.actor_mentions or []) for a in m.actors
    ]
    times = [
        TimeRecord(text=t.text, start_char=t.start_char, end_char=t.end_char, start=_iso(t.first), end=_iso(t.last),
                   value=t.value, granularity=t.granularity, mod=t.mod)
        for t in (doc._.time_mentions or [])
    ]
    quotes = [
        QuoteRecord(text=q.text, start=q.start_char, end=q.end_char, kind=q.kind, cue=q.cue, channel=q.channel,  # type: ignore[arg-type]
                    speaker=_side(q.speaker)[0] if q.speaker and q.speaker.actors else None)
        for q in (doc._.quote_mentions or [])
    ]

    # group mentions of the same event
    groups: list[list[EventMention]] = []
    groups_of: dict[str, list[list[EventMention]]] = {}
    intents: dict[int, list[EventMention]] = {}  # index of the planned event's group -> its intent mentions
    for e in sorted(doc._.event_mentions or [], key=lambda e: e.trigger_start):
        if e.intent_of is not None:
            k = next((i for i, g in enumerate(groups) if any(x is e.intent_of for x in g)), None)
            if k is not None:
                intents.setdefault(k, []).append(e)
                continue
        # only groups of the same type can take it (_compatible requires it): indexed by type, so the
        # cost grows with the mentions of one type, not with all pairs in a long document
        for g in groups_of.setdefault(e.event_type, []):
            if any(_compatible(e, other) for other in g):
                g.append(e)
                break
        else:
            groups.append([e])
            groups_of[e.event_type].append(groups[-1])

    # one stated intention per planned event, however often it is mentioned
    groups += [ms for _, ms in sorted(intents.items())]
    events: list[EventRecord] = []
    group_id: dict[int, str] = {}
    for g in groups:
        best = max(g, key=_score)
        status = best.status
        if status == "asserted" and any(m.status == "planned" for m in g):
            status = "planned"  # presupposed mentions ("Xi's Russia visit comes as ...") of a planned event
        head_tok = doc[best.trigger_start]
        trig_toks = [doc[i] for i in best.trigger_tokens]
        t0 = min(t.idx for t in trig_toks)
        t1 = max(t.idx + len(t.text) for t in trig_toks)
        sent = sents[sent_of.get(head_tok.i, 0)]
        eid = hashlib.sha1(f"{document.id}|{t0}|{best.event_type}".encode()).hexdigest()[:16]
        dated = [m.date for m in g if m.date is not None and m.date.first and m.date.last and not m.date_inherited]
        dated = dated or [m.date for m in g if m.date is not None and m.date.first and m.date.last]
        narrowest = min(dated, key=lambda t: (t.last - t.first, t.start_char)) if dated else None  # type: ignore[operator]
        if narrowest is not None:
            own = any(m.date is narrowest and not m.date_inherited for m in g)
            date = DateRecord(start=_iso(narrowest.first), end=_iso(narrowest.last), text=narrowest.text,
                              basis="explicit" if own else "narrative")
        elif document.published and status in {"asserted", "reported"}:
            # no date in the story: news reports what happened on the day of publication or the day before
            date = DateRecord(start=_iso(document.published - dt.timedelta(days=1)), end=_iso(document.published),
                              text=None, basis="publication")
        elif document.published:
            date = DateRecord(start=_iso(document.published), end=_iso(document.published), text=None, basis="publication")
        else:
            date = DateRecord(start=None, end=None, text=None, basis="unknown")
        # fill sides missing on the best mention from the others
        actors_m = best.actors or next((o.actors for o in g if o.actors), [])
        recips_m = best.recipients or next((o.recipients for o in g if o.recipients), [])
        loc = best.location or next((o.location for o in g if o.location is not None), None)
        attribution = next((o.attribution for o in [best, *g] if o.attribution is not None and o.attribution.actors), None)
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
        for m in g:
            group_id[id(m)] = eid
        if best.intent_of is not None:
            eid = hashlib.sha1(f"{document.id}|{t0}|{best.event_type}|intent".encode()).hexdigest()[:16]
        events.append(EventRecord(
            id=eid, event_type=best.event_type, mode=best.mode or None, context=list(best.context), cameo=best.cameo,  # type: ignore[arg-type]
            intensity=best.intensity, quad_class=best.quad_class,
            actor=_sides(actors_m), recipient=_sides(recips_m), reciprocal=best.reciprocal,
            status=status,  # type: ignore[arg-type]
            date=date,
            location=LocationRecord(name=loc.actor.name or loc.text, country=loc.actor.country, start=loc.start_char,
                                    end=loc.end_char) if loc else None,
            attribution=_side(attribution)[0] if attribution is not None else None,
            sentence=sent_of.get(head_tok.i, 0), sentence_text=sent.text.strip(),
            trigger=TriggerRecord(text=text[t0:t1], start=t0, end=t1),
            mentions=mentions, stances=stances, quote=quote_idx, confidence=round(max(m.confidence for m in g), 3),
            derived_from=group_id.get(id(best.intent_of)) if best.intent_of is not None else None,
        ))
        if quote_idx is not None:
            quotes[quote_idx].events.append(eid)

    return CodedDocument(doc=doc_meta(document), actors=actors, events=events, quotes=quotes, times=times,
                         errors=list(document.errors), warnings=list(document.warnings))
