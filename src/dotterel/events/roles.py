"""Argument roles from the dependency parse: which actor mentions fill a trigger's slots.

Slots (see resources/events/README.md): ``subj`` (active subject or passive ``by``-agent),
``obj`` (direct object, or the passive subject), ``dative``, ``prep:WORD``, ``poss``, ``compound``.
Subjects are inherited through control/raising (``agreed to cooperate``), coordination
(``X blew up lines and attacked Y``), relative clauses (``Kuleba, who spoke with ...``) and,
for nominal triggers, from the verb that governs the noun (``launched an offensive``,
``In a call with his counterpart, Qin said``).
"""

from __future__ import annotations

import bisect

from spacy.tokens import Doc, Token

from dotterel.events.lexicon import WordClasses
from dotterel.nlp.paragraphs import unclosed_line
from dotterel.spans import ActorMention

CONTROL_DEPS = {"xcomp", "ccomp", "conj", "advcl", "pcomp", "acl"}
SUBJ = {"nsubj", "csubj"}


def is_passive(tok: Token) -> bool:
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in tok.children)


def is_reduced_passive(verb: Token) -> bool:
    """A passive without its auxiliary: a past participle modifying the noun it happened to ("the
    reporter freed last week", "two soldiers killed in a clash"), or a headline's bare past form with
    a subject ("Opposition leader detained after rally": headlines put active verbs in the present
    tense). The noun or subject is the one the act was done to; the agent is only a by-phrase."""
    if verb.pos_ != "VERB" or any(c.dep_ in {"dobj", "obj", "aux", "auxpass", "nsubjpass"} for c in verb.children):
        return False
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return True
    # "Chile agreed to withdraw", "Envoy said talks failed": a complement makes a headline's past form active
    return verb.dep_ == "ROOT" and verb.tag_ in {"VBN", "VBD"} and any(c.dep_ == "nsubj" for c in verb.children) \
        and not any(c.dep_ in {"xcomp", "ccomp", "prt", "dative", "attr", "acomp"} for c in verb.children) \
        and unclosed_line(verb.sent)


class MentionIndex:
    """Find the actor mention for a token (by head first, else the smallest covering mention)."""

    def __init__(self, doc: Doc, mentions: list[ActorMention], relative_words: frozenset[str]) -> None:
        self.doc = doc
        #: words that open a relative clause (the English word file): "X, who ..." is X
        self.relative_words = relative_words
        self.by_head: dict[int, ActorMention] = {}
        self.cover: dict[int, ActorMention] = {}
        for m in sorted(mentions, key=lambda m: m.end - m.start, reverse=True):
            for i in range(m.start, m.end):
                self.cover[i] = m
        for m in mentions:
            self.by_head[m.head] = m
        #: (head, position in by_head) sorted by head: mentions_in bisects instead of scanning
        self._heads = sorted((h, k) for k, h in enumerate(self.by_head))
        self._values = list(self.by_head.values())

    def mentions_in(self, span) -> list[ActorMention]:
        """The mentions whose head is inside ``span``, in the order of ``by_head``."""
        lo = bisect.bisect_left(self._heads, (span.start, -1))
        hi = bisect.bisect_left(self._heads, (span.end, -1))
        return [self._values[k] for k in sorted(k for _, k in self._heads[lo:hi])]

    def at(self, tok: Token) -> ActorMention | None:
        m = self.by_head.get(tok.i)
        if m is not None:
            return m
        m = self.cover.get(tok.i)
        return m if m is not None and tok.i == m.end - 1 else None

    def fillers(self, tok: Token) -> list[ActorMention]:
        """The mention(s) at ``tok``, following coordination ('X and Y'), relative pronouns,
        possessors ('Russia's aggression'), quantities and 'of' ('thousands of Iraqi Kurds',
        'leaders of Romania's government') and nationalities ('an Indian proposal')."""
        if tok.lower_ in self.relative_words and tok.head.dep_ in {"relcl", "acl"}:
            tok = tok.head.head
        out: list[ActorMention] = []
        m = self.at(tok)
        if m is None or not any(a.country for a in m.actors):
            found = self._modifier(tok, pronouns=False)
            if found is None:
                for c in tok.children:
                    if c.dep_ == "prep" and c.lower_ in {"of", "from"}:  # "thousands of Kurds", "doctors from US groups"
                        for p in c.children:
                            inner = self.fillers(p) if p.dep_ == "pobj" else []
                            if inner and any(a.country for x in inner for a in x.actors):
                                found = inner[0]
                                out.extend(inner[1:])
            if found is None and m is None:
                found = self._modifier(tok, pronouns=True)
            m = found or m
        if m is not None:
            out.insert(0, m)
            out.extend(x for x in self._of_conjuncts(tok) if x not in out)
            out.extend(x for x in self._named_appositions(tok, m) if x not in out)
        for c in tok.children:
            if c.dep_ == "conj":
                out.extend(x for x in self.fillers(c) if x not in out)
        return out

    def _named_appositions(self, tok: Token, m: ActorMention) -> list[ActorMention]:
        """'Presidents X of Serbia, Y of Croatia and Z of Bosnia', parsed as a name with a named apposition
        (and its conjuncts): the names of other countries are parties beside the first."""
        mine = {a.country for a in m.actors if a.country}
        out: list[ActorMention] = []
        if not any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
            return out  # only the pattern 'X of A, Y of B': an apposition otherwise names the same party
        for c in tok.children:
            if c.dep_ != "appos" or c.pos_ != "PROPN" or not any(t.dep_ == "prep" and t.lower_ == "of" for t in c.subtree):
                continue
            for t in [c, *(t for t in c.subtree if t.dep_ == "conj")]:
                for x in self.fillers(t):
                    theirs = {a.country for a in x.actors if a.country}
                    if theirs and not theirs & mine and x not in out:
                        out.append(x)
        return out

    def _of_conjuncts(self, tok: Token) -> list[ActorMention]:
        """'the foreign ministers of Serbia, Croatia and Bosnia': a mention that took its country from the
        first of coordinated of-nouns also stands for the ministers of the others."""
        out: list[ActorMention] = []
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for p in c.children:
                    for conj in (p.conjuncts if p.dep_ == "pobj" else ()):
                        out.extend(x for x in self.fillers(conj) if x not in out and any(a.country for a in x.actors))
        return out

    def _modifier(self, tok: Token, pronouns: bool) -> ActorMention | None:
        if tok.pos_ not in {"NOUN", "PROPN", "NUM"}:
            return None
        kids = sorted(tok.children, key=lambda c: (c.dep_ != "poss", c.i))
        for c in kids:
            if c.dep_ in {"poss", "compound", "amod", "nmod"} and (c.pos_ == "PRON") == pronouns:
                m = self.at(c)
                if m is not None and any(a.country for a in m.actors):
                    return m
        return None


