"""The event lexicon: trigger patterns, the CAMEO table and status cues, read from
``resources/events/*.tsv`` (plus users' files; a user row with the same pattern and pos
replaces the built-in one)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, field_validator, model_validator

from dotterel.errors import DotterelError, ErrorCode
from dotterel.ontology import Ontology, builtin_ontology, load_ontology
from dotterel.tables import read_table, read_word_classes, split_multi
from dotterel.words import EnglishWords, english_words


class _OntologyRow(BaseModel):
    """A lexicon row whose type, mode, context and slots must fit an ontology (the built-in one
    unless :func:`load_lexicon` binds the ontology of its resource folders, see :func:`_bound`)."""

    ontology: ClassVar[Ontology | None] = None
    #: the derived PETRARCH2 layer writes a few values that are not PLOVER modes (``pro_autocracy``,
    #: ``cleansing``, from its conversion table); they are kept as they are until it is regenerated
    check_modes: ClassVar[bool] = True
    event_type: str
    mode: str = ""
    actor: str = ""
    recipient: str = ""

    def _contexts(self) -> list[str]:
        return []

    def _slots(self) -> list[str]:
        return split_multi(self.actor) + split_multi(self.recipient)

    @model_validator(mode="after")
    def _fits_ontology(self) -> _OntologyRow:
        onto = type(self).ontology or builtin_ontology()
        mode = self.mode if type(self).check_modes else ""
        reason = onto.check_trigger(self.event_type, mode, self._contexts(), self._slots())
        if reason is not None:
            raise ValueError(reason)
        return self


class TriggerRow(_OntologyRow):
    pattern: str
    pos: str
    cameo: str
    reciprocal: int = 0
    context: str = ""
    notes: str = ""

    def _contexts(self) -> list[str]:
        return split_multi(self.context)

    @field_validator("pos")
    @classmethod
    def _pos(cls, v: str) -> str:
        if v not in {"VERB", "NOUN"}:
            raise ValueError("pos must be VERB or NOUN")
        return v

    @field_validator("reciprocal", mode="before")
    @classmethod
    def _int(cls, v: object) -> int:
        return int(str(v or 0))


class DerivedTriggerRow(TriggerRow):
    """petrarch_triggers.tsv rows: as :class:`TriggerRow`, but the mode is not checked (see ``check_modes``)."""

    check_modes: ClassVar[bool] = False


class SenseRow(_OntologyRow):
    """senses.tsv: the event a verb codes when a slot holds a noun of a class."""

    lemma: str
    slot: str
    noun_class: str
    cameo: str
    actor: str = "subj"
    notes: str = ""

    def _slots(self) -> list[str]:
        return [self.slot, *super()._slots()]


def _bound[R: _OntologyRow](model: type[R], onto: Ontology) -> type[R]:
    """``model`` validating against ``onto`` (a user's ontology may add types and modes)."""
    return type(model.__name__, (model,), {"ontology": onto, "__module__": __name__})


class NounClassRow(BaseModel):
    noun_class: str
    lemma: str


class CameoRow(BaseModel):
    code: str
    name: str
    plover_type: str = ""
    mode: str = ""
    context: str = ""
    quad_class: int
    goldstein: float


class StatusCueRow(BaseModel):
    cue: str
    kind: str
    status: str
    scope: str = ""
    notes: str = ""

    @field_validator("status")
    @classmethod
    def _status(cls, v: str) -> str:
        if v not in builtin_ontology().statuses:
            raise ValueError(f"unknown status {v!r}")
        return v


@dataclass(frozen=True, slots=True)
class WordClasses:
    """The word classes of ``resources/events/word_classes.tsv`` (one field per class; the rules read
    them here instead of keeping word lists in code)."""

    #: objects that make 'attack' verbal (ACCUSE): attacking a policy, a remark
    speech_objects: frozenset[str]
    #: people whose expulsion is a diplomatic SANCTION rather than COERCE
    diplomats: frozenset[str]
    #: objects that make a vow a threat ('vowed revenge')
    hostile_nouns: frozenset[str]
    #: complements that make a vow a threat ('vowed to retaliate')
    hostile_verbs: frozenset[str]
    #: modifiers that make a strike a labour strike ('general strike')
    labour_modifiers: frozenset[str]
    #: verbs that govern a labour strike ('went on strike', 'called a strike')
    labour_governors: frozenset[str]
    #: agents that make a raid a police search (COERCE)
    police: frozenset[str]
    #: verbs whose event sense needs a person or group as object ('released the prisoners')
    person_object_verbs: frozenset[str]
    #: person-object verbs whose counted plural object is people whatever the noun ('kidnapped 27 schoolboys')
    counted_people_verbs: frozenset[str]
    #: verbs that say conduct breaks a rule ('the drills violate UN resolutions'): said of another party, an accusation
    violation_verbs: frozenset[str]
    #: predicates that, said of another party in a reported clause, blame it ('said Russia would bear responsibility
    #: for a massacre', 'said the world body had failed his country'): 'verb object' pairs, or a verb whose object
    #: must be a party
    blame_predicates: frozenset[str]
    #: verbs that depict or remember past events ('the film depicts the genocide'): their event objects are history
    depiction_verbs: frozenset[str]
    #: nouns whose of-complement is a past event remembered ('the anniversary of the invasion')
    memory_nouns: frozenset[str]
    #: nouns for people or groups of people (objects of person_object_verbs)
    people_nouns: frozenset[str]
    #: verb + object idioms that only say something happens or holds ('took place in Geneva', 'took effect'):
    #: the verb's own rows ('take in' refugees) do not apply
    happening_idioms: frozenset[str]
    #: event nouns done to a person: a person as possessor is the one it is done to ('McCarthy's release',
    #: 'the journalist's arrest'), not its agent
    patient_nouns: frozenset[str]
    #: conflict verbs that, done by civilians, are PROTEST obstruct
    civil_obstruct: frozenset[str]
    #: conflict verbs that, done by civilians, are PROTEST riot
    civil_riot: frozenset[str]
    #: objects whose ban or bar is an economic SANCTION (embargo)
    economic_objects: frozenset[str]
    #: verbs of commitment whose complement decides the stance type (AGREE/THREATEN/REJECT)
    commitment_verbs: frozenset[str]
    #: verbs that pass a stance to their own complement ('vowed to continue pressuring')
    continuative_verbs: frozenset[str]
    #: trigger verbs that introduce speech rather than perform their event ('warned that ...')
    speech_senses: frozenset[str]
    #: verbs of a confirming stance on an earlier event ('the visit was confirmed by')
    stance_confirm: frozenset[str]
    #: verbs of a denying stance on an earlier event
    stance_deny: frozenset[str]
    #: verbs whose ordered complement is the event ('ordered troops to deploy')
    order_verbs: frozenset[str]
    #: verbs that host or hold a gathering, which is then an event of its own ('host a meeting')
    convene_verbs: frozenset[str]
    #: verbs of dying: the dead are the target of the violence that caused it
    dying_verbs: frozenset[str]
    #: verbs of harm whose subject can be the violence itself ('the bombing killed 20', 'a war that
    #: killed 70,000'): then they describe that event, not a new one
    consequence_verbs: frozenset[str]
    #: nouns that count or group events ('two rounds of sanctions', 'a wave of arrests'): the events
    #: take the roles of the counting noun
    quantity_heads: frozenset[str]
    #: verbs of answering another's act; what they are done 'with' is the answerer's own act
    #: ('answered India's tests with tests of its own', 'retaliated with sanctions')
    response_verbs: frozenset[str]
    #: works of fiction and entertainment: what happens in their plot ('a comedy in which two journalists
    #: are recruited to assassinate ...', 'a film about an invasion') is no event of the story
    fiction_nouns: frozenset[str]
    #: prepositions that place an event in time or circumstance, not make it a topic
    circumstantial_preps: frozenset[str]
    #: verbs of declaring, beside reporting_verbs, that may report a demand ('said Y must')
    declaring_verbs: frozenset[str]
    #: verbs that report speech: a governing one makes the event reported
    reporting_verbs: frozenset[str]
    #: verbs whose complement did not happen ('declined to confirm')
    refusing_verbs: frozenset[str]
    #: verbs that call or schedule a gathering, which is then planned
    convening_verbs: frozenset[str]
    #: gatherings that a convening verb makes planned ('more protests were called')
    gathering_nouns: frozenset[str]
    #: verbs that only say an event noun, their subject, takes place or starts: their future or negation is
    #: the event's ('a vaccination campaign will be launched', 'the talks will not resume')
    staging_verbs: frozenset[str]
    #: participles that make the event noun they modify planned ('talks scheduled for Monday')
    scheduling_participles: frozenset[str]
    #: modifiers that make an event noun unconfirmed ('the alleged plot')
    hearsay_modifiers: frozenset[str]
    #: verbs of checking whose negation leaves a report unconfirmed ('could not be verified')
    verifying_verbs: frozenset[str]
    #: verbs of conflict that also report sports results
    sports_verbs: frozenset[str]
    #: words that mark a sports sentence
    sports_words: frozenset[str]
    #: subjects that make a verb of conflict a natural event ('an earthquake struck')
    natural_hazards: frozenset[str]
    #: nouns for places: a prepositional phrase with one is a place, not a party
    place_nouns: frozenset[str]
    #: prepositions that introduce a place
    location_preps: frozenset[str]
    #: prepositions that may introduce another party of the event
    argument_preps: frozenset[str]
    #: words in a hypothetical cue that still state an intention ('ready to', 'offered to')
    intent_cues: frozenset[str]
    #: verbs that link a subject to an adjective like 'be': 'remained ready to talk' is 'is ready to talk'
    linking_verbs: frozenset[str]
    #: conjunctions of a condition ('if', 'unless')
    condition_marks: frozenset[str]
    #: hypothetical cues that state an intention when the act has a condition clause ('would consider closing
    #: the crossings if the situation deteriorated' is a threat)
    conditional_cues: frozenset[str]
    #: nouns that may name any earlier event ('condemned the decision')
    generic_event_nouns: frozenset[str]
    #: nouns for what a party said ('welcomed the remarks'): a response to one is aimed at the speaker
    utterance_nouns: frozenset[str]
    #: prepositions of place or direction the parser may hang off a verb's object instead of the verb
    #: ('amassed troops near Ukraine's border'): a slot of the verb also reads them there
    object_place_preps: frozenset[str]
    #: implicative verbs whose complement did not happen by the actor's failure or refusal
    failing_verbs: frozenset[str]
    #: gatherings whose participants are their subject ('converging for a rally')
    gatherings: frozenset[str]
    #: verbs of taking part: 'engaged in X' has the verb's subject perform X
    participate_verbs: frozenset[str]
    #: nominal speech acts whose 'from X' names who performs them
    speech_nouns: frozenset[str]


WORD_CLASSES: tuple[str, ...] = tuple(f.name for f in dataclass_fields(WordClasses))


def _word_classes(extra_dirs: tuple[Path, ...]) -> WordClasses:
    found = read_word_classes("events/word_classes.tsv", WORD_CLASSES, extra_dirs, one_word=False)
    empty = [name for name, words in found.items() if not words]
    if empty:
        raise DotterelError(ErrorCode.RESOURCE_INVALID, path="events/word_classes.tsv", line=0,
                            reason=f"word class(es) without words: {', '.join(empty)}")
    return WordClasses(**found)


@dataclass(frozen=True, slots=True)
class Trigger:
    head: str
    extras: tuple[str, ...]
    pos: str
    event_type: str
    mode: str
    cameo: str
    actor_slots: tuple[str, ...]
    recipient_slots: tuple[str, ...]
    reciprocal: bool
    context: tuple[str, ...]
    notes: str = ""

    @property
    def needs_recipient(self) -> bool:
        return "[needs-recipient]" in self.notes

    @property
    def alternative(self) -> bool:
        return "[alt]" in self.notes


@dataclass(slots=True)
class Lexicon:
    #: the PLOVER ontology of the same resource folders (types, modes, traits, statuses)
    ontology: Ontology = field(default_factory=builtin_ontology)
    #: word_classes.tsv (sports words, people nouns, reporting verbs, ...)
    words: WordClasses = field(default_factory=lambda: _word_classes(()))
    #: the English word file (negation, relative words, future and obligation modals, ...)
    english: EnglishWords = field(default_factory=english_words)
    triggers: dict[tuple[str, str], list[Trigger]] = field(default_factory=lambda: defaultdict(list))
    cameo: dict[str, CameoRow] = field(default_factory=dict)
    cues: dict[str, dict[str, StatusCueRow]] = field(default_factory=lambda: defaultdict(dict))  # kind -> cue -> row
    #: senses.tsv by verb lemma: (slot, noun class, the trigger it codes)
    senses: dict[str, list[tuple[str, str, Trigger]]] = field(default_factory=lambda: defaultdict(list))
    #: noun_classes.tsv: lemma (or "modifier lemma" for two words) -> its classes
    noun_classes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def cue(self, kind: str, word: str) -> StatusCueRow | None:
        return self.cues.get(kind, {}).get(word)


def _unknown_cameo(label: str, codes: dict[str, CameoRow], rows: Sequence[TriggerRow]) -> None:
    bad = next((r for r in rows if r.cameo not in codes), None)
    if bad is not None:
        raise DotterelError(ErrorCode.RESOURCE_INVALID, path=label, line=0,
                            reason=f"{bad.pattern} {bad.pos}: CAMEO code {bad.cameo!r} is not in events/cameo.tsv")


def load_lexicon(extra_dirs: tuple[Path, ...] = ()) -> Lexicon:
    onto = load_ontology(extra_dirs)
    lex = Lexicon(ontology=onto, words=_word_classes(extra_dirs), english=english_words(extra_dirs))
    trigger_row, derived_row, sense_row = _bound(TriggerRow, onto), _bound(DerivedTriggerRow, onto), _bound(SenseRow, onto)
    for c in read_table("events/cameo.tsv", CameoRow, extra_dirs):
        lex.cameo[c.code] = c
    rows: dict[tuple[str, str, str], TriggerRow] = {}
    hand = read_table("events/triggers.tsv", trigger_row, extra_dirs)
    derived = read_table("events/petrarch_triggers.tsv", derived_row, extra_dirs)
    _unknown_cameo("events/triggers.tsv", lex.cameo, hand)
    _unknown_cameo("events/petrarch_triggers.tsv", lex.cameo, derived)
    for r in hand:
        rows[(r.pattern.lower(), r.pos, r.event_type)] = r
    # the derived PETRARCH2 layer (scripts/petrarch2/convert_verbs.py) comes below the hand-made
    # (and users') triggers.tsv rows: it only adds heads they lack, never a pattern for a known head
    hand_heads = {(r.pattern.lower().split()[0], r.pos) for r in rows.values()}
    for r in derived:
        if (r.pattern.lower().split()[0], r.pos) not in hand_heads:
            rows.setdefault((r.pattern.lower(), r.pos, r.event_type), r)
    for r in rows.values():
        words = tuple(r.pattern.lower().split())
        cam = lex.cameo.get(r.cameo)
        ctx = split_multi(r.context) or (split_multi(cam.context.replace(",", "|")) if cam else [])
        lex.triggers[(words[0], r.pos)].append(Trigger(
            head=words[0], extras=words[1:], pos=r.pos, event_type=r.event_type, mode=r.mode, cameo=r.cameo,
            actor_slots=tuple(split_multi(r.actor)), recipient_slots=tuple(split_multi(r.recipient)),
            reciprocal=bool(r.reciprocal), context=tuple(ctx), notes=r.notes))
    for s in read_table("events/status_cues.tsv", StatusCueRow, extra_dirs):
        lex.cues[s.kind][s.cue.lower()] = s
    for n in read_table("events/noun_classes.tsv", NounClassRow, extra_dirs):
        lex.noun_classes[n.lemma.lower()].add(n.noun_class)
    classes = {c for cs in lex.noun_classes.values() for c in cs}
    for sr in read_table("events/senses.tsv", sense_row, extra_dirs):
        if (sr.noun_class not in classes and sr.noun_class != "ANY") or sr.cameo not in lex.cameo:
            raise DotterelError(ErrorCode.RESOURCE_INVALID, path="events/senses.tsv", line=0,
                                reason=f"{sr.lemma}: unknown noun class {sr.noun_class!r} or CAMEO code {sr.cameo!r}")
        cam = lex.cameo[sr.cameo]
        ctx = split_multi(cam.context.replace(",", "|"))
        lex.senses[sr.lemma.lower()].append((sr.slot, sr.noun_class, Trigger(
            head=sr.lemma.lower(), extras=(), pos="VERB", event_type=sr.event_type, mode=sr.mode, cameo=sr.cameo,
            actor_slots=tuple(split_multi(sr.actor)), recipient_slots=tuple(split_multi(sr.recipient)),
            reciprocal=False, context=tuple(ctx), notes="[sense] " + sr.notes)))
    return lex


#: trigger words that name the same kind of happening (for linking mentions of one event)
KEY_SYNONYMS = {"trip": "visit", "tour": "visit", "journey": "visit", "meeting": "meet", "talk": "meet",
                "negotiation": "meet", "summit": "meet", "invasion": "invade", "attack": "attack", "assault": "attack",
                "offensive": "attack", "strike": "attack", "airstrike": "attack", "accusation": "accuse",
                "sanction": "sanction", "withdrawal": "withdraw", "pullout": "withdraw", "phone": "call",
                "telephone": "call", "conversation": "call", "agreement": "agree", "deal": "agree", "accord": "agree",
                "truce": "ceasefire", "armistice": "ceasefire", "detention": "detain", "arrest": "detain",
                "suspension": "suspend", "expulsion": "expel", "abduction": "kidnap", "kidnapping": "kidnap",
                "release": "release"}


def norm_key(word: str) -> str:
    prefix, _, w = word.rpartition(":")
    return (prefix + ":" if prefix else "") + KEY_SYNONYMS.get(w, w)
