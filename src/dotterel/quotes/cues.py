"""The cue lexicon (``resources/quotes/cues.tsv``) and finding a quotation's cue, speaker and channel.

Everything here reads the dependency parse and the actors stage's ``doc._.actor_mentions``;
nothing re-resolves actors (pronouns arrive already resolved as ``kind="pronoun"`` mentions).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, field_validator, model_validator
from spacy.tokens import Doc, Span, Token

from dotterel.nlp.extensions import token_strings
from dotterel.spans import Actor, ActorMention
from dotterel.tables import read_table, read_word_classes
from dotterel.words import english_words

_WORDS = english_words()  # general English classes (resources/english/words.toml)
ARTICLES = _WORDS.articles
#: words a phrase cue may skip or hold in place of another ("according to a/the/its readout")
DETS = _WORDS.articles | _WORDS.possessive_determiners | _WORDS.demonstratives
MODIFIER_POS = frozenset({"ADJ", "NOUN", "PROPN", "VERB", "NUM"})  # "at a regular briefing", "in a televised address"
CHANNEL_PREPS = frozenset({"in", "at", "on", "during", "via", "through", "over", "to", "from"})
RELATIVE = _WORDS.relative_pronouns
SUBJECT_DEPS = frozenset({"nsubj"})
CLIMB_DEPS = frozenset({"conj", "advcl", "xcomp", "pcomp", "prep"})  # "... and said", "..., saying", "quoted as saying"


class CueRow(BaseModel):
    """One row of ``quotes/cues.tsv``."""

    cue: str
    kind: Literal["verb", "noun", "phrase", "channel"]
    notes: str = ""

    @field_validator("cue")
    @classmethod
    def _cue(cls, v: str) -> str:
        v = " ".join(v.split())
        if not v:
            raise ValueError("empty cue")
        if "|" in v:
            raise ValueError("a cue is one value, not a |-list")
        return v

    @model_validator(mode="after")
    def _shape(self) -> CueRow:
        words = self.cue.split()
        if self.kind in {"verb", "noun"} and (len(words) != 1 or self.cue != self.cue.lower()):
            raise ValueError(f"a {self.kind} cue is one lower-case lemma, got {self.cue!r}")
        if self.kind == "phrase" and len(words) < 2:
            raise ValueError(f"a phrase cue has two or more words, got {self.cue!r}")
        return self


#: the classes of ``quotes/word_classes.tsv`` (see the file's header)
WORD_CLASSES = ("person_noun", "body_noun", "not_speech_noun")


@dataclass(frozen=True, slots=True)
class Lexicon:
    verbs: frozenset[str]
    nouns: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]
    channels: dict[tuple[str, ...], str]  # words (lower-case, or as written when capitalised) -> channel
    by_first: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)  # phrases by first non-det word
    cased: frozenset[str] = frozenset()  # phrase words written with capitals (matched as written: "Twitter")
    person_nouns: frozenset[str] = frozenset()  # word_classes.tsv person_noun
    body_nouns: frozenset[str] = frozenset()  # word_classes.tsv body_noun
    not_speech_nouns: frozenset[str] = frozenset()  # word_classes.tsv not_speech_noun

    def channel_key(self, words: Sequence[Token]) -> str | None:
        exact = self.channels.get(tuple(t.text for t in words))
        if exact is not None and exact != exact.lower():
            return exact
        for key in (tuple(t.lower_ for t in words), tuple(t.lemma_.lower() for t in words)):
            found = self.channels.get(key)
            if found is not None and found == found.lower():
                return found
        return None


def load_lexicon(extra_dirs: Iterable[Path] = ()) -> Lexicon:
    """The built-in cue table and word classes plus users' ``quotes/cues.tsv`` and
    ``quotes/word_classes.tsv`` files (validated; E002 on a bad row)."""
    extra_dirs = tuple(extra_dirs)
    rows = read_table("quotes/cues.tsv", CueRow, extra_dirs)
    classes = read_word_classes("quotes/word_classes.tsv", WORD_CLASSES, extra_dirs)
    verbs = frozenset(r.cue for r in rows if r.kind == "verb")
    nouns = frozenset(r.cue for r in rows if r.kind == "noun")
    phrases = tuple(dict.fromkeys(tuple(w if any(c.isupper() for c in w) else w.lower() for w in r.cue.split())
                                  for r in rows if r.kind == "phrase"))
    channels: dict[tuple[str, ...], str] = {}
    for r in rows:
        if r.kind == "channel":
            cased = any(c.isupper() for c in r.cue)
            channels[tuple(r.cue.split()) if cased else tuple(r.cue.lower().split())] = r.cue
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for words in phrases:
        first = next((w for w in words if w not in DETS), None)
        if first is not None:
            by_first.setdefault(first, []).append(words)
    return Lexicon(verbs=verbs, nouns=nouns, phrases=phrases, channels=channels,
                   by_first={k: tuple(v) for k, v in by_first.items()},
                   cased=frozenset(w for words in phrases for w in words if any(c.isupper() for c in w)),
                   person_nouns=frozenset(classes["person_noun"]), body_nouns=frozenset(classes["body_noun"]),
                   not_speech_nouns=frozenset(classes["not_speech_noun"]))


# -- actor mentions by token -------------------------------------------------------------------
class MentionIndex:
    """Which ActorMention a token belongs to (its head first, else the smallest covering mention)."""

    def __init__(self, mentions: Iterable[ActorMention]) -> None:
        self.by_head: dict[int, ActorMention] = {}
        self.covering: dict[int, ActorMention] = {}
        for m in sorted(mentions, key=lambda m: m.end - m.start, reverse=True):
            self.by_head[m.head] = m
            for i in range(m.start, m.end):
                self.covering[i] = m

    def at(self, tok: Token) -> ActorMention | None:
        return self.by_head.get(tok.i) or self.covering.get(tok.i)


def _person(m: ActorMention) -> bool:
    return any(a.kind == "person" and a.name for a in m.actors)


# -- phrases and channels -----------------------------------------------------------------------
def _word_eq(tok: Token, word: str) -> bool:
    if any(c.isupper() for c in word):
        return tok.text == word
    return word in (tok.lower_, tok.lemma_.lower())


def _match_at(doc: Doc, i: int, words: tuple[str, ...], hi: int) -> int | None:
    j = i
    for k, w in enumerate(words):
        if w in DETS:
            if j < hi and doc[j].lower_ in DETS:
                j += 1
            continue
        if k == len(words) - 1 and k > 0:
            skipped = 0
            while skipped < 2 and j < hi and not _word_eq(doc[j], w) and doc[j].pos_ in MODIFIER_POS:
                j += 1
                skipped += 1
        if j < hi and _word_eq(doc[j], w):
            j += 1
        else:
            return None
    return j


def find_phrases(doc: Doc, lex: Lexicon, lo: int, hi: int) -> list[Span]:
    """Longest non-overlapping phrase-cue matches in doc[lo:hi] (for many ranges of one Doc, build
    one :class:`PhraseIndex` instead)."""
    return PhraseIndex(doc, lex).find(lo, hi)


class PhraseIndex:
    """Every phrase-cue match of one Doc, found in one pass over the tokens' strings (read once
    through ``Doc.to_array`` into ``lower`` and ``lemma`` (lower case), which callers may read too);
    :meth:`find` answers for any token range. A phrase is looked up only at tokens whose text,
    lower case or lemma is the phrase's first content word."""

    def __init__(self, doc: Doc, lex: Lexicon) -> None:
        self.doc, self._cased = doc, lex.cased
        n = len(doc)
        index = lex.by_first
        # with no capitalised first word, a token's text can only be a key when it equals its lower case
        by_text = any(k != k.lower() for k in index)
        self.lower, self.lemma, text = _strings(doc, by_text)
        matches: list[tuple[int, int]] = []
        # a phrase that ends in a determiner could match up to a range's end and no further:
        # only then does a range need its own search
        self._bounded = lex if any(words[-1] in DETS for words in lex.phrases) else None
        for i in range(n):
            low, lemma = self.lower[i], self.lemma[i]
            if (low not in index and lemma not in index and not (by_text and text[i] in index)) \
                    or low in DETS or doc[i].is_space:
                continue
            cands = (index.get(text[i], ()) if by_text else index.get(low, ())) + index.get(low, ()) + index.get(lemma, ())
            for words in dict.fromkeys(cands):
                j = self._match_at(i, words, n)
                if j is not None and j > i:
                    matches.append((i, j))
        self._matches = matches
        self._starts = [i for i, _ in matches]

    def _eq(self, j: int, word: str) -> bool:
        if word in self._cased:
            return self.doc[j].text == word
        return word == self.lower[j] or word == self.lemma[j]

    def _match_at(self, i: int, words: tuple[str, ...], hi: int) -> int | None:
        lower, doc = self.lower, self.doc
        j = i
        for k, w in enumerate(words):
            if w in DETS:
                if j < hi and lower[j] in DETS:
                    j += 1
                continue
            if k == len(words) - 1 and k > 0:
                skipped = 0
                while skipped < 2 and j < hi and not self._eq(j, w) and doc[j].pos_ in MODIFIER_POS:
                    j += 1
                    skipped += 1
            if j < hi and self._eq(j, w):
                j += 1
            else:
                return None
        return j

    def find(self, lo: int, hi: int) -> list[Span]:
        """Longest non-overlapping phrase-cue matches in doc[lo:hi]."""
        if self._bounded is not None:
            return _find_bounded(self.doc, self._bounded, lo, hi)
        lo_k, hi_k = bisect.bisect_left(self._starts, lo), bisect.bisect_left(self._starts, hi)
        found = [(i, j) for i, j in self._matches[lo_k:hi_k] if j <= hi]  # starting in [lo, hi), ending by hi
        found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
        out: list[tuple[int, int]] = []
        for m in found:
            if not out or m[0] >= out[-1][1]:
                out.append(m)
        return [self.doc[i:j] for i, j in out]