def stranded_preps(noun: Token) -> list[Token]:
    """Prepositions the parser hung off the first of two coordinated nouns although they follow the
    second one directly: "the conflict and retaliatory air raids by NATO warplanes" (the by-phrase is the
    raids', as its place right after them says)."""
    if noun.dep_ != "conj" or noun.pos_ not in {"NOUN", "PROPN"} or noun.head.pos_ not in {"NOUN", "PROPN"}:
        return []
    nxt = noun.right_edge.i + 1
    return [c for c in noun.head.children if c.i == nxt and c.dep_ == "prep"]


def noun_preps(noun: Token) -> list[Token]:
    """A noun's prepositions: its own, and those stranded on the noun it is coordinated with."""
    return [c for c in noun.children if c.dep_ == "prep"] + stranded_preps(noun)


def _prep_objects(tok: Token, word: str) -> list[Token]:
    """Objects of the preposition ``word`` on ``tok`` ("between X and Y": the conjunct Y is found by
    :meth:`MentionIndex.fillers`)."""
    objs: list[Token] = []
    for c in list(tok.children) + stranded_preps(tok):
        if c.dep_ in {"prep", "agent", "dative"} and c.lower_ == word:
            objs.extend(p for p in c.children if p.dep_ in {"pobj", "pcomp"})
    return objs


def _surface_subject(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in SUBJ or c.dep_ == "nsubjpass"), None)


def subject_of(verb: Token, depth: int = 0) -> Token | None:
    """The subject of ``verb``: its own (:func:`_own_subject`), else inherited from the clause it depends
    on through relative and participial clauses, control, coordination and predicative adjectives
    (:func:`_inherited_subject`)."""
    found, final = _own_subject(verb)
    if found is not None or final:
        return found
    if depth > 3 or verb.head.i == verb.i:
        return None
    return _inherited_subject(verb, depth)


