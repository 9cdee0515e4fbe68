"""The actor gazetteer: countries, metonyms, organisations, groups, sector terms and office
holders, read from ``resources/actors/*.tsv`` (plus users' files) into lookup tables.

A second, lower-priority layer comes from ``resources/actors/petrarch_*.tsv``: tables derived
from the PETRARCH2 dictionaries by ``scripts/petrarch2/convert_actors.py`` (same row models and
validation as the hand-made tables). Its names are kept apart from :attr:`Gazetteer.names` in
:attr:`Gazetteer.layer`, keyed by their lower-cased text, and matched case-insensitively by
:func:`dotterel.actors.mentions.layer_hits`; a name that any hand-made (or user) table knows is
never taken from the layer, and hand-made sector terms win over derived ones."""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, field_validator

from dotterel.actors.wordclasses import ActorWords, load_actor_words
from dotterel.spans import Actor
from dotterel.tables import read_table, split_multi

SECTOR_CODE = re.compile(r"^[A-Z]{3}$")
LAYER_PREFIX = "actors/petrarch_"
MAX_LAYER_TOKENS = 10  # longer derived names are left out (they bound the lookups per token)


class CountryRow(BaseModel):
    code: str
    name: str
    kind: str = "state"
    aliases: str = ""
    demonyms: str = ""
    capitals: str = ""
    wikidata: str = ""


class MetonymRow(BaseModel):
    text: str
    country: str
    sector: str
    name: str = ""
    wikidata: str = ""


class OrgRow(BaseModel):
    id: str
    name: str
    aliases: str = ""
    code: str
    category: str = "IGO"
    sector: str = ""
    country: str = ""
    wikidata: str = ""


class GroupRow(BaseModel):
    id: str
    name: str
    aliases: str = ""
    country: str
    sector: str
    wikidata: str = ""


class SectorRow(BaseModel):
    term: str
    sector: str
    role: str = ""
    person: int = 0
    notes: str = ""

    @field_validator("person", mode="before")
    @classmethod
    def _int(cls, v: str | int | None) -> int:
        return int(v or 0)


class PlaceRow(BaseModel):
    name: str
    aliases: str = ""
    country: str
    kind: str = "city"
    wikidata: str = ""


class OfficeRow(BaseModel):
    name: str
    aliases: str = ""
    country: str
    office: str
    sector: str = "GOV"
    start: dt.date
    end: dt.date | None = None
    wikidata: str = ""

    @field_validator("end", mode="before")
    @classmethod
    def _empty(cls, v: object) -> object:
        return v or None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def person_id(name: str, wikidata: str = "") -> str:
    """The stable id of a person: the Wikidata QID where known, else ``person:<slug of the name>``."""
    return wikidata or f"person:{slug(name)}"


def holder_actor(row: OfficeRow, sector: str | None = None) -> Actor:
    return Actor(row.name, row.country, sector or row.sector or "GOV", person_id(row.name, row.wikidata), "person", row.office)


def org_actor(o: OrgRow, generic_types: frozenset[str]) -> Actor:
    """An organisation: its reported code (the specific body, e.g. UNO) and PLOVER's generic type
    (IGO/NGO/MNC: ``generic_types``, the class ``generic_org_type`` of ``word_classes.tsv``)."""
    org_type = o.category if o.category in generic_types else None
    return Actor(name=o.name, country=o.country or o.code, sector=o.sector or None, id=o.wikidata or f"org:{o.id}",
                 kind="org", org_type=org_type)


def layer_key(text: str) -> str:
    """How a derived-layer name is looked up: lower case, single spaces, without a leading "the"."""
    key = " ".join(text.lower().split())
    return key.removeprefix("the ")


@dataclass(frozen=True, slots=True)
class NameEntry:
    """One thing a surface string can name."""

    kind: str  # country | demonym | capital | metonym | org | group | person
    actor: Actor
    start: dt.date | None = None  # persons: term of office
    end: dt.date | None = None
    full: bool = True  # False for surname-only aliases of persons

    def valid_on(self, day: dt.date | None) -> bool:
        if self.kind != "person" or day is None:
            return True
        return self.start is not None and self.start <= day and (self.end is None or day <= self.end)


