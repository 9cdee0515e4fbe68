"""The ``dotterel_events`` component: triggers → typed events with roles, status, date, place,
attribution and confidence. Writes ``doc._.event_mentions`` (one per trigger mention; the
records builder merges mentions of the same event)."""

from __future__ import annotations

import functools
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Token

from dotterel.events.lexicon import Lexicon, Trigger, load_lexicon
from dotterel.events.senses import choose_sense, object_allowed
from dotterel.events.roles import MentionIndex, is_passive, slot_tokens, subject_of
from dotterel.events.status import REPORTING, event_status
from dotterel.nlp.extensions import register_extensions
from dotterel.spans import ActorMention, EventMention, TimeMention

#: verbs that introduce speech rather than perform the event they are listed for ("warned that ...")
SPEECH_SENSES = {"warn", "claim", "allege", "insist", "charge", "threaten"}
STANCE_VERBS = {"confirm": "confirm", "deny": "deny", "dismiss": "deny", "reject": "deny"}
LOCATION_PREPS = {"in", "at", "near", "outside", "inside"}
CLAUSAL = {"ccomp", "xcomp", "advcl", "relcl", "conj", "parataxis", "acl"}
#: speech-act types whose clausal complement is content, not a separate event ("urged X to withdraw")
CONTENT_TYPES = {"AGREE", "REQUEST", "THREATEN", "REJECT", "ACCUSE"}


@functools.lru_cache(maxsize=4)
def cached_lexicon(dirs: tuple[str, ...]) -> Lexicon:
    return load_lexicon(tuple(Path(d) for d in dirs))


@Language.factory(
    "dotterel_events",
    requires=["doc._.actor_mentions", "doc._.time_mentions", "doc._.quote_mentions", "token.dep", "token.lemma"],
    assigns=["doc._.event_mentions"],
    default_config={"resource_dirs": [], "min_confidence": 0.0},
)
def make_events(nlp: Language, name: str, resource_dirs: list[str], min_confidence: float) -> "EventExtractor":
    register_extensions()
    return EventExtractor(cached_lexicon(tuple(resource_dirs)), min_confidence)


def _time_for(doc: Doc, tok: Token) -> TimeMention | None:
    try:
        from dotterel.times.attach import time_for_token
    except ImportError:  # pragma: no cover - the times stage is always installed
        return None
    return time_for_token(doc, tok.i)