def _own_subject(verb: Token) -> tuple[Token | None, bool]:
    """(subject, final): the active subject, or a passive's by-agent; ``final`` when a passive has a
    subject but no agent (nothing is inherited: "the talks were held")."""
    if is_reduced_passive(verb):
        return _agent_object(verb), True
    for c in verb.children:
        if c.dep_ in SUBJ:
            return c, True
    if is_passive(verb):
        agent = _agent_object(verb)
        if agent is not None:
            return agent, True
        if any(c.dep_ == "nsubjpass" for c in verb.children):
            return None, True
    return None, False


def _by_object(noun: Token) -> Token | None:
    """The object of a noun's by-phrase ("the decision by Turkey")."""
    for c in noun_preps(noun):
        if c.lower_ == "by":
            return next((p for p in c.children if p.dep_ == "pobj"), None)
    return None


def _agent_object(verb: Token) -> Token | None:
    """The first object of any by-agent of ``verb``."""
    for c in verb.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    return None


def _inherited_subject(verb: Token, depth: int) -> Token | None:
    """A subject from the governing clause: the noun a relative clause modifies, the noun (or the governing
    verb's subject) of a participle, the object of an object-control verb ("urged Iran to resume talks"),
    the shared surface subject of coordinated or be-predicates, else the governor's own subject."""
    if verb.dep_ == "relcl":
        return verb.head
    if verb.dep_ == "ccomp" and not any(c.dep_ == "mark" for c in verb.children) and any(
            c.dep_ == "aux" and c.tag_ in {"VBP", "VBZ", "VBD", "MD"} for c in verb.children):
        # a finite clause has a subject: "The US and EU, worried that ..., have warned" parsed as a complement
        # of "worried" is the main clause of their subject
        return subject_of(verb.head, depth + 1)
    if verb.dep_ == "acl" and verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        # "Eritrea's decision to expel ...", "the move by Turkey to close ...": who decided does it
        noun = verb.head
        owner = next((c for c in noun.children if c.dep_ == "poss"), None) or _by_object(noun)
        if owner is not None:
            return owner
    if verb.dep_ == "acl" and verb.tag_ in {"VBG"}:
        noun = verb.head
        if noun.dep_ in {"dobj"} and noun.head.pos_ in {"VERB", "AUX"}:
            return subject_of(noun.head, depth + 1)  # "issued a declaration demanding ..."
        return noun  # "protesters demanding ..."
    if verb.dep_ in {"xcomp", "conj"} or (verb.dep_ == "pcomp" and verb.head.dep_ == "prep"):
        return _controlled_subject(verb, depth)
    if verb.dep_ == "advcl" and verb.tag_ in {"VBG", "VBN"}:
        return subject_of(verb.head, depth + 1)
    if verb.dep_ in {"acomp", "attr"} or (verb.pos_ == "ADJ" and verb.dep_ != "amod"):
        return subject_of(verb.head, depth + 1)  # "France is ready to contribute"
    return None


def _controlled_subject(verb: Token, depth: int) -> Token | None:
    """The subject of an xcomp, a conjunct or a prepositional complement, from the governing verb."""
    gov = verb.head if verb.dep_ != "pcomp" else verb.head.head
    if verb.dep_ == "xcomp":
        # object control: "urged Iran to resume talks" -> Iran is the subject of resume
        for c in gov.children:
            if c.dep_ == "dobj":
                return c
    if verb.dep_ in {"conj", "pcomp"} or gov.lemma_ == "be":
        # "China is committed to X and calls on Y": the surface subject is shared
        surface = _surface_subject(gov)
        if surface is not None and not (verb.dep_ == "pcomp" and _agent(gov) is not None):
            return surface
    return subject_of(gov, depth + 1)


