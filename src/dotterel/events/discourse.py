"""Passes over all the events of a document, after each sentence has been coded: responses to
earlier events, objects that name earlier events, and stated intentions (PLOVER's future rule)."""

from __future__ import annotations

from spacy.tokens import Doc

from dotterel.events.lexicon import Lexicon, norm_key
from dotterel.events.roles import MentionIndex
from dotterel.events.status import statement_status
from dotterel.ontology import Ontology
from dotterel.spans import ActorMention, EventMention, countries_of


def answer_earlier_events(events: list[EventMention], onto: Ontology) -> None:
    """'Lima denied the charge', 'Cuba rejected the accusation': a rejection or concession (types with
    the ``answers_earlier`` trait) with no stated recipient answers the latest earlier event that
    targeted its actor."""
    for k, ev in enumerate(events):
        if not onto.has(ev.event_type, "answers_earlier") or ev.recipients or not ev.actors:
            continue
        mine = countries_of(ev.actors)
        for prev in reversed(events[:k]):
            if prev.intent_of is None and mine & countries_of(prev.recipients) and not (mine & countries_of(prev.actors)):
                ev.recipients = list(prev.actors)
                break


def link_event_objects(doc: Doc, events: list[EventMention], index: MentionIndex, lex: Lexicon) -> None:
    """'welcomed the truce', 'condemned the detention', 'dismissed the decision': an object that names
    an earlier event points at that event's actor, who becomes the recipient (types with the
    ``response`` trait)."""
    for k, ev in enumerate(events):
        if ev.recipients or not ev.actors or not lex.ontology.has(ev.event_type, "response"):
            continue
        tok = doc[ev.trigger_start]
        objs = [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"} and c.pos_ == "NOUN" and index.at(c) is None]
        objs += [p for c in tok.children if c.dep_ == "prep" and c.lower_ in {"for", "over", "of"}
                 for p in c.children if p.dep_ == "pobj" and p.pos_ == "NOUN" and index.at(p) is None]
        if not objs:
            continue
        lemma = objs[0].lemma_.lower()
        mine = {a.country for m in ev.actors for a in m.actors}
        for prev in reversed(events[:k]):
            if prev.intent_of is not None or not prev.actors:
                continue
            same = norm_key(prev.key)[:5] == norm_key(lemma)[:5] or lemma in lex.words.generic_event_nouns
            if same and not ({a.country for m in prev.actors for a in m.actors} <= mine):
                ev.recipients = list(prev.actors)
                break
        if not ev.recipients and lemma in lex.words.utterance_nouns:
            ev.recipients = _last_speaker(doc, tok.idx, mine)


def _last_speaker(doc: Doc, before: int, mine: set[str | None]) -> list[ActorMention]:
    """'Kim said he was open to a summit. Seoul welcomed the remarks': the speaker of the latest quote
    before ``before`` (a character offset) whose state is not the responder's own."""
    best = None
    for q in doc._.quote_mentions or []:
        sp = q.speaker
        if q.start_char >= before or sp is None or (best is not None and q.start_char <= best.start_char):
            continue
        theirs = {a.country for a in sp.actors if a.country}
        if theirs and not theirs <= mine:
            best = q
    return [best.speaker] if best is not None and best.speaker is not None else []


def _conditional(doc: Doc, ev: EventMention, lex: Lexicon) -> bool:
    """The act is the consequence of a condition: its verb, or a verb it is the complement of ('would consider
    closing ... if'), has an if- or unless-clause."""
    tok = doc[ev.trigger_start]
    verb = tok if tok.pos_ in {"VERB", "AUX"} else tok.head
    for _ in range(3):
        if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in lex.words.condition_marks
                                         for m in c.children) for c in verb.children):
            return True
        if verb.dep_ not in {"xcomp", "pcomp", "dobj"} or verb.head is verb:
            return False
        verb = verb.head
    return False


def _states_intention(doc: Doc, ev: EventMention, lex: Lexicon) -> bool:
    if ev.status == "planned":
        return True
    if ev.status != "hypothetical":
        return False
    cue = (ev.status_cue or "").lower()
    return any(w in cue for w in lex.words.intent_cues) or (
        cue in lex.words.conditional_cues and _conditional(doc, ev, lex))


def stated_intentions(doc: Doc, events: list[EventMention], lex: Lexicon) -> list[EventMention]:
    """A stated intention for every planned action (PLOVER's future rule), linked to it; also for an act a
    party would take if a condition is met ('would consider closing the crossings if ...')."""
    out = []
    intents = lex.ontology.intents
    for ev in events:
        if ev.event_type not in intents or not ev.actors or ev.sides_inferred:
            continue  # (an intention needs someone in the sentence who states it)
        if not _states_intention(doc, ev, lex):
            continue
        etype, cameo = intents[ev.event_type]
        cam = lex.cameo.get(cameo)
        out.append(EventMention(
            trigger_start=ev.trigger_start, trigger_end=ev.trigger_end, trigger_tokens=list(ev.trigger_tokens),
            sentence=ev.sentence, event_type=etype, mode=None, cameo=cameo, context=list(ev.context),
            actors=ev.actors, recipients=ev.recipients, reciprocal=ev.reciprocal, status=statement_status(),
            status_cue=None, date=None, location=ev.location, attribution=ev.attribution,
            confidence=round(max(0.05, ev.confidence - 0.1), 2), quad_class=cam.quad_class if cam else 1,
            intensity=cam.goldstein if cam else 0.0, key="intent:" + ev.key, intent_of=ev))
    return out




def ruled_out_futures(doc: Doc, events: list[EventMention], lex: Lexicon) -> list[EventMention]:
    """A cooperative action ruled out for the future ("will not attend the summit", "won't sign the
    deal") or not done by the actor's failure or refusal ("failed to reach agreement") is, in PLOVER,
    a REJECT by the actor (asserted), linked to the negated action it rules out."""
    out = []
    ruled_out = lex.ontology.ruled_out  # the REJECT code for ruling out an action, by its type (CAMEO 12x)
    for ev in events:
        if ev.status != "negated" or ev.event_type not in ruled_out or not ev.actors or ev.intent_of is not None \
                or ev.sides_inferred:
            continue
        tok = doc[ev.trigger_start]
        verb = tok if tok.pos_ in {"VERB", "AUX"} else tok.head
        if verb.lemma_ == "be":
            continue  # "there won't be a meeting": nobody is said to refuse anything
        failed = verb.dep_ == "xcomp" and verb.head.lemma_.lower() in lex.words.failing_verbs \
            and lex.ontology.has(ev.event_type, "failure_rejects")  # "failed to reach agreement", "refused to meet"
        if not failed and not any(c.dep_ == "aux" and c.lower_ in lex.english.future_auxiliaries for c in verb.children):
            continue
        cameo = ruled_out[ev.event_type]
        cam = lex.cameo.get(cameo)
        out.append(EventMention(
            trigger_start=ev.trigger_start, trigger_end=ev.trigger_end, trigger_tokens=list(ev.trigger_tokens),
            sentence=ev.sentence, event_type="REJECT", mode=cam.mode if cam and cam.mode else None, cameo=cameo,
            context=list(ev.context), actors=ev.actors, recipients=ev.recipients, reciprocal=False,
            status=statement_status(), status_cue=None, date=None, location=ev.location, attribution=ev.attribution,
            confidence=round(max(0.05, ev.confidence - 0.1), 2), quad_class=cam.quad_class if cam else 3,
            intensity=cam.goldstein if cam else -4.0, key="ruledout:" + ev.key, intent_of=ev))
    return out
