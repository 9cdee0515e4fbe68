"""Resolve noun phrases to actors with the gazetteer (no coreference here; see coref.py)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.attrs import IDX, IS_SPACE, LENGTH, SPACY
from spacy.tokens import Doc, Span, Token

from dotterel.actors.gazetteer import Gazetteer, NameEntry, SectorRow, layer_key, slug
from dotterel.actors.wordclasses import ActorWords
from dotterel.nlp.extensions import doc_text, token_strings
from dotterel.spans import Actor, ActorMention

STATE_KINDS = {"country", "demonym", "capital"}
_QUOTE_PAIR = re.compile(r"“[^”]*”|\"[^\"\n]*\"")


def quoted_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks (used to keep speakers apart from quoted content)."""
    return [(m.start(), m.end()) for m in _QUOTE_PAIR.finditer(text)]


@dataclass(slots=True)
class Hit:
    """A gazetteer match: the span and what it can name."""

    span: Span
    entries: list[NameEntry]
    leading_drop: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    head: Token | None = field(default=None, compare=False, repr=False)  # :attr:`root`, once computed

    @property
    def root(self) -> Token:
        """The token that carries the name: the span's syntactic root unless that is a determiner or a
        mark (``leading_drop``)."""
        if self.head is None:
            r = self.span.root
            self.head = self.span[-1] if r.lower_ in self.leading_drop or r.is_punct else r
        return self.head

    def kinds(self) -> set[str]:
        return {e.kind for e in self.entries}


def layer_hits(doc: Doc, g: Gazetteer, text: str | None = None) -> list[tuple[Span, list[NameEntry]]]:
    """Names of the derived (PETRARCH2) layer in ``doc`` (whose text is ``text``), by dict lookup of
    the text between token boundaries, starting at each capitalised token and stopping at the first
    word boundary that no layer name continues past (:attr:`Gazetteer.layer_prefixes`), or after
    ``g.layer_max_tokens`` tokens: linear in the text. Matching ignores case, but a name must start
    and end with a capitalised token ("Ministry of Oil", not "ministry of oil"), and an acronym must
    be written in capitals. All matches are returned, overlapping ones included; the caller keeps
    the longest. Tokens are read as arrays (offset, length, space after, is space), once."""
    out: list[tuple[Span, list[NameEntry]]] = []
    if not g.layer or not len(doc):
        return out
    if text is None:
        text = doc_text(doc)
    idx, length, spaced, space = doc.to_array([IDX, LENGTH, SPACY, IS_SPACE]).T.tolist()
    n = len(idx)
    prefixes = g.layer_prefixes
    for i in range(n):
        first = text[idx[i]]
        if not (first.isupper() or first.isdigit()) or space[i]:
            continue
        start = seen = idx[i]
        for j in range(i, min(n, i + g.layer_max_tokens)):
            if space[j] or "\n" in text[seen : idx[j]]:
                break
            seen = idx[j]
            first, end = text[seen], seen + length[j]
            key = None
            if first.isupper() or first.isdigit():
                key = layer_key(text[start:end])
                entries = g.layer.get(key)
                if entries is not None and (key not in g.layer_acronyms or (j == i and text[start:end].isupper())):
                    out.append((doc[i : j + 1], entries))
            if prefixes is not None and spaced[j]:
                # a longer name would be this text, a space and more: stop unless some name goes on
                key = key if key is not None else layer_key(text[start:end])
                if key != "the" and key not in prefixes:
                    break
    return out


@dataclass(slots=True)
class SectorFinder:
    """Sector terms (``sectors.tsv``) ending at a token, looked up once per token of one ``Doc``."""

    doc: Doc
    g: Gazetteer
    memo: dict[int, list[tuple[int, SectorRow]]] = field(default_factory=dict)
    lower: list[str] = field(init=False)  # per token: lower case
    lemma: list[str] = field(init=False)  # per token: lemma, lower case

    def __post_init__(self) -> None:
        _, self.lower, self.lemma = token_strings(self.doc)  # read once per Doc, shared by the stages

    def at(self, end: int, lo: int) -> tuple[SectorRow, int] | None:
        """The longest sector term ending at token ``end`` (inclusive) and starting at or after ``lo``:
        (row, first token)."""
        for start, row in self.ending_at(end):
            if start >= lo:
                return row, start
        return None

    def ending_at(self, end: int) -> list[tuple[int, SectorRow]]:
        """Every sector term ending at token ``end``: (first token, row), longest first."""
        found = self.memo.get(end)
        if found is None:
            found = self.memo[end] = self._ending_at(end)
        return found

    def _word(self, i: int) -> tuple[str, str]:
        return self.lemma[i], self.lower[i]

    def _ending_at(self, end: int) -> list[tuple[int, SectorRow]]:
        """Every term ending at ``end``, longest first; for each length the lemma form wins over the
        lower-case form. Only the lengths of terms with that last word are tried."""
        g = self.g
        if g.sector_lengths is None:
            lengths: Sequence[int] = range(min(g.max_sector_len, end + 1), 0, -1)
        else:
            lemma, lower = self._word(end)
            by_lemma, by_lower = g.sector_lengths.get(lemma, ()), g.sector_lengths.get(lower, ())
            if not by_lemma and not by_lower:
                return []
            lengths = sorted({n for n in by_lemma + by_lower if n <= end + 1}, reverse=True)
        out: list[tuple[int, SectorRow]] = []
        for n in lengths:
            for key in (tuple(self.lemma[end - n + 1 : end + 1]), tuple(self.lower[end - n + 1 : end + 1])):
                row = g.sectors.get(key)
                if row is not None:
                    out.append((end - n + 1, row))
                    break
        return out


