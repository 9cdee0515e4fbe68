"""The ``dotterel_events`` component: triggers → typed events with roles, status, date, place,
attribution and confidence. Writes ``doc._.event_mentions`` (one per trigger mention; the
records builder merges mentions of the same event)."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dotterel.events.arguments import deep_recipient, is_noise, place_of
from dotterel.events.discourse import answer_earlier_events, link_event_objects, ruled_out_futures, stated_intentions
from dotterel.events.dyads import complete_dyads, narrative_time
from dotterel.events.lexicon import Lexicon, Trigger, load_lexicon
from dotterel.events.lookup import QuoteIndex
from dotterel.events.roles import MentionIndex, is_passive, slot_tokens, subject_of
from dotterel.events.senses import choose_sense, classes_of, object_allowed, refine_type, sense_by_arguments
from dotterel.events.status import called_for_gathering, decide_status, event_status, trailing_reporter
from dotterel.nlp.extensions import register_extensions
from dotterel.spans import Actor, ActorMention, EventMention, StatusCues, TimeMention, countries_of

#: where the lexicon's recipient slots find nobody, these are tried (objects and the usual prepositions)
FALLBACK_SLOTS = ("obj", "prep:against", "prep:on", "prep:to", "prep:with", "prep:from")
CLAUSAL = {"ccomp", "xcomp", "advcl", "relcl", "conj", "parataxis", "acl"}


@functools.lru_cache(maxsize=4)
def cached_lexicon(dirs: tuple[str, ...]) -> Lexicon:
    return load_lexicon(tuple(Path(d) for d in dirs))


@Language.factory(
    "dotterel_events",
    requires=["doc._.actor_mentions", "doc._.time_mentions", "doc._.quote_mentions", "token.dep", "token.lemma"],
    assigns=["doc._.event_mentions"],
    default_config={"resource_dirs": [], "min_confidence": 0.0},
)
def make_events(nlp: Language, name: str, resource_dirs: list[str], min_confidence: float) -> EventExtractor:
    register_extensions()
    from dotterel.actors.component import cached_gazetteer

    states = frozenset(cached_gazetteer(tuple(resource_dirs)).countries)
    return EventExtractor(cached_lexicon(tuple(resource_dirs)), min_confidence, states)


STATE_SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY"}


#: sectors that arrest, release, try or kill rather than suffer it: a possessor of theirs stays the agent
ACTING_SECTORS = frozenset({"MIL", "COP", "SPY", "UAF", "JUD"})


def _self_report(attribution: ActorMention, actors: list[ActorMention]) -> bool:
    """A side reporting its own action: the same person or body, or an official of the state whose
    forces or government acted ('Germany offered ..., the interior minister said'). A rights group or
    the media reporting on its own country's government is still a report."""
    own = {x for m in actors for a in m.actors for x in (a.id, a.name) if x}
    if {x for a in attribution.actors for x in (a.id, a.name) if x} & own:
        return True
    for s in attribution.actors:
        for m in actors:
            for a in m.actors:
                if s.country and s.country == a.country and (s.sector or "GOV") in STATE_SECTORS \
                        and (a.sector or "GOV") in STATE_SECTORS:
                    return True
    return False


def _clause_tense(tok: Token) -> str | None:
    from dotterel.times.tense import clause_tense

    return clause_tense(tok)


def _manner_of(tok: Token, trig: Trigger, found: list[tuple[Token, Trigger, list[int], Token | None]]) -> bool:
    """"seized power in a coup": an event noun in an in-phrase of a verb already coded with the same CAMEO
    code names that verb's event, not a second one."""
    if tok.pos_ not in {"NOUN", "PROPN"} or tok.dep_ != "pobj" or tok.head.lower_ != "in":
        return False
    verb = tok.head.head
    return any(h.i == verb.i and t.cameo == trig.cameo for h, t, _, _ in found)


def _time_for(doc: Doc, tok: Token) -> TimeMention | None:
    try:
        from dotterel.times.attach import time_for_token
    except ImportError:  # pragma: no cover - the times stage is always installed
        return None
    return time_for_token(doc, tok.i)