def _strings(doc: Doc, with_text: bool) -> tuple[list[str], list[str], list[str]]:
    """Each token's lower case, lemma in lower case and (``with_text``) text, read once per Doc
    (:func:`dotterel.nlp.token_strings`): no Token object per position."""
    text, lower, lemma = token_strings(doc)
    return lower, lemma, text if with_text else []


def _find_bounded(doc: Doc, lex: Lexicon, lo: int, hi: int) -> list[Span]:
    """:meth:`PhraseIndex.find` searching ``doc[lo:hi]`` itself (phrases ending in a determiner)."""
    found: list[Span] = []
    index = lex.by_first
    for i in range(lo, hi):
        tok = doc[i]
        if tok.is_space or tok.lower_ in DETS:
            continue
        cands = index.get(tok.text, ()) + index.get(tok.lower_, ()) + index.get(tok.lemma_.lower(), ())
        for words in dict.fromkeys(cands):
            j = _match_at(doc, i, words, hi)
            if j is not None and j > i and doc[i].lower_ not in DETS:
                found.append(doc[i:j])
    found.sort(key=lambda s: (s.start, -(s.end - s.start)))
    out: list[Span] = []
    for s in found:
        if not out or s.start >= out[-1].end:
            out.append(s)
    return out


def channel_of(tok: Token, lex: Lexicon) -> str | None:
    """The channel a noun names: "press conference", "regular briefing" -> briefing,
    "Telegram channel" -> Telegram."""
    compounds = [c for c in tok.lefts if c.dep_ == "compound"]
    for c in compounds:
        name = lex.channel_key([c])
        if name is not None and name != name.lower():
            return name
    for n in range(len(compounds), -1, -1):
        name = lex.channel_key([*compounds[len(compounds) - n :], tok])
        if name is not None:
            return name
    return None