@dataclass(slots=True)
class Gazetteer:
    words: ActorWords = field(default_factory=load_actor_words)  # the word classes the stage decides with
    names: dict[str, list[NameEntry]] = field(default_factory=lambda: defaultdict(list))
    sectors: dict[tuple[str, ...], SectorRow] = field(default_factory=dict)
    offices: dict[tuple[str, str], list[OfficeRow]] = field(default_factory=lambda: defaultdict(list))
    countries: dict[str, CountryRow] = field(default_factory=dict)
    max_sector_len: int = 1
    # the derived (PETRARCH2) layer: lower-cased name -> entries; acronyms are matched in capitals only
    layer: dict[str, list[NameEntry]] = field(default_factory=lambda: defaultdict(list))
    layer_acronyms: frozenset[str] = frozenset()
    layer_max_tokens: int = 0
    # lookup indexes built once by :meth:`build_indexes` (None: not built, lookups try every length)
    sector_lengths: dict[str, tuple[int, ...]] | None = None  # last word -> lengths of its terms, longest first
    layer_prefixes: frozenset[str] | None = None  # every layer key cut before each of its spaces

    def build_indexes(self) -> None:
        """Index the finished tables so that a lookup tries only what can match: the lengths of the
        sector terms by their last word, and the word-boundary prefixes of the layer's names."""
        lengths: dict[str, set[int]] = defaultdict(set)
        for key in self.sectors:
            if key:
                lengths[key[-1]].add(len(key))
        self.sector_lengths = {w: tuple(sorted(ns, reverse=True)) for w, ns in lengths.items()}
        prefixes: set[str] = set()
        for name in self.layer:
            cut = name.find(" ")
            while cut != -1:
                prefixes.add(name[:cut])
                cut = name.find(" ", cut + 1)
        self.layer_prefixes = frozenset(prefixes)

    def add_layer_keys(self, keys: list[str], entry: NameEntry) -> None:
        """Add a derived entry under already normalised keys (see :func:`load_layer`)."""
        for key in keys:
            bucket = self.layer[key]
            if entry not in bucket:
                bucket.append(entry)

    def add_name(self, text: str, entry: NameEntry) -> None:
        text = text.strip()
        if not text:
            return
        bucket = self.names[text]
        if entry not in bucket:
            bucket.append(entry)
        if text.lower().startswith("the "):
            self.add_name(text[4:], entry)

    def country_actor(self, code: str, sector: str | None = None) -> Actor:
        row = self.countries.get(code)
        return Actor(name=row.name if row else code, country=code, sector=sector,
                     id=(row.wikidata or f"country:{code}") if row else f"country:{code}", kind="state")

    def holder(self, country: str, role: str, day: dt.date | None) -> OfficeRow | None:
        """Who held ``role`` in ``country`` on ``day`` (None when unknown or ambiguous)."""
        if day is None:
            return None
        rows = [r for r in self.offices.get((country, role), []) if r.start <= day and (r.end is None or day <= r.end)]
        return rows[0] if len(rows) == 1 else None


def load_gazetteer(extra_dirs: tuple[Path, ...] = ()) -> Gazetteer:
    """The hand-made (and users') tables, then the derived PETRARCH2 layer below them. The order of
    the tables matters: a place name is only added where no table read before knows it."""
    g = Gazetteer(words=load_actor_words(extra_dirs))
    _add_countries(g, extra_dirs)
    _add_metonyms(g, extra_dirs)
    _add_organisations(g, extra_dirs)
    _add_groups(g, extra_dirs)
    _add_places(g, extra_dirs)
    _add_sectors(g, extra_dirs)
    _add_office_holders(g, extra_dirs)
    load_layer(g, extra_dirs)
    g.build_indexes()
    return g