def _purpose_of_content(tok: Token, heads: dict[int, Trigger]) -> bool:
    """An infinitive reached from a request's complement through words that are no event ("urged X to do
    everything in its power to free him", "pressed Egypt to take steps to release them"): the content of
    the request (its intent), not an act of its own."""
    if tok.pos_ != "VERB" or tok.dep_ not in {"xcomp", "advcl", "acl"} or not any(
            c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        return False
    node = tok.head
    for _ in range(5):
        if node.i in heads or node.head.i == node.i:
            return False
        if node.pos_ == "VERB" and node.dep_ == "xcomp" and node.head.i in heads:
            return heads[node.head.i].event_type == "REQUEST"
        node = node.head
    return False


def _pattern_pool(tok: Token) -> list[Token]:
    """Where a pattern's further words are looked for: the head's dependents outside clausal complements,
    an adjective small clause ("held Moscow responsible"), the noun a passive participle modifies ("the
    declaration signed by X", "sanctions imposed by Y"), the
    of-complements and conjuncts of its object ("lifted a state of emergency", "sending artillery and
    ammunition"), but no preposition governing a date ("a call on Thursday")."""
    pool = [c for c in tok.children if c.dep_ not in CLAUSAL]
    # a small clause read as a complement: "held Moscow responsible", "holds Pyongyang accountable"
    pool += [x for c in tok.children if c.dep_ == "ccomp" and c.pos_ == "ADJ"
             for x in (c, *(s for s in c.children if s.dep_ == "nsubj"))]
    if tok.dep_ in {"acl", "relcl"} and tok.tag_ == "VBN" and tok.head.pos_ in {"NOUN", "PROPN"}:
        pool.append(tok.head)
    for obj in [c for c in pool if c.dep_ in {"dobj", "nsubjpass"}]:
        pool += [p for c in obj.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children]
        pool += [c for c in obj.children if c.dep_ == "conj"]
    return [c for c in pool if not (c.dep_ == "prep" and any(
        p.dep_ == "pobj" and p.ent_type_ in {"DATE", "TIME"} for p in c.children))]


def _match_extras(extras: tuple[str, ...], tok: Token, pool: list[Token],
                  used: set[int]) -> tuple[list[int], Token | None] | None:
    """(trigger tokens, object noun) when every further word of a pattern is found in ``pool`` (which grows
    with each word's own dependents), else None."""
    toks = [tok.i]
    obj_noun: Token | None = None
    for word in extras:
        hit = next((c for c in pool if c.i not in toks and c.i not in used
                    and (c.lemma_.lower() == word or c.lower_ == word)), None)
        if hit is None:
            return None
        toks.append(hit.i)
        pool.extend(c for c in hit.children if c.dep_ not in CLAUSAL)
        if hit.pos_ in {"NOUN", "PROPN"} and obj_noun is None and hit.dep_ in {"dobj", "nsubjpass", "pobj", "attr"}:
            obj_noun = hit
    return toks, obj_noun


class EventExtractor:
    def __init__(self, lexicon: Lexicon, min_confidence: float = 0.0, state_codes: frozenset[str] = frozenset()) -> None:
        self.lex = lexicon
        self.min_confidence = min_confidence
        self.state_codes = state_codes
        self.onto = lexicon.ontology

    def has(self, trig: Trigger, trait: str) -> bool:
        """Whether the trigger's event type has ``trait`` (resources/events/plover.toml)."""
        return self.onto.has(trig.event_type, trait)

    # -- trigger matching -----------------------------------------------------------------
    def match(self, tok: Token, used: set[int]) -> tuple[Trigger, list[int], Token | None] | None:
        pos = "VERB" if tok.pos_ in {"VERB", "AUX"} else "NOUN" if tok.pos_ in {"NOUN", "PROPN"} else None
        if pos is None or not (self._candidates(tok, pos) or (pos == "VERB" and tok.lemma_.lower() in self.lex.senses)):
            return None  # no lexicon row and no sense row is headed by this word
        if pos == "NOUN" and tok.dep_ == "compound" and "PERSONNEL" in self.lex.noun_classes.get(tok.head.lemma_.lower(), ()):
            return None  # "aid workers", "protest leaders", "peace activists": who they are, not an event
        if pos == "NOUN" and tok.dep_ == "compound" and "TOPIC_HEADS" in self.lex.noun_classes.get(tok.head.lemma_.lower(), ()):
            return None  # "ceasefire talks", "sanctions proposal": the topic of the talks or plan, not an event
        if pos == "NOUN" and tok.ent_type_ in {"DATE", "TIME"}:
            return None  # "on March 3": a month, not a march
        if pos == "VERB" and tok.dep_ == "amod" and tok.head.i > tok.i and tok.tag_ in {"VBG", "VBN"}:
            return None  # "crushing strikes", "the occupied territories": a participle describing a noun
        if pos == "VERB" and any(c.dep_ == "dobj" and f"{tok.lemma_.lower()} {c.lemma_.lower()}" in self.lex.words.happening_idioms
                                 for c in tok.children):
            return None  # "the talks took place in Geneva": it happened, not "take in"
        # senses.tsv: the type from what the verb acts on; a triggers.tsv pattern naming its object noun
        # ("lift a state of emergency") still wins, one adding only a particle ("leave for") does not
        sensed = sense_by_arguments(tok, self.lex)
        found = self._match_lexicon(tok, pos, used)
        if sensed is not None and (found is None or found[2] is None):
            # "sent an aid convoy": the object's modifier naming the same act is part of this event
            same = [(m.i, o.i) for o in tok.children if o.dep_ in {"dobj", "nsubjpass"} for m in o.children
                    if m.dep_ == "compound" and m.i not in used and any(
                        t.event_type == sensed.event_type for t in self.lex.triggers.get((m.lemma_.lower(), "NOUN"), ()))]
            # the object the sense was read from is the pattern's object noun: its own phrases may name the
            # recipient ("closed its border crossing with Mozambique")
            obj = next((o for o in tok.children if o.dep_ in {"dobj", "nsubjpass"}), None)
            return sensed, [tok.i, *sorted({i for pair in same for i in pair})], obj
        return found

    def _match_lexicon(self, tok: Token, pos: str, used: set[int]) -> tuple[Trigger, list[int], Token | None] | None:
        """The longest pattern of the lexicon rows headed by ``tok`` (rows are indexed by head lemma and
        pos once per process; the token's dependents are gathered once, not once per row)."""
        cands = self._candidates(tok, pos)
        if not cands:
            return None
        base: list[Token] | None = None
        best: tuple[int, list[Trigger], list[int], Token | None] | None = None
        for trig in cands:
            if trig.extras:
                if base is None:
                    base = _pattern_pool(tok)
                found = _match_extras(trig.extras, tok, list(base), used)
                if found is None:
                    continue
                toks, obj_noun = found
            else:
                toks, obj_noun = [tok.i], None
            score = len(trig.extras)
            if best is None or score > best[0]:
                best = (score, [trig], toks, obj_noun)
            elif score == best[0] and trig.extras == best[1][0].extras:
                best[1].append(trig)
        if best is None:
            return None
        trig = choose_sense(tok, best[1], self.lex.words) if len(best[1]) > 1 else best[1][0]
        return trig, best[2], best[3]

    def _candidates(self, tok: Token, pos: str) -> list[Trigger]:
        """Rows whose head is the token's lemma (or its lower-case text; "reimposed": the verb without its
        "re-" prefix, since the repeated action is the action)."""
        lemma = tok.lemma_.lower()
        cands = self.lex.triggers.get((lemma, pos)) or self.lex.triggers.get((tok.lower_, pos)) or []
        if not cands and pos == "VERB" and lemma.startswith("re") and len(lemma) > 5:
            cands = self.lex.triggers.get((lemma[2:].lstrip("-"), pos)) or []
        return cands

    # -- main ---------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        """Each sentence's events (:meth:`_sentence_events`), then the document passes: answers to and
        objects naming earlier events, sides from the story, narrative time, stated intentions and
        ruled-out futures."""
        skip = doc._.skip_ranges or []
        index = MentionIndex(doc, doc._.actor_mentions or [], self.lex.english.relative_words)
        quotes = QuoteIndex(doc, doc._.quote_mentions or [], lambda q: q.speaker is not None)
        events: list[EventMention] = []
        for k, sent in enumerate(doc.sents):
            if any(s <= sent.start_char < e for s, e in skip):
                continue
            events.extend(self._sentence_events(doc, k, sent, index, quotes, events))
        answer_earlier_events(events, self.onto)
        link_event_objects(doc, events, index, self.lex)
        complete_dyads(doc, events, index, self.state_codes, self.onto)
        narrative_time(events, doc._.dct)
        events.extend(stated_intentions(doc, events, self.lex) + ruled_out_futures(doc, events, self.lex))
        doc._.event_mentions = events
        return doc

    def _sentence_events(self, doc: Doc, k: int, sent: Span, index: MentionIndex, quotes: QuoteIndex,
                         earlier: list[EventMention]) -> list[EventMention]:
        """One event per trigger of sentence ``k``, except a speech act's content ("urged X to withdraw"),
        an event noun that is the topic of another ("welcomed the truce"), a stance on an earlier event
        ("the visit was confirmed by"), and a denial or order whose complement was coded (the denial is
        its status, the order its event); plus demands in reported speech ("said Y must ...")."""
        found = self._triggers(sent)
        heads = {tok.i: trig for tok, trig, _, _ in found}
        denials = {tok.i for tok, _, _, _ in found if self._denial(tok)}
        covered_denials: set[int] = set()
        covered_orders: set[int] = set()
        # "the opposition called for fresh demonstrations": the call is the protest, planned (status.py)
        called = {tok.i: tok.head.head.i for tok, trig, _, _ in found if trig.event_type == "PROTEST"
                  and tok.pos_ in {"NOUN", "PROPN"} and called_for_gathering(tok, self.lex.words)
                  and tok.head.head.i in heads and heads[tok.head.head.i].event_type == "REQUEST"}
        sentence_events: list[EventMention] = []
        for tok, trig, toks, obj_noun in found:
            if tok.i in called.values():
                continue
            gov = tok.head.head if tok.dep_ == "pcomp" else tok.head
            if _purpose_of_content(tok, heads):
                # "urged Lebanon to do everything in its power to free him": still the request's content
                continue
            ordered = None
            if tok.dep_ in {"xcomp", "ccomp", "pcomp"} and gov.i in heads and self.has(heads[gov.i], "content_complement"):
                if gov.i in denials:
                    covered_denials.add(gov.i)  # "denied that its troops shelled": the shelling, status denied
                elif gov.lemma_.lower() in self.lex.words.order_verbs and tok.dep_ == "xcomp":
                    ordered = gov  # "ordered troops to deploy": the order is the deployment
                else:
                    continue
            elif self._ordered_act(tok, gov, heads):
                ordered = gov  # "ordered the arrest of 40 journalists": the order is the arrest
            if ordered is None and tok.pos_ in {"NOUN", "PROPN"} and tok.i not in called \
                    and (self._topic_of(tok, heads) or self._remembered(tok)):
                continue
            if self._consequence(tok, found, index) or self._in_a_plot(tok):
                continue
            if self._stance(doc, tok, trig, index, earlier, k):
                continue
            ev = self.event(doc, k, tok, trig, toks, obj_noun, index, quotes)
            if ev is not None and ordered is not None:
                self._as_ordered(ev, ordered, index)
                covered_orders.add(ordered.i)
            if ev is not None and ev.confidence >= self.min_confidence:
                sentence_events.append(ev)
        # a denial whose denied event was coded is that event's status, not a REJECT of its own
        out = [e for e in sentence_events if not (e.trigger_start in covered_denials and any(
            o.trigger_start != e.trigger_start and o.status == "denied" for o in sentence_events))
            and e.trigger_start not in covered_orders]
        out += [ev for ev in self._obligations(doc, k, sent, heads, index, quotes) if ev.confidence >= self.min_confidence]
        out += [ev for ev in self._judgements(doc, k, sent, heads, index, quotes) if ev.confidence >= self.min_confidence]
        return out

    def _consequence(self, tok: Token, found: list[tuple[Token, Trigger, list[int], Token | None]],
                     index: MentionIndex) -> bool:
        """"A suicide bombing killed 20 people", "a border war that killed 70,000": a verb of harm whose
        subject is another trigger of the sentence describes that event, it is not one of its own."""
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in self.lex.words.consequence_verbs:
            return False
        if sum(c.dep_ == "nsubj" for c in tok.children) > 1:
            return False  # "If the North attacks, we will strike back": a misread conditional, not a cause
        subj = subject_of(tok)
        if subj is not None and tok.dep_ == "relcl" and subj.lower_ in self.lex.english.relative_words:
            subj = tok.head  # "a war that killed": the war
        agent = next((p for c in tok.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"), None)
        if agent is not None:
            subj = agent  # "imports hit by the American tariff", "villages hit by the airstrike": the harm's cause
        if subj is None:
            return False
        # the subject is another trigger, a word of its pattern, or the object of a trigger verb that names
        # no party ("fought a war that killed", not "fought rebels who killed")
        return any(subj.i == t.i or subj.i in toks or (subj.dep_ == "dobj" and subj.head.i == t.i and not index.fillers(subj))
                   for t, _, toks, _ in found if t.i != tok.i)

    def _ordered_act(self, tok: Token, gov: Token, heads: dict[int, Trigger]) -> bool:
        """An event noun that is the direct object of an order verb coded as a plain order (REQUEST):
        'ordered the arrest of', 'ordered air strikes on', 'ordered a halt to imports' name the act ordered."""
        return tok.pos_ == "NOUN" and tok.dep_ == "dobj" and gov.i in heads and gov.i != tok.i \
            and gov.lemma_.lower() in self.lex.words.order_verbs and heads[gov.i].event_type == "REQUEST"

    def _as_ordered(self, ev: EventMention, ordered: Token, index: MentionIndex) -> None:
        """"ordered troops to deploy": the deployment is the order's event, by the order's subject and
        with the order's status; ordering envoys or peacekeepers to leave is expelling them."""
        subj = subject_of(ordered)
        ev.actors = index.fillers(subj) if subj is not None else ev.actors
        ev.cues = StatusCues(parse=event_status(ordered, self.lex))
        ev.status, ev.status_cue = decide_status(ev.cues)
        ev.recipients = [m for m in ev.recipients if m not in ev.actors]
        told = next((c for c in ordered.children if c.dep_ == "dobj"), None)
        if ev.event_type == "RETREAT" and told is not None:
            # "ordered Australia's high commissioner to leave", "ordered the peacekeepers out": an expulsion
            classes = classes_of(told, self.lex)
            cameo = "166" if "DIPLOMATS" in classes else "1661" if {"PEACEKEEPERS", "OBSERVERS"} & classes else None
            cam = self.lex.cameo.get(cameo) if cameo else None
            if cameo is not None and cam is not None:
                ev.event_type, ev.mode, ev.cameo = "SANCTION", "expel", cameo
                ev.quad_class, ev.intensity = cam.quad_class, cam.goldstein
                ev.recipients = [m for m in index.fillers(told) if m not in ev.actors] or ev.recipients

    def _triggers(self, sent: Span) -> list[tuple[Token, Trigger, list[int], Token | None]]:
        """The sentence's trigger matches (head, row, trigger tokens, object noun), verbs first, so that
        light-verb objects ("pay a visit") are consumed before nouns."""
        used: set[int] = set()
        found: list[tuple[Token, Trigger, list[int], Token | None]] = []
        for tok in sorted(sent, key=lambda t: (t.pos_ not in {"VERB", "AUX"}, t.i)):
            if tok.i in used:
                continue
            m = self.match(tok, used)
            if m is None:
                continue
            trig, toks, obj_noun = m
            used.update(toks)
            if _manner_of(tok, trig, found):
                continue
            found.append((tok, trig, toks, obj_noun))
        return found

    def _denial(self, tok: Token) -> bool:
        row = self.lex.cue("governor", tok.lemma_.lower())
        return row is not None and row.status == "denied"

    def _topic_of(self, noun: Token, heads: dict) -> bool:
        """A nominal trigger that is the topic of a talk, demand or agreement ('will discuss ... cooperation
        between X and Y', 'called for talks') is content, not an event of its own."""
        if noun.dep_ == "dobj" and noun.head.lemma_.lower() in self.lex.words.convene_verbs and noun.lemma_.lower() in self.lex.words.gatherings:
            return False  # "host a meeting between X and Y": the meeting is the event
        node = noun
        for _ in range(9):
            if node.dep_ in {"ccomp", "advcl", "relcl", "parataxis", "nsubj", "ROOT"} or node.head.i == node.i:
                return False
            if node.dep_ == "prep" and node.lower_ in self.lex.words.circumstantial_preps:
                return False  # "agreed to halt the offensive after talks with X": the talks are an event of their own
            node = node.head
            if node.i in heads and node.pos_ in {"VERB", "AUX"} and (
                    self.has(heads[node.i], "topic_governor") or (noun.dep_ == "dobj" and node.i == noun.head.i)):
                return True  # "welcomed the truce": the truce is what is welcomed, not a new event
        return False

    def _in_a_plot(self, tok: Token) -> bool:
        """What happens in a film's or a book's plot is no event: a trigger inside a relative clause of a
        work of fiction ("the comedy 'The Interview', in which two journalists are recruited to
        assassinate ...") or the object of "about" after one ("a film about an invasion")."""
        fiction = self.lex.words.fiction_nouns
        node = tok
        for _ in range(8):
            if node.dep_ == "relcl" and (node.head.lemma_.lower() in fiction or (
                    node.head.dep_ in {"appos", "compound"} and node.head.head.lemma_.lower() in fiction)):
                return True
            if node.dep_ == "pobj" and node.head.lower_ == "about" and node.head.head.lemma_.lower() in fiction:
                return True
            if node.head.i == node.i:
                return False
            node = node.head
        return False

    def _remembered(self, noun: Token) -> bool:
        """An event noun that a film, book or ceremony depicts or remembers ('the film depicts the 1994
        genocide', 'remember the occupation as a hardship', 'the anniversary of the invasion') is history
        mentioned, not an event the story reports."""
        node = noun
        for _ in range(4):
            if node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.lemma_.lower() in self.lex.words.memory_nouns:
                return True
            if node.dep_ in {"dobj", "nsubjpass"} and node.head.lemma_.lower() in self.lex.words.depiction_verbs:
                return True
            if node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.pos_ in {"NOUN", "PROPN"}:
                node = node.head.head  # "the horrors of the war": climb to the noun that holds it
                continue
            return False
        return False

    def _reported_complements(self, sent, heads: dict) -> Iterator[tuple[Token, Token]]:
        """(reporting or declaring verb that is not itself a trigger, its clausal complement) in ``sent``."""
        for verb in sent:
            lemma = verb.lemma_.lower()
            if verb.i in heads or verb.pos_ not in {"VERB", "AUX"} or (
                    lemma not in self.lex.words.reporting_verbs and lemma not in self.lex.words.declaring_verbs):
                continue
            for comp in verb.children:
                if comp.dep_ == "ccomp":
                    yield verb, comp

    def _speech_event(self, doc: Doc, k: int, verb: Token, cue: Token, etype: str, mode: str, cameo: str,
                      index: MentionIndex, quotes: QuoteIndex) -> EventMention | None:
        """The speech act of ``verb`` coded as ``etype`` by its subject (evidence: the verb to ``cue``)."""
        trig = Trigger(head=verb.lemma_.lower(), extras=(), pos="VERB", event_type=etype, mode=mode, cameo=cameo,
                       actor_slots=("subj",), recipient_slots=(), reciprocal=False, context=())
        return self.event(doc, k, verb, trig, [verb.i, cue.i], None, index, quotes)

    def _obligations(self, doc: Doc, k: int, sent, heads: dict, index: MentionIndex,
                     quotes: QuoteIndex) -> list[EventMention]:
        """'X said that Y must/should do Z' is X REQUEST Y (CAMEO 10): a demand in reported speech."""
        out = []
        for verb, comp in self._reported_complements(sent, heads):
            must = next((c for c in comp.children if c.dep_ == "aux" and c.lower_ in self.lex.english.obligation_modals), None)
            if must is None:
                continue
            ev = self._speech_event(doc, k, verb, must, "REQUEST", "", "100", index, quotes)
            if ev is not None and ev.recipients:
                out.append(ev)
        return out

    def _judgements(self, doc: Doc, k: int, sent, heads: dict, index: MentionIndex,
                    quotes: QuoteIndex) -> list[EventMention]:
        """'X said the drills violate UN rules': a judgement, in the present tense, that another party's
        conduct breaks a rule is X ACCUSE that party (CAMEO 112), whatever the conduct is coded as. An
        unnamed offender is filled from the story (dyads.py)."""
        out = []
        for verb, comp in self._reported_complements(sent, heads):
            violation = comp.tag_ in {"VBP", "VBZ"} and comp.lemma_.lower() in self.lex.words.violation_verbs
            if not (violation or self._blames(comp, index)):
                continue
            ev = self._speech_event(doc, k, verb, comp, "ACCUSE", "allege", "112", index, quotes)
            if ev is not None and ev.actors and (violation or ev.recipients):
                out.append(ev)
        return out

    def _blames(self, comp: Token, index: MentionIndex) -> bool:
        """'said Russia and Iran would bear responsibility for a massacre', 'said the world body had failed his
        country': a blame predicate (word class ``blame_predicates``) of a reported clause whose subject is
        a party."""
        words = self.lex.words.blame_predicates
        subj = subject_of(comp)
        if subj is None or not index.fillers(subj):
            return False
        lemma = comp.lemma_.lower()
        for c in comp.children:
            if c.dep_ in {"dobj", "acomp", "attr"} and f"{lemma} {c.lemma_.lower()}" in words:
                return True
            if c.dep_ == "dobj" and lemma in words and (index.fillers(c) or any(p.dep_ == "poss" for p in c.children)
                                                       or c.lemma_.lower() in self.lex.words.people_nouns):
                return True  # "had failed his country", "betrayed the Kurds", "failed its obligations"
        return False

    def _stance(self, doc: Doc, tok: Token, trig: Trigger, index: MentionIndex, events: list[EventMention], k: int) -> bool:
        """'The visit was also confirmed by the Kremlin': a stance on an earlier event, not a new one."""
        gov = tok.head
        words = self.lex.words
        if tok.pos_ not in {"NOUN", "PROPN"} or tok.dep_ not in {"nsubjpass", "dobj"} or (
                gov.lemma_.lower() not in words.stance_confirm and gov.lemma_.lower() not in words.stance_deny):
            return False
        if not any(c.lower_ in {"the", "this", "that"} for c in tok.children):
            return False
        earlier = [e for e in events if e.event_type == trig.event_type]
        if not earlier:
            return False
        subj = subject_of(gov)
        who = index.at(subj) if subj is not None else None
        stance = "confirm" if gov.lemma_.lower() in words.stance_confirm else "deny"
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
                if gov.lemma_.lower() in self.lex.words.reporting_verbs or gov.lemma_.lower() in self.lex.words.speech_senses:
                    return subject_of(gov), gov.text
            node = node.head
        return None, None

    def event(self, doc: Doc, k: int, tok: Token, trig: Trigger, toks: list[int], obj_noun: Token | None,
              index: MentionIndex, quotes: QuoteIndex) -> EventMention | None:
        """The event mention of one matched trigger, or None when it is noise, speech about an event
        rather than one, or has no side to code. Sides first (actors, the type refined by them,
        recipients, the place), then status, date and attribution."""
        nominal = tok.pos_ in {"NOUN", "PROPN"}
        if is_noise(tok, self.has(trig, "sports_noise"), self.lex.words):
            return None
        actors = self._fill(tok, obj_noun, trig.actor_slots, index)
        trig = refine_type(tok, trig, {a.sector for m in actors for a in m.actors if a.sector}, self.lex)
        comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
        if not nominal and self._speech_only(tok, comp, actors, index):
            return None
        recipients = self.recipients(tok, trig, obj_noun, actors, index, comp)
        if nominal:
            actors, recipients = self._patient_possessor(tok, actors, recipients, index)
        location = place_of(tok, obj_noun, index, actors + recipients, self.lex.words)
        actors, recipients = self._place_sides(tok, trig, toks, location, actors, recipients, index)
        if not actors and not nominal and is_passive(tok):
            actors = self._reporter_as_agent(tok, trig, recipients, index)
        if not self._has_sides(tok, trig, actors, recipients, index) or self._trip_at_home(trig, actors, recipients):
            return None
        if nominal and not recipients and actors:
            # "Xi's Russia visit": a place/country modifier that is not the actor is the recipient
            recipients = [m for m in self._fill(tok, obj_noun, ("compound",), index) if m not in actors]
        reciprocal = trig.reciprocal
        if reciprocal and len(actors) == 1 and len(actors[0].actors) == 1 and not recipients:
            reciprocal = False
        date, cues, attribution = self._status_cues(doc, tok, actors, index, quotes, nominal)
        status, cue = decide_status(cues)
        if location is None and trig.mode == "visit" and recipients and recipients[0].actor.kind == "state":
            location = recipients[0]  # a visit to a country takes place there
        cam = self.lex.cameo.get(trig.cameo)
        nouns = [doc[i] for i in toks if doc[i].pos_ in {"NOUN", "PROPN"}]
        key = (nouns[-1] if nouns else tok).lemma_.lower()
        confidence = self._confidence(trig, actors, recipients, nominal)
        return EventMention(
            trigger_start=tok.i, trigger_end=max(toks) + 1, trigger_tokens=sorted(toks), sentence=k,
            event_type=trig.event_type, mode=trig.mode or None, cameo=trig.cameo, context=list(trig.context),
            actors=actors, recipients=recipients, reciprocal=reciprocal, status=status, status_cue=cue,
            date=date, location=location,
            attribution=attribution, confidence=confidence,
            quad_class=cam.quad_class if cam else 0, intensity=cam.goldstein if cam else 0.0, key=key, cues=cues,
        )

    def _patient_possessor(self, tok: Token, actors: list[ActorMention], recipients: list[ActorMention],
                           index: MentionIndex) -> tuple[list[ActorMention], list[ActorMention]]:
        """"Hours after McCarthy's release", "the journalist's arrest": a person or group possessing an event noun
        done to people is the one it is done to, not its agent (with an of-object, "Iran's release of the
        hostages", the possessor acts)."""
        if tok.lemma_.lower() not in self.lex.words.patient_nouns or any(
                c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
            return actors, recipients
        people = [m for c in tok.children if c.dep_ == "poss" for m in index.fillers(c)
                  if m.actors and all(a.kind == "person" or (a.sector and a.sector not in ACTING_SECTORS) for a in m.actors)]
        if not people:
            return actors, recipients
        return [m for m in actors if m not in people], recipients + [m for m in people if m not in recipients]

    def _reporter_as_agent(self, tok: Token, trig: Trigger, recipients: list[ActorMention],
                           index: MentionIndex) -> list[ActorMention]:
        """"NATO officials said the raids had been suspended": a cooperative act (CAMEO quad classes 1 and
        2) told in the passive without an agent, by a party that is not its target, was done by that party."""
        cam = self.lex.cameo.get(trig.cameo)
        if cam is None or cam.quad_class not in {1, 2}:
            return []
        att_tok, _ = self._reporting(tok)
        reporter = index.at(att_tok) if att_tok is not None else None
        if reporter is None or not any(a.country for a in reporter.actors):
            return []
        targets = {a.country for m in recipients for a in m.actors if a.country}
        if {a.country for a in reporter.actors if a.country} & targets:
            return []
        return [reporter]

    def _speech_only(self, tok: Token, comp: Token | None, actors: list[ActorMention], index: MentionIndex) -> bool:
        """Speech senses: "warned that ..." reports speech, not the event it is listed for, unless the
        warner's own side will act ("warned that police will ...")."""
        if tok.lemma_.lower() not in self.lex.words.speech_senses or comp is None or any(c.dep_ in {"dobj", "dative"} for c in tok.children):
            return False
        csubj = subject_of(comp)
        cm = index.fillers(csubj) if csubj is not None else []
        own = countries_of(actors)
        theirs = {a.country for m in cm for a in m.actors if a.country}
        future = any(c.dep_ == "aux" and c.lower_ in {"will", "would", "'ll", "wo", "could", "may", "might", "shall"}
                     for c in comp.children)
        return not (future and (not theirs or theirs <= own))

    def recipients(self, tok: Token, trig: Trigger, obj_noun: Token | None, actors: list[ActorMention],
                   index: MentionIndex, comp: Token | None) -> list[ActorMention]:
        """The recipients the trigger's sentence gives, in order of preference (the first that finds one wins):

        1. the lexicon's recipient slots;
        2. for a nominal attack or coercion, the dead of the verb it caused ("died after a beating");
        3. the owner of a light-verb pattern's object noun ("rejected an Indian proposal");
        4. the usual objects and prepositions (:data:`FALLBACK_SLOTS`), unless a reciprocal event already
           has two parties;
        5. a speech act's complement's target ("threatened to break relations with Russia");
        6. the nearest other party inside the trigger's phrase (:func:`deep_recipient`);
        7. the subject of a demand's, threat's or accusation's clausal complement.

        The side's own forces are never its recipient. Places and domestic targets are added after the
        place is known (:meth:`_place_sides`); document passes (discourse.py, dyads.py) fill what is still
        empty from the story."""
        recipients = [m for m in self._fill(tok, obj_noun, trig.recipient_slots, index) if m not in actors]
        if not recipients:
            recipients = self._answered_party(tok, actors, index) or self._responder_target(tok, actors, index)
        if not recipients and tok.pos_ in {"NOUN", "PROPN"} and self.has(trig, "harms_target"):
            recipients = self._the_dead(tok, actors, index)
        if not recipients and obj_noun is not None:
            recipients = [m for m in index.fillers(obj_noun) if m not in actors and any(a.country for a in m.actors)]
        two_parties = trig.reciprocal and sum(len(m.actors) for m in actors) >= 2
        if not recipients and not two_parties:
            recipients = [m for m in self._fill(tok, obj_noun, FALLBACK_SLOTS, index) if m not in actors]
        xcomp = next((c for c in tok.children if c.dep_ == "xcomp"), None)
        if not recipients and xcomp is not None and self.has(trig, "content_complement"):
            recipients = [m for m in self._fill(xcomp, None, FALLBACK_SLOTS, index) if m not in actors]
        if not recipients and not two_parties and (cam := self.lex.cameo.get(trig.cameo)) is not None and cam.quad_class >= 3:
            recipients = self._reason_doer(tok, obj_noun, actors, index)
        if not recipients and not two_parties:
            recipients = deep_recipient(tok, actors, index, self.has(trig, "place_target"), self.lex.words)
        if not recipients and comp is not None and self.has(trig, "complement_target"):
            csubj = subject_of(comp)
            own = countries_of(actors)
            if csubj is not None:
                # "warned they could impose sanctions": the speaker's own side (a pronoun for it) is not the target
                recipients = [m for m in index.fillers(csubj) if m not in actors and any(a.country for a in m.actors)
                              and not (m.kind == "pronoun" and {a.country for a in m.actors} <= own)]
        if not recipients and self.lex.cameo.get(trig.cameo) is not None and self.lex.cameo[trig.cameo].quad_class >= 3:
            recipients = self._conditioned_on(tok, actors, index)
        own_ids = {a.id or a.name for m in actors for a in m.actors if a.kind in {"person", "org"} and (a.id or a.name)}
        if own_ids:
            # "Guterres condemned what he called a takeover": a pronoun for the actor is not its own target
            recipients = [m for m in recipients if not (m.actors and all(
                a.kind in {"person", "org"} and (a.id or a.name) in own_ids for a in m.actors))]
        if self.has(trig, "own_forces"):
            # "sent its warplanes", "scrambled fighter jets": the side's own forces are what moves, not a target
            own = countries_of(actors)
            recipients = [m for m in recipients if not ({a.country for a in m.actors} <= own and own)]
        return recipients

    def _reason_doer(self, tok: Token, obj_noun: Token | None, actors: list[ActorMention],
                     index: MentionIndex) -> list[ActorMention]:
        """"sanctions imposed by Western countries over its annexation of Crimea", "expelled envoys over
        Moscow's support for the rebels": a conflictual act over or for another act is aimed at that act's
        doer (its possessor or by-agent), not at the parties inside it."""
        own = countries_of(actors)
        for head in [tok] + ([obj_noun] if obj_noun is not None else []):
            for prep in head.children:
                if prep.dep_ != "prep" or prep.lower_ not in {"over", "for"}:
                    continue
                for act in prep.children:
                    if act.dep_ != "pobj" or not self._candidates(act, "NOUN"):
                        continue
                    out = _other_side(_act_doers(act, {"poss"}), actors, own, index)
                    if out:
                        return out
        return []

    def _answered_party(self, tok: Token, actors: list[ActorMention], index: MentionIndex) -> list[ActorMention]:
        """"Russia retaliated against sanctions imposed by Western countries", "hit back at US tariffs": a
        response is aimed at whoever did the act it answers (the act's by-agent, possessor or modifier)."""
        if tok.pos_ not in {"VERB", "AUX"}:
            return []
        lemma = tok.lemma_.lower()
        particle = next((c.lower_ for c in tok.children if c.dep_ == "prt"), None)
        if lemma not in self.lex.words.response_verbs and f"{lemma} {particle}" not in self.lex.words.response_verbs:
            return []
        own = countries_of(actors)
        acts = [p for c in tok.children if c.dep_ == "prep" and c.lower_ in {"against", "to", "at"}
                for p in c.children if p.dep_ == "pobj" and p.pos_ in {"NOUN", "PROPN"} and not index.fillers(p)]
        for act in acts:
            doers = _act_doers(act, {"poss", "compound", "amod"})
            doers += [p for v in act.children if v.dep_ == "acl" for a in v.children if a.dep_ == "agent"
                      for p in a.children if p.dep_ == "pobj"]
            out = _other_side(doers, actors, own, index)
            if out:
                return out
        return []

    def _responder_target(self, tok: Token, actors: list[ActorMention], index: MentionIndex) -> list[ActorMention]:
        """"as Yugoslavia reacts to NATO airstrikes", "Iran responded to the Israeli strikes": whoever answers
        an act is the one it was aimed at (the subject of the response verb whose object the act is)."""
        if tok.pos_ not in {"NOUN", "PROPN"} or tok.dep_ != "pobj" or tok.head.lower_ not in {"to", "against", "at"}:
            return []
        verb = tok.head.head
        particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
        lemma = verb.lemma_.lower()
        if verb.pos_ != "VERB" or (lemma not in self.lex.words.response_verbs
                                   and f"{lemma} {particle}" not in self.lex.words.response_verbs):
            return []
        subj = subject_of(verb)
        own = countries_of(actors)
        return [m for m in (index.fillers(subj) if subj is not None else [])
                if m not in actors and {a.country for a in m.actors if a.country} - own]

    def _conditioned_on(self, tok: Token, actors: list[ActorMention], index: MentionIndex) -> list[ActorMention]:
        """A conflict act made conditional on another party's act is aimed at that party ("if Seoul crosses
        the line, its troops will strike"): the subject of an if/unless clause of the trigger's clause, of
        its complement (the act threatened) or of the clauses above it (at most two steps)."""
        own = countries_of(actors)
        # the threatened act's own condition too: "warned they could impose sanctions if he escalates"
        nodes = [t for c in tok.children if c.dep_ in {"ccomp", "xcomp"} for t in c.subtree if t.dep_ != "advcl"]
        node = tok
        for _ in range(3):
            nodes.append(node)
            if node.head.i == node.i:
                break
            node = node.head
        for node in nodes:
            for c in node.children:
                if c.dep_ == "advcl" and any(x.dep_ == "mark" and x.lower_ in {"if", "unless"} for x in c.children):
                    subj = subject_of(c)
                    found = [m for m in index.fillers(subj) if m not in actors and any(
                        a.country and a.country not in own for a in m.actors)] if subj is not None else []
                    if found:
                        return found
        return []

    def _the_dead(self, tok: Token, actors: list[ActorMention], index: MentionIndex) -> list[ActorMention]:
        """'a prisoner died as a result of torture', 'died after a beating': the dead are the target; so are
        those an attack noun kills or wounds as the verb's subject ('a U.S. drone strike killed Iranian
        commander Qassem Soleimani')."""
        if tok.dep_ == "nsubj" and tok.head.lemma_.lower() in self.lex.words.consequence_verbs:
            return [m for o in tok.head.children if o.dep_ == "dobj" for m in index.fillers(o) if m not in actors]
        node = tok
        for _ in range(4):
            if node.dep_ not in {"pobj", "prep", "compound"} or node.head.i == node.i:
                break
            node = node.head
        if node.lemma_.lower() not in self.lex.words.dying_verbs:
            return []
        subj = next((c for c in node.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        return [m for m in (index.fillers(subj) if subj is not None else []) if m not in actors]

    def _place_sides(self, tok: Token, trig: Trigger, toks: list[int], location: ActorMention | None,
                     actors: list[ActorMention], recipients: list[ActorMention],
                     index: MentionIndex) -> tuple[list[ActorMention], list[ActorMention]]:
        """Sides from the place: the place attacked or blockaded is the target when nobody else is
        ("reimposed blockades in the West Bank"); an unidentified attacker is coded to the place of the
        attack (PLOVER's UAF convention); a domestic event's target is its own country (implicit)."""
        if location is not None and self.has(trig, "place_target"):
            if not recipients:
                recipients = [location]
            if not actors and is_passive(tok):
                actors = [ActorMention(location.start, location.end, location.start_char, location.end_char,
                                       location.text, [Actor(None, a.country, "UAF", None, "generic") for a in location.actors],
                                       "place", location.head)]
        if self.has(trig, "domestic") and actors and not recipients:
            recipients = self._domestic_target(tok, trig, toks, location, actors, index)
        return actors, recipients

    def _domestic_target(self, tok: Token, trig: Trigger, toks: list[int], location: ActorMention | None,
                         actors: list[ActorMention], index: MentionIndex) -> list[ActorMention]:
        """PLOVER codes an event with no stated target inside one country as domestic: a protest is aimed at
        the government where it happens; a demand, threat, concession or act of repression in a sentence
        that names no other country is aimed at that country. The recipient is marked kind "implicit"."""
        place = location.actors[0].country if location is not None and location.actors else None
        protest = trig.event_type == "PROTEST"
        home = (self._purpose_state(tok, index) if protest else None) or place or next(
            (a.country for m in actors for a in m.actors if a.country), None)
        if not home or home not in self.state_codes:
            return []
        if not protest:
            named = {a.country for m in index.mentions_in(tok.sent) for a in m.actors if a.country in self.state_codes}
            named_target = any(c.dep_ in {"dobj", "dative"} and c.pos_ in {"NOUN", "PROPN"} and c.i not in toks
                               for c in tok.children) or any(
                c.dep_ == "prep" and c.lower_ in {"upon", "to", "against", "with"} and c.i not in toks for c in tok.children)
            if not (named <= {home} and not named_target):
                return []
        return [ActorMention(tok.i, tok.i + 1, tok.idx, tok.idx + len(tok.text), tok.text,
                             [Actor(None, home, "GOV" if protest else None, f"country:{home}", "state")], "implicit", tok.i)]

    def _trip_at_home(self, trig: Trigger, actors: list[ActorMention], recipients: list[ActorMention]) -> bool:
        """"The freed hostage flew to an air force base in southern England", "the president flew to
        Vladivostok": travel inside the traveller's own country visits nobody."""
        if trig.mode != "visit" or not recipients:
            return False
        own = {a.country for m in actors for a in m.actors if a.country in self.state_codes}
        there = {a.country for m in recipients for a in m.actors}
        return bool(own) and there <= own

    def _purpose_state(self, tok: Token, index: MentionIndex) -> str | None:
        """"staged a rally in Cologne to denounce the failed coup in Turkey": the one state a protest's
        purpose clause names is what it is aimed at, wherever it is held."""
        for node in (tok, tok.head):
            for c in node.children:
                if c.dep_ in {"advcl", "xcomp", "acl"} and any(x.dep_ == "aux" and x.lower_ == "to" for x in c.children):
                    lo, hi = c.left_edge.i, c.right_edge.i + 1
                    named = {a.country for m in index.mentions_in(tok.doc[lo:hi]) for a in m.actors
                             if a.country in self.state_codes}
                    if len(named) == 1:
                        return next(iter(named))
            if node.head.i == node.i:
                break
        return None

    def _has_sides(self, tok: Token, trig: Trigger, actors: list[ActorMention], recipients: list[ActorMention],
                   index: MentionIndex) -> bool:
        """Whether the event can be coded: some side (story-sided types are completed by dyads.py), a
        recipient where the row needs one, and a person or group as object for verbs that need one."""
        if not actors and not recipients and not self.has(trig, "story_sided"):
            return False
        if trig.needs_recipient and not recipients and sum(len(m.actors) for m in actors) < 2:
            return False
        return object_allowed(tok, trig, index, self.lex.words)

    def _status_cues(self, doc: Doc, tok: Token, actors: list[ActorMention], index: MentionIndex, quotes: QuoteIndex,
                     nominal: bool) -> tuple[TimeMention | None, StatusCues, ActorMention | None]:
        """The event's date, the cues its status is decided from (:func:`decide_status`) and its attribution."""
        nominal_subject = nominal and (tok.dep_ in {"nsubj", "nsubjpass", "poss"} or any(c.dep_ == "poss" for c in tok.children))
        parse = event_status(tok, self.lex, nominal_subject=nominal_subject)
        date = _time_for(doc, tok)
        future = date is not None and date.first is not None and doc._.dct is not None and date.first > doc._.dct
        if future and not nominal and _clause_tense(tok) == "past":
            date, future = None, False  # "have agreed to hold talks on Monday": a past act is not dated by its planned complement
        # a past-tense clause keeps its status ("have signed ... on Sunday")
        future_date = date.text if future and date is not None and _clause_tense(tok) != "past" else None
        att_tok, _ = self._reporting(tok)
        attribution = index.at(att_tok) if att_tok is not None else None
        in_quote, quote_cue = False, None
        if attribution is None:
            q = quotes.at(tok.i)  # the first quote with a speaker that holds the trigger
            if q is not None:
                attribution, in_quote, quote_cue = q.speaker, True, q.cue
        if attribution is None:
            rep = trailing_reporter(tok, self.lex.words)
            if rep is not None:
                who = subject_of(rep) if rep.lower_ != "according" else next(
                    (p for to in rep.children for p in to.children if p.dep_ == "pobj"), None)
                attribution = index.at(who) if who is not None else None
        self_report = attribution is not None and bool(actors) and _self_report(attribution, actors)
        return date, StatusCues(parse, future_date, in_quote, quote_cue, self_report), attribution

    def _fill(self, tok: Token, obj_noun: Token | None, slots: tuple[str, ...], index: MentionIndex) -> list[ActorMention]:
        for slot in slots:
            out: list[ActorMention] = []
            for t in slot_tokens(tok, obj_noun, slot, self.lex.words):
                for m in index.fillers(t):
                    # an actor needs a country or at least a sector: an unknown bare name cannot be coded
                    if m not in out and any(a.country or (a.name and a.sector) for a in m.actors):
                        out.append(m)
            if out:
                return out
        return []

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


def _act_doers(act: Token, modifiers: set[str]) -> list[Token]:
    """Who did the act a noun names: its modifiers of the kinds given ("Moscow's support", "US tariffs")
    and its by-agent ("sanctions by the EU")."""
    doers = [c for c in act.children if c.dep_ in modifiers]
    return doers + [p for c in act.children if c.dep_ == "prep" and c.lower_ == "by" for p in c.children if p.dep_ == "pobj"]


def _other_side(doers: list[Token], actors: list[ActorMention], own: set[str],
                index: MentionIndex) -> list[ActorMention]:
    """The party mentions of ``doers`` that are not the actors and name a country of their own."""
    return [m for d in doers for m in index.fillers(d)
            if m not in actors and {a.country for a in m.actors if a.country} - own]