def _agent(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ == "agent":
            return next((p for p in c.children if p.dep_ == "pobj"), None)
    return None


def slot_tokens(trigger: Token, obj_noun: Token | None, slot: str, words: WordClasses) -> list[Token]:
    """Tokens that fill ``slot`` for a trigger (and the object noun of a light-verb pattern)."""
    heads = [trigger] + ([obj_noun] if obj_noun is not None else [])
    if trigger.pos_ in {"NOUN", "PROPN"} and trigger.dep_ == "dobj" and trigger.head.pos_ in {"VERB", "AUX"}:
        heads.append(trigger.head)  # light verb: "put the blame on X", "lodged a protest with Y"
    if slot == "subj":
        if trigger.pos_ in {"NOUN", "PROPN"}:
            return _noun_subject(trigger, words)
        s = subject_of(trigger)
        return [s] if s is not None else []
    if slot == "obj":
        if trigger.pos_ in {"NOUN", "PROPN"}:
            return []
        if is_reduced_passive(trigger):
            return [c for c in trigger.children if c.dep_ == "nsubj"] or ([trigger.head] if trigger.dep_ == "acl" else [])
        if is_passive(trigger):
            return [c for c in trigger.children if c.dep_ == "nsubjpass"]
        objs = [c for c in trigger.children if c.dep_ in {"dobj", "obj"}]
        # "held Moscow responsible" read as a complement clause: its subject is the object
        return objs or [s for c in trigger.children if c.dep_ == "ccomp" and c.pos_ == "ADJ"
                        for s in c.children if s.dep_ == "nsubj"]
    if slot == "dative":
        return [c for c in trigger.children if c.dep_ == "dative" and c.pos_ in {"PROPN", "NOUN", "PRON"}]
    if slot == "poss":
        return [c for c in trigger.children if c.dep_ == "poss"]
    if slot == "compound":
        return [c for c in trigger.children if c.dep_ in {"compound", "amod", "nmod"} and c.i < trigger.i]
    if slot.startswith("prep:"):
        word = slot[5:]
        out: list[Token] = []
        agent = _by_object(trigger) if trigger.pos_ in {"NOUN", "PROPN"} and word != "by" else None
        # "air raids by NATO warplanes against Serb positions": the phrase may hang off the by-agent
        for h in heads + ([agent] if agent is not None else []):
            out.extend(_prep_objects(h, word))
        if not out and word in words.object_place_preps and trigger.pos_ in {"VERB", "AUX"}:
            # "amassed some 100,000 troops near Ukraine's border": the place phrase hangs off the object
            for obj in (c for c in trigger.children if c.dep_ == "dobj"):
                out.extend(_prep_objects(obj, word))
        return out
    return []




def _responder(with_prep: Token, words: WordClasses) -> Token | None:
    """"Pakistan answered India's tests with five tests of its own", "retaliated with air strikes": the
    instrument of a response is the responder's act; the subject of the response verb (reached through the
    answered act the with-phrase may hang off: "responded to X's strikes with ...")."""
    node = with_prep.head
    if node.pos_ in {"NOUN", "PROPN"} and node.dep_ == "dobj":
        node = node.head
    elif node.pos_ in {"NOUN", "PROPN"} and node.dep_ == "pobj" and node.head.dep_ == "prep":
        node = node.head.head
    if node.pos_ == "VERB" and node.lemma_.lower() in words.response_verbs:
        return subject_of(node)
    return None


def _noun_subject(noun: Token, words: WordClasses) -> list[Token]:
    """Who performs a nominal event: 'by X', else the subject of the verb it is object of
    ('X launched an offensive'), or of the verb its prepositional phrase hangs off
    ('In a call with ..., Qin said')."""
    for c in noun_preps(noun):
        if c.lower_ == "by":
            return [p for p in c.children if p.dep_ == "pobj"]
    for _ in range(2):
        # "imposed two rounds of visa bans", "launched a wave of air strikes": the counting noun's role
        if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lemma_.lower() in words.quantity_heads:
            noun = noun.head.head
    if noun.lemma_.lower() in words.speech_nouns:
        # "pressure from Washington", "accusations from Kyiv", "calls from the opposition": the source speaks
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ == "from":
                return [p for p in c.children if p.dep_ == "pobj"]
    gov = noun.head
    if noun.dep_ == "pobj" and gov.lower_ == "with":
        responder = _responder(gov, words)
        if responder is not None:
            return [responder]
    if noun.dep_ in {"dobj", "attr"} and gov.pos_ in {"VERB", "AUX"}:
        s = subject_of(gov)
        return [s] if s is not None else []
    if noun.dep_ == "pobj" and gov.dep_ == "prep" and gov.lower_ == "in" and gov.head.lemma_.lower() in words.participate_verbs:
        s = subject_of(gov.head)  # "Serb forces were engaged in ethnic cleansing"
        return [s] if s is not None else []
    if noun.dep_ == "pobj" and gov.dep_ == "prep" and gov.lower_ == "for" and gov.head.pos_ == "VERB" \
            and noun.lemma_.lower() in words.gatherings:
        s = subject_of(gov.head)  # "thousands were converging for a rally"
        return [s] if s is not None else []
    if noun.dep_ == "pobj" and gov.dep_ == "prep" and gov.lower_ in {"in", "during", "after", "following"} \
            and gov.head.pos_ in {"VERB", "AUX"} and gov.i < gov.head.i:
        s = subject_of(gov.head)
        return [s] if s is not None else []
    return []