def _add_countries(g: Gazetteer, extra_dirs: tuple[Path, ...]) -> None:
    """States: their names and aliases, demonyms (the state, no sector) and capitals (the government)."""
    for c in read_table("actors/countries.tsv", CountryRow, extra_dirs):
        g.countries[c.code] = c
    for c in g.countries.values():
        state = g.country_actor(c.code, "GOV")
        for name in [c.name, *split_multi(c.aliases)]:
            g.add_name(name, NameEntry("country", state))
        for name in split_multi(c.demonyms):
            g.add_name(name, NameEntry("demonym", Actor(name=c.name, country=c.code, sector=None, id=state.id, kind="state")))
        for name in split_multi(c.capitals):
            g.add_name(name, NameEntry("capital", Actor(name=name, country=c.code, sector="GOV", id=state.id, kind="state")))


def _add_metonyms(g: Gazetteer, extra_dirs: tuple[Path, ...]) -> None:
    """Buildings and institutions that stand for a government ("the Kremlin")."""
    for m in read_table("actors/metonyms.tsv", MetonymRow, extra_dirs):
        g.add_name(m.text, NameEntry("metonym", Actor(name=m.name or m.text, country=m.country, sector=m.sector,
                                                      id=m.wikidata or f"metonym:{slug(m.name or m.text)}", kind="org")))


def _add_organisations(g: Gazetteer, extra_dirs: tuple[Path, ...]) -> None:
    for o in read_table("actors/organizations.tsv", OrgRow, extra_dirs):
        actor = org_actor(o, g.words.generic_org_type)
        for name in [o.name, *split_multi(o.aliases)]:
            g.add_name(name, NameEntry("org", actor))


def _add_groups(g: Gazetteer, extra_dirs: tuple[Path, ...]) -> None:
    for gr in read_table("actors/groups.tsv", GroupRow, extra_dirs):
        actor = Actor(name=gr.name, country=gr.country, sector=gr.sector, id=gr.wikidata or f"group:{gr.id}", kind="group")
        for name in [gr.name, *split_multi(gr.aliases)]:
            g.add_name(name, NameEntry("group", actor))


def _add_places(g: Gazetteer, extra_dirs: tuple[Path, ...]) -> None:
    """Places, below every name read before: a country, capital, organisation or group of that name
    comes first. Seas and regions (``SEA``/``REG``: class ``no_country_code``) have no country."""
    for pl in read_table("actors/places.tsv", PlaceRow, extra_dirs):
        actor = Actor(name=pl.name, country=None if pl.country in g.words.no_country_code else pl.country, sector=None,
                      id=pl.wikidata or f"place:{slug(pl.name)}", kind="place")
        for name in [pl.name, *split_multi(pl.aliases)]:
            if name not in g.names:
                g.add_name(name, NameEntry("place", actor))


def _add_sectors(g: Gazetteer, extra_dirs: tuple[Path, ...]) -> None:
    for s in read_table("actors/sectors.tsv", SectorRow, extra_dirs):
        key = tuple(s.term.lower().split())
        g.sectors[key] = s
        g.max_sector_len = max(g.max_sector_len, len(key))


def _add_office_holders(g: Gazetteer, extra_dirs: tuple[Path, ...]) -> None:
    """One row per term of office; an alias that starts with a title ("President Xi") or is a single
    word (a surname) is not a full name (see :attr:`NameEntry.full`)."""
    for oh in read_table("actors/office_holders.tsv", OfficeRow, extra_dirs):
        g.offices[(oh.country, oh.office)].append(oh)
        actor = holder_actor(oh)
        g.add_name(oh.name, NameEntry("person", actor, oh.start, oh.end, True))
        for alias in split_multi(oh.aliases):
            full = len(alias.split()) > 1 and alias.split()[0].lower() not in g.words.alias_title
            g.add_name(alias, NameEntry("person", actor, oh.start, oh.end, full))