class EventExtractor:
    def __init__(self, lexicon: Lexicon, min_confidence: float = 0.0) -> None:
        self.lex = lexicon
        self.min_confidence = min_confidence

    # -- trigger matching -----------------------------------------------------------------
    def match(self, tok: Token, used: set[int]) -> tuple[Trigger, list[int], Token | None] | None:
        pos = "VERB" if tok.pos_ in {"VERB", "AUX"} else "NOUN" if tok.pos_ in {"NOUN", "PROPN"} else None
        if pos is None:
            return None
        cands = self.lex.triggers.get((tok.lemma_.lower(), pos)) or self.lex.triggers.get((tok.lower_, pos)) or []
        best: tuple[int, list[Trigger], list[int], Token | None] | None = None
        for trig in cands:
            toks = [tok.i]
            obj_noun: Token | None = None
            pool = [c for c in tok.children if c.dep_ not in CLAUSAL]
            for word in trig.extras:
                hit = next((c for c in pool if c.i not in toks and c.i not in used
                            and (c.lemma_.lower() == word or c.lower_ == word)), None)
                if hit is None:
                    toks = []
                    break
                toks.append(hit.i)
                pool.extend(c for c in hit.children if c.dep_ not in CLAUSAL)
                if hit.pos_ in {"NOUN", "PROPN"} and obj_noun is None and hit.dep_ in {"dobj", "nsubjpass", "pobj", "attr"}:
                    obj_noun = hit
            if not toks:
                continue
            score = len(trig.extras)
            if best is None or score > best[0]:
                best = (score, [trig], toks, obj_noun)
            elif score == best[0] and trig.extras == best[1][0].extras:
                best[1].append(trig)
        if best is None:
            return None
        trig = choose_sense(tok, best[1]) if len(best[1]) > 1 else best[1][0]
        return trig, best[2], best[3]

    # -- main ---------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        skip = doc._.skip_ranges or []
        index = MentionIndex(doc, doc._.actor_mentions or [])
        quotes = doc._.quote_mentions or []
        sents = list(doc.sents)
        events: list[EventMention] = []
        for k, sent in enumerate(sents):
            if any(s <= sent.start_char < e for s, e in skip):
                continue
            used: set[int] = set()
            found = []
            # verbs first, so light-verb objects ("pay a visit") are consumed before nouns
            for tok in sorted(sent, key=lambda t: (t.pos_ not in {"VERB", "AUX"}, t.i)):
                if tok.i in used:
                    continue
                m = self.match(tok, used)
                if m is None:
                    continue
                trig, toks, obj_noun = m
                used.update(toks)
                found.append((tok, trig, toks, obj_noun))
            heads = {tok.i: trig for tok, trig, _, _ in found}
            for tok, trig, toks, obj_noun in found:
                gov = tok.head.head if tok.dep_ == "pcomp" else tok.head
                if tok.dep_ in {"xcomp", "ccomp", "pcomp"} and gov.i in heads and heads[gov.i].event_type in CONTENT_TYPES:
                    continue
                stance = self._stance(doc, tok, trig, index, events, k)
                if stance:
                    continue
                ev = self.event(doc, k, tok, trig, toks, obj_noun, index, quotes)
                if ev is not None and ev.confidence >= self.min_confidence:
                    events.append(ev)
        doc._.event_mentions = events
        return doc

    def _stance(self, doc: Doc, tok: Token, trig: Trigger, index: MentionIndex, events: list[EventMention], k: int) -> bool:
        """'The visit was also confirmed by the Kremlin': a stance on an earlier event, not a new one."""
        gov = tok.head
        if tok.pos_ not in {"NOUN", "PROPN"} or gov.lemma_.lower() not in STANCE_VERBS or tok.dep_ not in {"nsubjpass", "dobj"}:
            return False
        if not any(c.lower_ in {"the", "this", "that"} for c in tok.children):
            return False
        earlier = [e for e in events if e.event_type == trig.event_type]
        if not earlier:
            return False
        subj = subject_of(gov)
        who = index.at(subj) if subj is not None else None
        stance = STANCE_VERBS[gov.lemma_.lower()]
        if any(c.dep_ == "neg" for c in gov.children):
            stance = "unconfirmed" if stance == "confirm" else "confirm"
        earlier[-1].stances.append((who, stance, k, tok.sent.text.strip()))
        return True

    def _reporting(self, tok: Token) -> tuple[Token | None, str | None]:
        """The reporting verb (and its subject) that governs ``tok``'s clause, or an 'according to' phrase."""
        node = tok
        for _ in range(4):
            for c in node.children:
                if c.dep_ == "prep" and c.lower_ == "according":
                    for to in c.children:
                        for p in to.children:
                            if p.dep_ == "pobj":
                                return p, "according to"
            if node.head.i == node.i:
                break
            if node.dep_ in {"ccomp", "parataxis"} or (node.dep_ == "conj" and node.head.dep_ == "ccomp"):
                gov = node.head if node.dep_ != "conj" else node.head.head
                if gov.lemma_.lower() in REPORTING or gov.lemma_.lower() in SPEECH_SENSES:
                    return subject_of(gov), gov.text
            node = node.head
        return None, None

    def event(self, doc: Doc, k: int, tok: Token, trig: Trigger, toks: list[int], obj_noun: Token | None,
              index: MentionIndex, quotes: list) -> EventMention | None:
        nominal = tok.pos_ in {"NOUN", "PROPN"}
        lemma = tok.lemma_.lower()
        # speech senses: "warned that ..." reports, it does not threaten
        if not nominal and lemma in SPEECH_SENSES and any(c.dep_ == "ccomp" for c in tok.children) \
                and not any(c.dep_ in {"dobj", "dative"} for c in tok.children):
            return None
        actors = self._fill(tok, obj_noun, trig.actor_slots, index)
        recipients = [m for m in self._fill(tok, obj_noun, trig.recipient_slots, index) if m not in actors]
        if not actors and not recipients:
            return None  # nothing to say who did what to whom
        if trig.needs_recipient and not recipients and sum(len(m.actors) for m in actors) < 2:
            return None
        if not object_allowed(tok, trig, index):
            return None
        if nominal and not recipients and actors:
            # "Xi's Russia visit": a place/country modifier that is not the actor is the recipient
            recipients = [m for m in self._fill(tok, obj_noun, ("compound",), index) if m not in actors]
        reciprocal = trig.reciprocal
        if reciprocal and len(actors) == 1 and len(actors[0].actors) == 1 and not recipients:
            reciprocal = False
        nominal_subject = nominal and (tok.dep_ in {"nsubj", "nsubjpass", "poss"} or any(c.dep_ == "poss" for c in tok.children))
        status, cue = event_status(tok, self.lex, nominal_subject=nominal_subject)
        date = _time_for(doc, tok)
        if status == "asserted" and date is not None and date.first and doc._.dct and date.first > doc._.dct:
            status, cue = "planned", date.text
        att_tok, att_cue = self._reporting(tok)
        attribution = index.at(att_tok) if att_tok is not None else None
        if attribution is None:
            q = next((q for q in quotes if q.start_char <= tok.idx < q.end_char and q.speaker is not None), None)
            if q is not None:
                attribution = q.speaker
                if status == "asserted":
                    status, cue = "reported", q.cue
        if status == "reported" and attribution is not None and actors:
            own = {x for m in actors for a in m.actors for x in (a.id, a.name, a.country) if x}
            if {x for a in attribution.actors for x in (a.id, a.name, a.country) if x} & own:
                status = "asserted"
        cam = self.lex.cameo.get(trig.cameo)
        nouns = [doc[i] for i in toks if doc[i].pos_ in {"NOUN", "PROPN"}]
        key = (nouns[-1] if nouns else tok).lemma_.lower()
        confidence = self._confidence(trig, actors, recipients, nominal)
        return EventMention(
            trigger_start=tok.i, trigger_end=max(toks) + 1, trigger_tokens=sorted(toks), sentence=k,
            event_type=trig.event_type, mode=trig.mode or None, cameo=trig.cameo, context=list(trig.context),
            actors=actors, recipients=recipients, reciprocal=reciprocal, status=status, status_cue=cue,
            date=date, location=self._location(tok, obj_noun, index, actors + recipients),
            attribution=attribution, confidence=confidence,
            quad_class=cam.quad_class if cam else 0, intensity=cam.goldstein if cam else 0.0, key=key,
        )

    def _fill(self, tok: Token, obj_noun: Token | None, slots: tuple[str, ...], index: MentionIndex) -> list[ActorMention]:
        for slot in slots:
            out: list[ActorMention] = []
            for t in slot_tokens(tok, obj_noun, slot):
                for m in index.fillers(t):
                    if m not in out and any(a.country or a.name for a in m.actors):
                        out.append(m)
            if out:
                return out
        return []

    def _location(self, tok: Token, obj_noun: Token | None, index: MentionIndex, args: list[ActorMention]) -> ActorMention | None:
        for h in [tok] + ([obj_noun] if obj_noun is not None else []):
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ in LOCATION_PREPS:
                    for p in c.children:
                        m = index.at(p) if p.dep_ == "pobj" else None
                        if m is not None and m not in args and p.ent_type_ in {"GPE", "LOC", "FAC"}:
                            return m
        return None

    @staticmethod
    def _confidence(trig: Trigger, actors: list[ActorMention], recipients: list[ActorMention], nominal: bool) -> float:
        """Evidence-based score in [0, 1]: 0.45 base; +0.25 an actor with a country; +0.15 a recipient
        with a country (or +0.10 when the type takes none here); +0.05 a multiword trigger pattern;
        −0.10 a nominal trigger. See docs/architecture.md."""
        c = 0.45
        if any(a.country for m in actors for a in m.actors):
            c += 0.25
        elif actors:
            c += 0.1
        if any(a.country for m in recipients for a in m.actors):
            c += 0.15
        elif not trig.recipient_slots or trig.reciprocal:
            c += 0.10
        if trig.extras:
            c += 0.05
        if nominal:
            c -= 0.10
        return round(max(0.05, min(0.95, c)), 2)