def find_channel(tokens: Iterable[Token], lex: Lexicon) -> tuple[str, Token] | None:
    """A channel among ``tokens``: the object of in/at/on/... ("said in a statement", "according to a
    readout"), or the object of tell ("told state television"). Proper names win ("in a post on X")."""
    best: tuple[str, Token] | None = None
    for t in tokens:
        if t.pos_ not in {"NOUN", "PROPN"}:
            continue
        ok = (t.dep_ == "pobj" and t.head.lower_ in CHANNEL_PREPS) or (
            t.dep_ in {"dobj", "dative"} and t.head.lemma_ == "tell")
        if not ok:
            continue
        name = channel_of(t, lex)
        if name is None:
            continue
        if best is None or (name != name.lower() and best[0] == best[0].lower()):
            best = (name, t)
    return best


def owner_of(noun: Token, index: MentionIndex) -> ActorMention | None:
    """Who issued a statement/readout: "the ministry's statement", "a Kremlin readout",
    "a readout by the Chinese Foreign Ministry", "a statement from Hamas", "a statement signed
    by X" (a participle whose agent is X)."""
    for c in noun.children:
        if c.dep_ == "poss" or c.dep_ == "compound":
            m = index.at(c)
            if m is not None:
                return m
    for c in noun.children:
        if c.dep_ in {"prep", "agent"} and c.lower_ in {"by", "of", "from"}:
            for p in c.children:
                if p.dep_ == "pobj":
                    m = index.at(p)
                    if m is not None:
                        return m
    for c in noun.children:  # "a statement signed/issued by X"
        if c.dep_ == "acl" and c.tag_ == "VBN":
            for a in c.children:
                if a.dep_ == "agent":
                    for p in a.children:
                        if p.dep_ == "pobj" and (m := index.at(p) or named_speaker(p, index)) is not None:
                            return m
    return None


