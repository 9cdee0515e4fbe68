"""An event's status from the words around its trigger, read from ``status_cues.tsv``.

Walk from the trigger up the dependency tree through complement relations only (xcomp,
ccomp, pcomp/prep, a noun's complement clause), collecting cues:

* on the trigger: negation (``not``, ``never``), modal/auxiliary cues (``will`` → planned,
  ``may`` → hypothetical), adverbs (``reportedly``), conditional marks (``if``);
* on each governor: the governor's own cue (``refrain`` → negated, ``consider`` →
  hypothetical, ``deny`` → denied, ``plan`` → planned), with a negated governor looking its
  ``governor_negated`` row up (``did not confirm`` → unconfirmed), and the governor's own
  modal (``may be considering``);
* on a noun that governs the clause (``reports that ...``), the noun's cue and, through it, the
  verb it is the object of (``dismissed reports that`` → denied).

The strongest status wins (``rank`` in resources/events/plover.toml): denied > unconfirmed > negated >
hypothetical > planned > reported > asserted.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

from dotterel.events.lexicon import Lexicon, WordClasses
from dotterel.spans import StatusCues

UP_DEPS = {"xcomp", "ccomp", "pcomp", "acl", "csubj", "oprd"}




def _negated(tok: Token, lex: Lexicon) -> bool:
    """'did not confirm', 'declined to confirm', 'stopped short of threatening'."""
    if any(c.dep_ == "neg" or c.lower_ in lex.english.negation_words and c.dep_ in {"advmod", "neg", "det"} for c in tok.children):
        return True
    if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in lex.words.refusing_verbs:
        return True
    return False


def _local(tok: Token, lex: Lexicon) -> tuple[str, str] | None:
    """Cues attached directly to ``tok`` (as trigger or governor)."""
    best: tuple[str, str] | None = None
    rank = lex.ontology.rank

    def take(status: str, cue: str) -> None:
        nonlocal best
        if best is None or rank[status] > rank[best[0]]:
            best = (status, cue)

    for c in tok.children:
        low = c.lower_
        if c.dep_ in {"aux", "auxpass"}:
            row = lex.cue("aux", low) or lex.cue("aux", c.lemma_.lower())
            if row is not None:
                take(row.status, c.text)
        elif c.dep_ == "advmod":
            row = lex.cue("adverb", low)
            if row is not None:
                take(row.status, c.text)
        elif c.dep_ == "mark":
            row = lex.cue("conj", low)
            if row is not None:
                take(row.status, c.text)
    # "is to visit", "is set to", "is due to": be + xcomp infinitive
    if tok.dep_ == "xcomp" and tok.head.lemma_ == "be" and any(c.lower_ == "to" for c in tok.children):
        take("planned", "is to")
    # headline infinitive: "Xi to visit Russia"
    if tok.dep_ in {"ROOT", "advcl", "relcl"} and tok.tag_ == "VB" and any(c.lower_ == "to" and c.dep_ == "aux" for c in tok.children) \
            and not any(c.dep_ in {"aux"} and c.lower_ != "to" for c in tok.children) and tok.dep_ == "ROOT":
        take("planned", "to")
    negation = "not" if _negated(tok, lex) else getattr(_negative_subject(tok, lex), "text", None)
    if negation is not None:
        take("negated", negation)
    for c in tok.children:
        # "no longer", "not yet", "never again"
        if c.dep_ == "advmod" and c.lower_ in {"longer", "yet"} and any(x.lower_ in {"no", "not"} for x in c.children):
            take("negated", f"no {c.text}")
    return best




def _negative_subject(tok: Token, lex: Lexicon) -> Token | None:
    """A verb's subject that says nobody did it: "no agreement was signed", "none of the fighters had
    left", "neither side fired"."""
    if tok.pos_ not in {"VERB", "AUX"}:
        return None
    subj = next((c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subj is not None and (subj.lower_ in lex.english.negative_pronouns or any(
            c.dep_ == "det" and c.lower_ in {"no", "neither"} for c in subj.children)):
        return subj
    return None


def _complement_clause(verb: Token, relative_words: frozenset[str]) -> bool:
    """'reports that X attacked Y' (a complement: the noun's content) as opposed to
    'a claim that the minister dismissed' (a relative clause: the noun is the verb's object)."""
    if any(c.dep_ == "mark" for c in verb.children):
        return True
    return not any(c.lower_ in relative_words and c.dep_ in {"dobj", "nsubj", "nsubjpass", "pobj"} for c in verb.children)




def _within_phrase(node: Token, top: Token) -> bool:
    """``node`` hangs off ``top`` through noun-phrase links only (prepositions, their objects, conjuncts)."""
    for _ in range(6):
        if node.i == top.i:
            return True
        if node.dep_ not in {"prep", "pobj", "conj", "compound", "appos"} or node.head.i == node.i:
            return False
        node = node.head
    return False


def decide_status(cues: StatusCues) -> tuple[str, str | None]:
    """The one place that decides an event mention's status (and the cue shown for it) from the cues the
    stage collected: the parse's strongest cue; an asserted event dated after publication in a clause not
    in the past tense is planned; an asserted event inside a quote is reported (by the quote's cue); a
    report by the actor itself (or an official of its own state) is asserted."""
    status, cue = cues.parse
    if status == "asserted" and cues.future_date is not None:
        status, cue = "planned", cues.future_date
    if status == "asserted" and cues.in_quote:
        status, cue = "reported", cues.quote_cue
    if status == "reported" and cues.self_report:
        status = "asserted"
    return status, cue


def group_status(best: str, statuses: Iterable[str]) -> str:
    """The status of one event from its mentions' (``best``: the best mention's): presupposed mentions
    ("Xi's Russia visit comes as ...") of an event planned elsewhere in the story leave it planned."""
    if best == "asserted" and "planned" in statuses:
        return "planned"
    return best


def statement_status() -> str:
    """The status of an event a document pass derives from another's modality (PLOVER's future rule: the
    stated intention beside a planned event; the REJECT of a ruled-out or failed action): the statement
    itself was made, so it is asserted, whatever the status of the action it is about."""
    return "asserted"


class _Strongest:
    """The strongest (status, cue) seen so far, by the ontology's status ranks."""

    __slots__ = ("cue", "rank", "status")

    def __init__(self, rank: dict[str, int]) -> None:
        self.rank = rank
        self.status = "asserted"
        self.cue: str | None = None

    def take(self, status: str, cue: str | None) -> None:
        if self.rank[status] > self.rank[self.status]:
            self.status, self.cue = status, cue

    def take_found(self, found: tuple[str, str] | None, only: frozenset[str] | None = None) -> None:
        if found and (only is None or found[0] in only):
            self.take(*found)


#: cues of a governing clause that pass to the events below it
MODAL = frozenset({"planned", "hypothetical", "negated"})
FUTURE_OR_POSSIBLE = frozenset({"planned", "hypothetical"})


def event_status(trigger: Token, lex: Lexicon, nominal_subject: bool = False) -> tuple[str, str | None]:
    """(status, cue text) for the event anchored at ``trigger``, from the parse alone: the cues on the
    trigger, on the clause a nominal trigger sits in, on its governors, and in its sentence. The final
    status of an event also weighs what the events stage knows beyond the parse: :func:`decide_status`."""
    best = _Strongest(lex.ontology.rank)
    _trigger_cues(trigger, lex, best)
    if nominal_subject:
        return best.status, best.cue
    _walk_governors(trigger, _clause_of(trigger, lex, best), lex, best)
    if best.status == "asserted":
        cue = _trailing_attribution(trigger, lex.words)
        if cue is not None:
            best.take("reported", cue)
    best.take_found(_existential_negation(trigger))
    best.take_found(_unverified_in_sentence(trigger, lex.words))
    return best.status, best.cue


def _trigger_cues(trigger: Token, lex: Lexicon, best: _Strongest) -> None:
    """Cues on the trigger itself: its own modals, adverbs and negation; for an event noun, the verb that
    calls or schedules it and participles of expectation; hearsay modifiers ('the alleged plot')."""
    found = _local(trigger, lex)
    if found:
        if found[1].lower() == "would" and _reported_clause(trigger, lex.words):
            found = ("planned", found[1])  # "said they would blockade Paris": the future of the past
        best.take(*found)
    if trigger.pos_ in {"NOUN", "PROPN"}:
        _scheduled_noun(trigger, lex.words, best)
        _staged_noun(trigger, lex, best)
    # "the reported airstrike", and a verb whose subject it is ("the reported airstrike hit a wedding")
    said = [trigger] if trigger.pos_ in {"NOUN", "PROPN"} else \
        [c for c in trigger.children if c.dep_ in {"nsubj", "nsubjpass"} and c.pos_ in {"NOUN", "PROPN"}]
    for noun in said:
        cue = next((c.text for c in noun.children if c.dep_ in {"amod", "compound"} and c.lower_ in lex.words.hearsay_modifiers), None)
        if cue is not None:
            best.take("unconfirmed", cue)


def called_for_gathering(noun: Token, words: WordClasses) -> bool:
    """'called for fresh demonstrations', 'called for a boycott of their goods': a gathering a convening
    verb calls *for* (not 'called for talks with X', which the talks' own row answers the same way)."""
    return noun.dep_ == "pobj" and noun.head.lower_ == "for" and noun.head.head.i != noun.head.i \
        and noun.head.head.lemma_.lower() in words.convening_verbs and noun.lemma_.lower() in words.gathering_nouns


def _scheduled_noun(trigger: Token, words: WordClasses, best: _Strongest) -> None:
    """'more protests were called for Thursday', 'announced talks': a gathering called or scheduled;
    'a meeting ... expected by early June', 'talks scheduled for Monday': a participle of expectation or
    scheduling modifying the event noun (or a noun inside its own phrase: 'a meeting between the leaders
    of X and Y, expected by June') makes it planned."""
    if trigger.dep_ in {"nsubjpass", "dobj"} and trigger.head.lemma_.lower() in words.convening_verbs \
            and trigger.lemma_.lower() in words.gathering_nouns:
        best.take("planned", trigger.head.text)
    elif called_for_gathering(trigger, words):
        best.take("planned", trigger.head.head.text)  # "called for fresh demonstrations on Friday"
    for c in trigger.subtree:
        if c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_.lower() in words.scheduling_participles and not any(
                x.dep_ == "neg" for x in c.children) and _within_phrase(c.head, trigger):
            best.take("planned", c.text)


def _staged_noun(trigger: Token, lex: Lexicon, best: _Strongest) -> None:
    """'a vaccination campaign will be launched', 'the talks will not take place', 'did not stage their
    usual march': an event noun (or the noun it names the kind of) that is the subject or object of a verb
    that only stages it takes that verb's future, possibility or negation, also when it is possessed (not in a time or condition clause: "once the drills begin")."""
    noun = trigger.head if trigger.dep_ == "compound" and trigger.head.pos_ in {"NOUN", "PROPN"} else trigger
    verb = noun.head
    if noun.dep_ not in {"nsubj", "nsubjpass", "dobj"} or verb.i == noun.i or verb.pos_ not in {"VERB", "AUX"}:
        return
    if any(c.dep_ == "mark" for c in verb.children):
        return  # "once the drills begin": a time clause presupposes the event, it does not plan it
    lemma = verb.lemma_.lower()
    staged = lemma in lex.words.staging_verbs or any(
        c.dep_ == "dobj" and f"{lemma} {c.lemma_.lower()}" in lex.words.happening_idioms for c in verb.children)
    if staged:
        best.take_found(_local(verb, lex), MODAL)


def _clause_of(trigger: Token, lex: Lexicon, best: _Strongest) -> Token:
    """Where the walk up the governors starts: the trigger, or for a nominal trigger the verb whose object
    or adjunct it is, whose modality it shares ('During this visit, Xi will have ...', 'would be ready to
    host a meeting')."""
    if trigger.pos_ not in {"NOUN", "PROPN"}:
        return trigger
    node = trigger
    while node.dep_ in {"pobj", "prep", "dobj", "compound"} and node.head.i != node.i and node.pos_ not in {"VERB", "AUX"}:
        node = node.head
    if node.i != trigger.i and node.pos_ in {"VERB", "AUX"}:
        found = _local(node, lex)
        if found and found[1].lower() == "would" and trigger.dep_ == "dobj" and _reported_clause(node, lex.words):
            found = ("planned", found[1])  # "confirmed that a delegation would attend the talks"
        best.take_found(found, MODAL)
        return node
    return trigger


def _walk_governors(trigger: Token, start: Token, lex: Lexicon, best: _Strongest) -> None:
    """Up to four steps up the tree through complement relations (see the module docstring)."""
    node: Token | None = start
    for _ in range(4):
        assert node is not None
        node = _governor_step(node, trigger, lex, best)
        if node is None:
            return


def _governor_step(node: Token, trigger: Token, lex: Lexicon, best: _Strongest) -> Token | None:
    """One step from ``node`` to its governor, taking the governor's cues; None where the walk stops."""
    dep, gov = node.dep_, node.head
    if gov.i == node.i:
        return None
    if (dep == "pobj" and gov.dep_ in {"prep", "agent", "dative"}) or dep == "agent":
        return gov
    if dep == "prep" and gov.pos_ in {"VERB", "AUX", "ADJ"} and node.lower_ in {"from", "of", "on", "about", "to"}:
        pass
    elif dep not in UP_DEPS and not (dep == "conj" and node.i == trigger.i):
        return None
    if dep == "conj":
        best.take_found(_local(gov, lex), MODAL)
        return gov
    if _be_adjective_to(dep, gov, lex, best):
        return gov
    if gov.pos_ in {"NOUN", "PROPN"}:
        _noun_governor(node, gov, lex, best)
        return None
    _verb_governor(dep, gov, lex, best)
    return gov


def _be_adjective_to(dep: str, gov: Token, lex: Lexicon, best: _Strongest) -> bool:
    """'is ready to', 'is set to', 'is expected to' (a ``phrase`` cue); True when one was taken."""
    linked = gov.pos_ == "ADJ" and gov.dep_ == "acomp" and gov.head.lemma_.lower() in lex.words.linking_verbs
    if not (dep == "xcomp" and gov.pos_ in {"ADJ", "VERB"} and (gov.head.lemma_ == "be" or linked or any(
            c.lemma_ == "be" and c.dep_ in {"auxpass", "cop", "aux"} for c in gov.children))):
        return False
    lemma = gov.lemma_.lower()
    row = lex.cue("phrase", f"be {lemma} to") or lex.cue("phrase", f"be {gov.text.lower()} to")
    if row is None:
        return False
    best.take(row.status, f"be {gov.text} to")
    best.take_found(_local(gov.head if gov.head.lemma_ == "be" or linked else gov, lex), MODAL)
    return True


def _noun_governor(node: Token, gov: Token, lex: Lexicon, best: _Strongest) -> None:
    """A noun whose complement holds the event ('reports that ...'): the noun's cue, decided by the noun's
    own governor ('dismissed reports that', 'did not confirm reports that', 'no confirmation of reports')."""
    row = lex.cue("noun", gov.lemma_.lower()) if _complement_clause(node, lex.english.relative_words) else None
    if row is None:
        return
    status = row.status
    vg = gov.head
    if gov.dep_ == "pobj" and vg.dep_ == "prep" and vg.head.lemma_.lower() in {"confirmation", "evidence", "sign"} \
            and any(c.lower_ == "no" for c in vg.head.children):
        best.take("unconfirmed", f"no {vg.head.text} of {gov.text}")
        return
    if gov.dep_ in {"dobj", "pobj", "nsubjpass"} and vg.pos_ in {"VERB", "AUX"}:
        vrow = lex.cue("governor_negated", vg.lemma_.lower()) if _negated(vg, lex) else lex.cue("governor", vg.lemma_.lower())
        if vrow is not None and vrow.status in {"denied", "unconfirmed"}:
            status = vrow.status
    best.take(status, f"{vg.text} {gov.text}" if vg.i != gov.i else gov.text)


def _verb_governor(dep: str, gov: Token, lex: Lexicon, best: _Strongest) -> None:
    """A governing verb: 'stopped short of', its negation ('did not confirm': ``governor_negated``), its
    own cue ('plans to', 'denied that') or a reporting verb, and its own future or possibility modals."""
    lemma = gov.lemma_.lower()
    if lemma == "stop" and any(c.lower_ == "short" for c in gov.children):
        best.take("negated", "stopped short of")
    if _negated(gov, lex):
        row = lex.cue("governor_negated", lemma)
        if row is not None:
            best.take(row.status, f"not {gov.text}")
        elif dep in {"xcomp", "pcomp", "prep"}:
            best.take("negated", f"not {gov.text}")
    row = lex.cue("governor", lemma)
    if row is not None:
        best.take(row.status, gov.text)
    elif lemma in lex.words.reporting_verbs:
        best.take("reported", gov.text)
    best.take_found(_local(gov, lex), FUTURE_OR_POSSIBLE)




def _existential_negation(trigger: Token) -> tuple[str, str] | None:
    """"There won't be a meeting", "there was no attack": an event noun negated by existential *be*."""
    if trigger.pos_ not in {"NOUN", "PROPN"} or trigger.dep_ not in {"attr", "nsubj"}:
        return None
    be = trigger.head
    if be.lemma_ != "be" or not any(c.dep_ == "expl" for c in be.children):
        return None
    if any(c.dep_ == "neg" for c in be.children) or any(c.dep_ == "det" and c.lower_ == "no" for c in trigger.children):
        return ("negated", "there " + be.text + " not")
    return None


def _unverified_in_sentence(trigger: Token, words: WordClasses) -> tuple[str, str] | None:
    """"X was arrested, but this could not be confirmed": a clause of the same sentence that says the
    report could not be checked (subject *this/it/which*, or a passive with no subject)."""
    for tok in trigger.sent:
        if tok.lemma_.lower() not in words.verifying_verbs or tok.i == trigger.i:
            continue
        if not any(c.dep_ == "neg" for c in tok.children):
            continue
        subj = [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if all(c.lower_ in {"this", "it", "which", "that"} for c in subj) and tok.i > trigger.i:
            return ("unconfirmed", tok.text)
    return None


def _reported_clause(tok: Token, words: WordClasses) -> bool:
    """Whether the trigger's clause is the content of a reporting or declaring verb ('said they would
    blockade Paris'; for an event noun, the clause of the verb that governs it: 'confirmed that a
    delegation would attend the talks')."""
    node = tok
    climb = {"conj"} | ({"dobj", "pobj", "prep", "xcomp"} if tok.pos_ in {"NOUN", "PROPN"} else set())
    while node.dep_ in climb and node.head.i != node.i:
        node = node.head
    return node.dep_ == "ccomp" and node.head.lemma_.lower() in (
        words.reporting_verbs | words.declaring_verbs | {"announce", "vow", "pledge", "promise", "confirm"})


def trailing_reporter(trigger: Token, words: WordClasses) -> Token | None:
    """The reporting verb or 'according to' preposition that attributes the trigger's clause."""
    node = trigger
    while node.dep_ in {"conj", "xcomp", "dobj", "pobj", "prep"} and node.head.i != node.i:
        node = node.head
    for c in node.children:
        if c.dep_ in {"parataxis", "ccomp", "advcl"} and c.i > trigger.i and c.lemma_.lower() in words.reporting_verbs \
                and not any(x.dep_ in {"ccomp"} for x in c.children):
            return c
        if c.dep_ == "prep" and c.lower_ == "according":
            return c
    return None


def _trailing_attribution(trigger: Token, words: WordClasses) -> str | None:
    """'X attacked Y, state media reported' / 'X attacked Y, according to officials': the clause the
    trigger heads is itself attributed (the parser hangs the reporting verb below it)."""
    node = trigger
    while node.dep_ in {"conj", "xcomp", "dobj", "pobj", "prep"} and node.head.i != node.i:
        node = node.head
    for c in node.children:
        if c.dep_ in {"parataxis", "ccomp", "advcl"} and c.i > trigger.i and c.lemma_.lower() in words.reporting_verbs \
                and not any(x.dep_ in {"ccomp"} for x in c.children):
            return c.text
        if c.dep_ == "prep" and c.lower_ == "according":
            return "according to"
    return None
