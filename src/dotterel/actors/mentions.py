"""Resolve noun phrases to actors with the gazetteer (no coreference here; see coref.py)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from dotterel.actors.gazetteer import Gazetteer, NameEntry, SectorRow, layer_key, slug
from dotterel.spans import Actor, ActorMention

STATE_KINDS = {"country", "demonym", "capital"}
FORMER = {"former", "ex", "ex-", "onetime", "one-time", "erstwhile", "late"}
LEADING_DROP = {"the", "a", "an", "this", "that", "these", "those", "“", '"', "‘", "'", "(", "[", ",", "-", "—"}
PRONOUNS = {"he", "she", "him", "her", "his", "hers", "himself", "herself", "it", "its", "itself",
            "they", "them", "their", "theirs", "themselves"}
_QUOTE_PAIR = re.compile(r"“[^”]*”|\"[^\"\n]*\"")


def quoted_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks (used to keep speakers apart from quoted content)."""
    return [(m.start(), m.end()) for m in _QUOTE_PAIR.finditer(text)]


@dataclass(slots=True)
class Hit:
    """A gazetteer match: the span and what it can name."""

    span: Span
    entries: list[NameEntry]

    @property
    def root(self) -> Token:
        """The token that carries the name: the span's syntactic root unless that is a determiner."""
        r = self.span.root
        if r.lower_ in LEADING_DROP or r.is_punct:
            return self.span[-1]
        return r

    def kinds(self) -> set[str]:
        return {e.kind for e in self.entries}


def _capitalised(tok: Token) -> bool:
    return tok.text[:1].isupper() or tok.text[:1].isdigit()


def layer_hits(doc: Doc, g: Gazetteer) -> list[tuple[Span, list[NameEntry]]]:
    """Names of the derived (PETRARCH2) layer in ``doc``, by dict lookup of the text between token
    boundaries: at most ``g.layer_max_tokens`` lookups per capitalised token, so linear in the text.
    Matching ignores case, but a name must start and end with a capitalised token ("Ministry of Oil",
    not "ministry of oil"), and an acronym must be written in capitals. All matches are returned,
    overlapping ones included; the caller keeps the longest."""
    out: list[tuple[Span, list[NameEntry]]] = []
    if not g.layer:
        return out
    text = doc.text
    n = len(doc)
    for i, tok in enumerate(doc):
        if not _capitalised(tok) or tok.is_space:
            continue
        start = tok.idx
        for j in range(i, min(n, i + g.layer_max_tokens)):
            last = doc[j]
            if last.is_space or "\n" in text[start : last.idx]:
                break
            if not _capitalised(last):
                continue
            key = layer_key(text[start : last.idx + len(last.text)])
            entries = g.layer.get(key)
            if entries is None:
                continue
            if key in g.layer_acronyms and not (j == i and tok.text.isupper()):
                continue
            out.append((doc[i : j + 1], entries))
    return out


def sector_at(doc: Doc, end: int, g: Gazetteer, lo: int) -> tuple[SectorRow, int] | None:
    """The longest sector term ending at token ``end`` (inclusive) and starting at or after ``lo``."""
    for n in range(min(g.max_sector_len, end - lo + 1), 0, -1):
        toks = doc[end - n + 1 : end + 1]
        for key in (tuple(t.lemma_.lower() for t in toks), tuple(t.lower_ for t in toks)):
            row = g.sectors.get(key)
            if row is not None:
                return row, end - n + 1
    return None


def np_extent(head: Token) -> tuple[int, int]:
    """The left part of the noun phrase headed by ``head`` (its left dependents), inclusive bounds."""
    lo = head.i
    for child in head.lefts:
        if child.dep_ in {"det", "amod", "compound", "nmod", "poss", "nummod", "quantmod", "case", "punct", "cc",
                          "conj", "predet", "advmod", "npadvmod", "nn", "dep"}:
            lo = min(lo, child.left_edge.i)
    while lo < head.i and (head.doc[lo].lower_ in LEADING_DROP or head.doc[lo].is_space or head.doc[lo].is_punct):
        lo += 1
    return lo, head.i


def negated_nationality(doc: Doc, i: int) -> bool:
    """'anti-Syria journalist', 'pro-Russian separatists' name an attitude, 'ethnic Albanians' an ethnicity:
    not the actor's country."""
    prev = [t.lower_ for t in doc[max(0, i - 2) : i]]
    return bool(prev) and (prev[-1] in {"ethnic", "anti", "pro"} or prev[-2:] in (["anti", "-"], ["pro", "-"]))


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