#: entity types that can speak: people, organisations, media, groups
SPEAKER_ENTS = frozenset({"PERSON", "ORG", "NORP", "WORK_OF_ART", "FAC"})
#: words that are never a speaker's name: pronouns, relative words and existential "there"
PRONOUNS = _WORDS.subject_pronouns | _WORDS.demonstratives | _WORDS.relative_pronouns | {"there"}


def _entity_bounds(tok: Token) -> tuple[int, int]:
    doc = tok.doc
    lo = tok.i
    while lo > 0 and doc[lo].ent_iob_ == "I":
        lo -= 1
    hi = tok.i + 1
    while hi < len(doc) and doc[hi].ent_iob_ == "I":
        hi += 1
    return lo, hi


def named_speaker(tok: Token, index: MentionIndex) -> ActorMention | None:
    """A speaker the actors stage did not resolve, from the words themselves: a named person or
    body ("Maria Tadesse", "The Tribune"), or the noun phrase ("the crowd", "the announcer",
    "Netanyahu's office": country from its owner). Its Actor's name is the phrase without a
    leading article; pronouns and relative words yield None."""
    if tok.pos_ not in {"NOUN", "PROPN"} or tok.lower_ in PRONOUNS or tok.like_num:
        return None
    doc = tok.doc
    if tok.ent_type_ in SPEAKER_ENTS:
        lo, hi = _entity_bounds(tok)
        kind = "person" if tok.ent_type_ == "PERSON" else "org"
    else:
        lo = max(tok.left_edge.i, tok.i - 5)
        while lo < tok.i and (doc[lo].is_punct or doc[lo].dep_ in {"det", "predet"} and doc[lo].lower_ not in ARTICLES):
            lo += 1
        hi = tok.i + 1
        kind = "generic"
    owner = None
    for c in tok.children:
        if c.dep_ in {"poss", "compound"} and lo <= c.i < hi:
            owner = index.at(c)
            if owner is not None:
                break
    span = doc[lo:hi]
    words = [t for t in span if not (t.i == lo and t.lower_ in ARTICLES)]
    if not words:
        return None
    name = doc[words[0].i : hi].text
    country = owner.actor.country if owner is not None and owner.actors else None
    return ActorMention(start=lo, end=hi, start_char=span.start_char, end_char=span.end_char, text=span.text,
                        actors=[Actor(name=name, country=country, sector=None, kind=kind)], kind="name", head=tok.i)


# -- speakers -----------------------------------------------------------------------------------
def subject_token(verb: Token, quoted: AbstractSet[int] = frozenset()) -> Token | None:
    """The subject of a reporting verb, climbing through coordination and participles
    ("accused X and said", "welcomed it, saying") and relative clauses ("China, which declared").
    "X quoted Y as saying": Y. A subject inside a quotation (``quoted`` token indices) is never
    the speaker: "“… the likes of which …,” said Y" gives Y. With no subject in the parse, the
    noun right before the verb, past a parenthetical ("the crowd, many of whom wept, chanted")."""
    found = _parsed_subject(verb, quoted)
    return found if found is not None else _adjacent_subject(verb, quoted)


def _adjacent_subject(verb: Token, quoted: AbstractSet[int]) -> Token | None:
    if verb.dep_ not in {"dep", "ROOT", "parataxis"} or any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in verb.children):
        return None
    doc = verb.doc
    i = verb.i - 1
    if i >= 0 and doc[i].text == ",":  # skip one parenthetical ", many of whom wept,"
        j = i - 1
        while j >= max(0, i - 10) and doc[j].text != "," and not doc[j].is_sent_start:
            j -= 1
        i = j - 1 if j >= 0 and doc[j].text == "," else -1
    if i < 0 or i in quoted or doc[i].pos_ not in {"NOUN", "PROPN"} or doc[i].sent != verb.sent:
        return None
    return doc[i]


def _parsed_subject(verb: Token, quoted: AbstractSet[int]) -> Token | None:
    v = verb
    for _ in range(5):
        if v.lemma_ == "quote" and v is not verb:
            for c in v.children:
                if c.dep_ in {"dobj", "nsubjpass"}:
                    return c
        for c in v.children:
            if c.dep_ in SUBJECT_DEPS and c.i not in quoted:
                if c.lower_ in RELATIVE and v.dep_ == "relcl":
                    return v.head
                return c
        if v.dep_ == "relcl" or (v.dep_ == "acl" and v.head.pos_ in {"NOUN", "PROPN"}):
            return v.head  # "the ministry, which said"; "a statement saying"
        if v.dep_ in CLIMB_DEPS and v.head.i != v.i:
            v = v.head
            continue
        break
    return None