def sector_at(doc: Doc, end: int, g: Gazetteer, lo: int) -> tuple[SectorRow, int] | None:
    """The longest sector term ending at token ``end`` (inclusive) and starting at or after ``lo``
    (one lookup; a resolver keeps one :class:`SectorFinder` per ``Doc``)."""
    return SectorFinder(doc, g).at(end, lo)


def np_extent(head: Token, leading_drop: frozenset[str]) -> tuple[int, int]:
    """The left part of the noun phrase headed by ``head`` (its left dependents), inclusive bounds,
    without the articles, demonstratives and marks (``leading_drop``) at its left edge."""
    lo = head.i
    for child in head.lefts:
        if child.dep_ in {"det", "amod", "compound", "nmod", "poss", "nummod", "quantmod", "case", "punct", "cc",
                          "conj", "predet", "advmod", "npadvmod", "nn", "dep"}:
            lo = min(lo, child.left_edge.i)
    while lo < head.i and (head.doc[lo].lower_ in leading_drop or head.doc[lo].is_space or head.doc[lo].is_punct):
        lo += 1
    return lo, head.i


def negated_nationality(doc: Doc, i: int, words: ActorWords) -> bool:
    """'anti-Syria journalist', 'pro-Russian separatists' name an attitude, 'ethnic Albanians' an ethnicity:
    not the actor's country (classes ``not_nationality`` and ``not_nationality_prefix``)."""
    prev = [t.lower_ for t in doc[max(0, i - 2) : i]]
    return bool(prev) and (prev[-1] in words.not_nationality
                           or (len(prev) == 2 and prev[1] == "-" and prev[0] in words.not_nationality_prefix))


def _valid_people(entries: list[NameEntry], day: dt.date | None) -> list[NameEntry]:
    return [e for e in entries if e.kind == "person" and e.valid_on(day)]


def choose_person(entries: list[NameEntry], day: dt.date | None, countries: list[str]) -> tuple[Actor, bool] | None:
    """The office holder a name refers to on ``day``; returns (actor, is_former)."""
    people = [e for e in entries if e.kind == "person"]
    if not people:
        return None
    valid = _valid_people(people, day)
    pool = valid or people
    # one person may have several terms: the identity is what matters
    by_id: dict[str | None, NameEntry] = {}
    for e in pool:
        by_id.setdefault(e.actor.id, e)
    cands = list(by_id.values())
    if countries:
        cands = [e for e in cands if e.actor.country in countries] or cands
    if len(cands) > 1 and not valid:
        countries_of = {e.actor.country for e in cands}
        if len(countries_of) == 1:
            return Actor(None, countries_of.pop(), "GOV", None, "generic"), False
        return None
    if len({e.actor.id for e in cands}) > 1:
        # several people with this name in office at once (e.g. a surname): ambiguous unless one is a full-name match
        full = [e for e in cands if e.full]
        if len({e.actor.id for e in full}) != 1:
            countries_of = {e.actor.country for e in cands}
            if len(countries_of) == 1:
                # "the Bush administration": which Bush is unclear, the country is not
                c = countries_of.pop()
                return Actor(None, c, "GOV", None, "generic"), False
            return None
        cands = full
    entry = cands[0]
    former = bool(day and not valid and all(e.end is not None and e.end < day for e in people if e.actor.id == entry.actor.id))
    return entry.actor, former


def mention(doc: Doc, lo: int, hi: int, head: int, actors: list[Actor], kind: str) -> ActorMention:
    span = doc[lo : hi + 1]
    return ActorMention(start=lo, end=hi + 1, start_char=span.start_char, end_char=span.end_char, text=span.text,
                        actors=actors, kind=kind, head=head)


def generic_actor(g: Gazetteer, country: str | None, sector: str, name: str | None) -> Actor:
    ident = f"{country}:{slug(name)}" if country and name else None
    if country and country in g.countries:
        kind = "state"
    else:
        kind = "org" if country else "generic"
    return Actor(name=name, country=country, sector=sector, id=ident, kind=kind)