def load_layer(g: Gazetteer, extra_dirs: tuple[Path, ...] = ()) -> None:
    """The derived PETRARCH2 tables, below everything the hand-made and user tables say."""
    # ~60k small acyclic objects: pausing the cyclic garbage collector while they are built saves
    # about 40% of the load time
    paused = gc.isenabled()
    gc.disable()
    try:
        _load_layer(g, extra_dirs)
    finally:
        if paused:
            gc.enable()


class _LayerKeys:
    """Normalises the names of derived rows into layer keys, leaving out what a hand-made or user
    table knows, single words that are not acronyms, and names too long to look up cheaply."""

    def __init__(self, g: Gazetteer) -> None:
        self.g = g
        self.known = {layer_key(k).replace("-", " ") for k in g.names}  # "Kim Dae-jung" also covers "Kim Dae Jung"
        self.acronyms: set[str] = set()
        self.cache: dict[tuple[str, str], list[str]] = {}  # a person has one row per term: normalise the names once

    def __call__(self, name: str, aliases: str, single_words: bool = False) -> list[str]:
        found = self.cache.get((name, aliases))
        if found is not None:
            return found
        out: list[str] = []
        for text in [name, *split_multi(aliases)]:
            key = layer_key(text)
            if not key or key.replace("-", " ") in self.known or key in out:
                continue  # a hand-made or user table knows this name: it wins
            # spaCy splits hyphens, periods and apostrophes ("Ki-moon" is 3 tokens): count generously
            tokens = key.count(" ") + 1 + 2 * (key.count("-") + key.count(".") + key.count("'"))
            if tokens > MAX_LAYER_TOKENS:
                continue
            self.g.layer_max_tokens = max(self.g.layer_max_tokens, tokens)
            if " " not in key and not single_words:
                # one word ("The Cornerstone" -> "cornerstone"): only an acronym of 3+ capitals is specific enough
                if not (text.removeprefix("The ").removeprefix("the ").isupper() and len(key) >= 3):
                    continue
                self.acronyms.add(key)
            out.append(key)
        self.cache[(name, aliases)] = out
        return out


def _load_layer(g: Gazetteer, extra_dirs: tuple[Path, ...]) -> None:
    keys = _LayerKeys(g)
    for c in read_table(f"{LAYER_PREFIX}countries.tsv", CountryRow, extra_dirs):
        if c.code in g.countries:  # spelling variants ("Afganistan") of a state the hand-made table knows
            g.add_layer_keys(keys("", c.aliases, single_words=True), NameEntry("country", g.country_actor(c.code, "GOV")))
    for org in read_table(f"{LAYER_PREFIX}organizations.tsv", OrgRow, extra_dirs):
        g.add_layer_keys(keys(org.name, org.aliases), NameEntry("org", org_actor(org, g.words.generic_org_type)))
    for gr in read_table(f"{LAYER_PREFIX}groups.tsv", GroupRow, extra_dirs):
        g.add_layer_keys(keys(gr.name, gr.aliases), NameEntry("group", Actor(
            name=gr.name, country=gr.country, sector=gr.sector, id=gr.wikidata or f"group:{gr.id}", kind="group")))
    actors: dict[tuple[str, str, str, str, str], Actor] = {}
    for term in read_table(f"{LAYER_PREFIX}office_holders.tsv", OfficeRow, extra_dirs):
        k = (term.name, term.country, term.sector, term.office, term.wikidata)
        actor = actors.get(k)
        if actor is None:
            actor = actors[k] = holder_actor(term)
        g.add_layer_keys(keys(term.name, term.aliases), NameEntry("person", actor, term.start, term.end, True))
    for s in read_table(f"{LAYER_PREFIX}sectors.tsv", SectorRow, extra_dirs):
        key = tuple(s.term.lower().split())
        # longer derived terms are skipped so that sector lookups stay as cheap as with the hand table
        if key not in g.sectors and len(key) <= g.max_sector_len:
            g.sectors[key] = s
    g.layer_acronyms = frozenset(keys.acronyms)