def speaker_at(tok: Token | None, index: MentionIndex, lex: Lexicon, loose: bool = False) -> ActorMention | None:
    """The actor mention for a subject token; an appositive person wins over a title that is not
    resolved to a person ("Ecuador's defence minister, José Gallardo"); a channel subject yields its owner ("a Kremlin statement said").
    ``loose``: a subject the actors stage left alone is still a speaker (:func:`named_speaker`)."""
    if tok is None:
        return None
    m = index.at(tok)
    appos = [c for c in tok.children if c.dep_ == "appos"]
    for p in tok.children:  # "a spokesman for the junta, Col. Abdoulaye Maïga," (appos hung on "junta")
        if p.dep_ == "prep" and p.lower_ in {"for", "of"}:
            appos += [c for o in p.children if o.dep_ == "pobj" for c in o.children if c.dep_ == "appos"]
            # "a spokesman for the junta, Col. X" parsed with X as the object of "for"
            appos += [o for o in p.children if o.dep_ == "pobj" and o.ent_type_ == "PERSON"
                      and any(t.text == "," for t in o.lefts)]
    for c in appos:
        am = index.at(c) or (named_speaker(c, index) if loose and c.ent_type_ == "PERSON" else None)
        if am is not None and (m is None or (not _person(m) and _person(am))):
            m = am
    if m is None and channel_of(tok, lex) is not None:
        m = owner_of(tok, index)
    if m is None and loose:
        m = named_speaker(tok, index)
    return m


def phrase_speaker(span: Span, index: MentionIndex, lex: Lexicon) -> ActorMention | None:
    """"according to X" / "in the words of X": X, or X's owner when X is a statement or readout."""
    last = span[-1]
    target: Token | None = None
    if last.pos_ == "ADP":
        target = next((c for c in last.children if c.dep_ == "pobj"), None)
    else:
        target = last
    if target is None:
        return None
    if channel_of(target, lex) is not None:
        return owner_of(target, index)
    return speaker_at(target, index, lex, loose=True)


@dataclass(slots=True)
class Cue:
    text: str | None
    token: int | None
    speaker: ActorMention | None
    channel: str | None


def verb_context(verb: Token, quoted: set[int]) -> list[Token]:
    """The verb's own phrase: its subtree without reported clauses, coordinated verbs and quotations
    (where "in a statement", "at a briefing", "according to a readout" are looked for)."""
    excluded: set[int] = set(quoted)
    for c in verb.children:
        if c.dep_ in {"ccomp", "conj", "parataxis"}:
            excluded.update(t.i for t in c.subtree)
    return [t for t in verb.subtree if t.i not in excluded]


def verb_cue(verb: Token, quoted: set[int], index: MentionIndex, lex: Lexicon) -> Cue:
    """Cue, speaker and channel for a reporting verb."""
    speaker = speaker_at(subject_token(verb, quoted), index, lex, loose=True)
    found = find_channel(verb_context(verb, quoted), lex)
    return Cue(verb.text, verb.i, speaker, found[0] if found else None)


def phrase_cue(span: Span, context: Iterable[Token], index: MentionIndex, lex: Lexicon) -> Cue:
    """Cue for a phrase ("according to X"): speaker X, channel from the phrase or ``context``."""
    found = find_channel([*span, *span[0].subtree, *context], lex)
    return Cue(span.text, span.start, phrase_speaker(span, index, lex), found[0] if found else None)


def misattached_that_clauses(verb: Token, lex: Lexicon) -> list[Token]:
    """A "that"-clause the parser hung on a noun of the verb's phrase instead of the verb:
    "told his counterpart in a phone call on Wednesday that CLAUSE" (acl of "call")."""
    nouns = [c for c in verb.children if c.dep_ in {"dobj", "dative"}]
    nouns += [p for c in verb.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"]
    nouns += [p for n in list(nouns) for c in n.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"]
    out = []
    for n in nouns:
        if n.lemma_.lower() in lex.not_speech_nouns:  # "told of a report that ..."
            continue
        for c in n.children:
            kids = list(c.children)
            if (c.dep_ == "acl" and c.i > n.i and any(k.dep_ == "mark" and k.lower_ == "that" for k in kids)
                    and any(k.dep_ in {"nsubj", "nsubjpass"} for k in kids)):
                out.append(c)
    return out


def is_cue_verb(tok: Token, lex: Lexicon) -> bool:
    return tok.pos_ in {"VERB", "AUX"} and tok.lemma_.lower() in lex.verbs and tok.dep_ not in {"amod", "compound"}


def negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)
