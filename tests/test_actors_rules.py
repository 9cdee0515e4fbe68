"""Unit tests of the actors stage's rule modules on spaCy ``Doc``s built by hand (no model, no
parser): noun-phrase helpers and gazetteer lookups (mentions.py), coreference (coref.py), country
from context (context.py) and the resolver's decisions (component.py). The gazetteers are tiny and
made up here; the sentences are invented."""

from __future__ import annotations

import datetime as dt

import pytest
import spacy
from spacy.tokens import Doc

from dotterel.actors.component import ActorResolver
from dotterel.actors.context import fill_from_context
from dotterel.actors.coref import resolve_references
from dotterel.actors.gazetteer import CountryRow, Gazetteer, NameEntry, OfficeRow, SectorRow
from dotterel.actors.mentions import SectorFinder, layer_hits, mention, negated_nationality, np_extent
from dotterel.actors.wordclasses import load_actor_words
from dotterel.nlp.extensions import register_extensions
from dotterel.spans import Actor, ActorMention

NLP = spacy.blank("en")
PUNCT = {".", ",", "”", "'s"}


def make_doc(spec: str, ents: list[str] | None = None) -> Doc:
    """``spec``: one token per line, ``text POS dep head [lemma] [tag]`` (head: absolute index)."""
    rows = [line.split() for line in spec.strip().splitlines()]
    words = [r[0] for r in rows]
    spaces = [i + 1 < len(words) and words[i + 1] not in PUNCT and words[i] not in {"“"} for i in range(len(words))]
    doc = Doc(NLP.vocab, words=words, spaces=spaces, pos=[r[1] for r in rows], deps=[r[2] for r in rows],
              heads=[int(r[3]) for r in rows], lemmas=[r[4] if len(r) > 4 else r[0].lower() for r in rows],
              tags=[r[5] if len(r) > 5 else "NN" for r in rows], ents=ents)
    register_extensions()
    doc._.skip_ranges = []
    doc._.dct = dt.date(2023, 3, 17)
    return doc


def gazetteer(*codes: str) -> Gazetteer:
    g = Gazetteer(words=load_actor_words())
    names = {"RUS": "Russia", "CHN": "China", "KEN": "Kenya", "UGA": "Uganda", "SRB": "Serbia"}
    for code in codes:
        g.countries[code] = CountryRow(code=code, name=names[code])
    return g


def person(name: str, country: str, role: str | None = None) -> Actor:
    return Actor(name, country, "GOV", f"person:{name.lower()}", "person", role)


# ------------------------------------------------------------------ mentions.py
NEW_MINISTER = """
the DET det 3
new ADJ amod 3
foreign ADJ amod 3
minister NOUN ROOT 3
"""


def test_np_extent_drops_the_article_at_the_left_edge() -> None:
    doc = make_doc(NEW_MINISTER)
    assert np_extent(doc[3], load_actor_words().leading_drop) == (1, 3)
    assert np_extent(doc[3], frozenset()) == (0, 3)  # the class decides, not the code


@pytest.mark.parametrize(("words", "negated"), [
    (["anti", "-", "Russian"], True),
    (["pro", "-", "Russian"], True),
    (["an", "ethnic", "Russian"], True),
    (["the", "Russian"], False),
    (["Russian"], False),
])
def test_negated_nationality(words: list[str], negated: bool) -> None:
    doc = Doc(NLP.vocab, words=words)
    assert negated_nationality(doc, len(words) - 1, load_actor_words()) is negated


def test_sector_finder_takes_the_longest_term_from_lo_by_lemma() -> None:
    g = gazetteer()
    g.sectors[("foreign", "minister")] = SectorRow(term="foreign minister", sector="GOV", role="foreign_minister", person=1)
    g.sectors[("minister",)] = SectorRow(term="minister", sector="GOV", role="minister", person=1)
    g.max_sector_len = 2
    doc = make_doc("""
the DET det 2
foreign ADJ amod 2
ministers NOUN ROOT 2 minister NNS
""")
    for indexed in (False, True):  # the same answer with and without the last-word index
        if indexed:
            g.build_indexes()
        finder = SectorFinder(doc, g)
        assert _term(finder, 2, 0) == ("foreign minister", 1)
        assert _term(finder, 2, 2) == ("minister", 2)
        assert _term(finder, 1, 0) is None


def _term(finder: SectorFinder, end: int, lo: int) -> tuple[str, int] | None:
    found = finder.at(end, lo)
    return (found[0].term, found[1]) if found is not None else None


def _layer(keys: list[str]) -> Gazetteer:
    g = gazetteer()
    entry = NameEntry("group", Actor("Silver Heron Brigade", "KEN", "REB", "group:shb", "group"))
    g.add_layer_keys(keys, entry)
    g.layer_max_tokens = 4
    g.build_indexes()
    return g


def test_layer_names_need_capitals_and_may_start_with_the() -> None:
    g = _layer(["silver heron brigade"])
    doc = Doc(NLP.vocab, words=["The", "Silver", "Heron", "Brigade", "attacked", "."])
    assert sorted((s.start, s.end) for s, _ in layer_hits(doc, g)) == [(0, 4), (1, 4)]
    lower = Doc(NLP.vocab, words=["the", "silver", "heron", "brigade", "attacked"])
    assert layer_hits(lower, g) == []


def test_layer_lookup_stops_only_where_no_name_goes_on() -> None:
    # "Silver" alone is no name, but "Silver Heron" and "Silver Heron Brigade" are: the prefix index
    # must keep looking past a word that is only the start of a name, and find both
    g = _layer(["silver heron", "silver heron brigade"])
    assert g.layer_prefixes == {"silver", "silver heron"}
    doc = Doc(NLP.vocab, words=["Silver", "Heron", "Brigade", "and", "Heron", "Brigade", "Silver", "Brigade"])
    assert [(s.start, s.end) for s, _ in layer_hits(doc, g)] == [(0, 2), (0, 3)]


# ------------------------------------------------------------------ coref.py
REPORTED = """
Lavrov PROPN nsubj 1 Lavrov NNP
said VERB ROOT 1 say VBD
{pron} PRON nsubj 4 {pron} PRP
would AUX aux 4 would MD
attend VERB ccomp 1 attend VB
. PUNCT punct 1 . .
"""


def test_he_in_a_reported_clause_is_the_reporting_subject() -> None:
    doc = make_doc(REPORTED.format(pron="he"))
    g = gazetteer("RUS")
    lavrov = mention(doc, 0, 0, 0, [person("Sergei Lavrov", "RUS", "foreign_minister")], "name")
    out = resolve_references(doc, [lavrov], g, dt.date(2023, 3, 17))
    he = next(m for m in out if m.kind == "pronoun")
    assert (he.text, he.actor.name, he.antecedent) == ("he", "Sergei Lavrov", lavrov)


def test_it_never_refers_to_a_person() -> None:
    doc = make_doc(REPORTED.format(pron="it"))
    lavrov = mention(doc, 0, 0, 0, [person("Sergei Lavrov", "RUS")], "name")
    out = resolve_references(doc, [lavrov], gazetteer("RUS"), None)
    assert [m.kind for m in out] == ["name"]


TWO_COUNTRIES = """
Putin PROPN nsubj 1 Putin NNP
met VERB ROOT 1 meet VBD
Xi PROPN dobj 1 Xi NNP
. PUNCT punct 1 . .
The DET det 6 the DT
two NUM nummod 6 two CD
{noun} NOUN nsubj 7 {lemma} NNS
signed VERB ROOT 7 sign VBD
deals NOUN dobj 7 deal NNS
. PUNCT punct 7 . .
"""


@pytest.mark.parametrize(("noun", "lemma", "expected"), [
    ("countries", "country", {("Russia", "RUS"), ("China", "CHN")}),
    ("leaders", "leader", {("Vladimir Putin", "RUS"), ("Xi Jinping", "CHN")}),
])
def test_the_two_countries_and_the_two_leaders(noun: str, lemma: str, expected: set[tuple[str, str]]) -> None:
    doc = make_doc(TWO_COUNTRIES.format(noun=noun, lemma=lemma))
    g = gazetteer("RUS", "CHN")
    putin = mention(doc, 0, 0, 0, [person("Vladimir Putin", "RUS", "head_of_state")], "name")
    xi = mention(doc, 2, 2, 2, [person("Xi Jinping", "CHN", "head_of_state")], "name")
    two = mention(doc, 5, 6, 6, [Actor(None, None, "GOV", None, "generic")], "title")
    resolve_references(doc, [putin, xi, two], g, None)
    assert two.kind == "coref"
    assert {(a.name, a.country) for a in two.actors} == expected


def test_the_leader_takes_the_last_leader_of_its_country() -> None:
    doc = make_doc("""
Xi PROPN nsubj 1 Xi NNP
spoke VERB ROOT 1 speak VBD
. PUNCT punct 1 . .
The DET det 5 the DT
Chinese ADJ amod 5 chinese JJ
leader NOUN nsubj 6 leader NN
smiled VERB ROOT 6 smile VBD
. PUNCT punct 6 . .
""")
    xi = mention(doc, 0, 0, 0, [person("Xi Jinping", "CHN", "head_of_state")], "name")
    leader = mention(doc, 4, 5, 5, [Actor(None, "CHN", "GOV", None, "state", None)], "title")
    resolve_references(doc, [xi, leader], gazetteer("CHN"), None)
    assert (leader.kind, leader.actor.name, leader.antecedent) == ("coref", "Xi Jinping", xi)


# ------------------------------------------------------------------ context.py
def _police(doc: Doc, i: int = 0) -> ActorMention:
    return mention(doc, i, i, i, [Actor(None, None, "COP", None, "generic")], "title")


def test_a_title_takes_the_only_state_of_its_sentence() -> None:
    doc = make_doc("""
Police NOUN nsubj 1 police NNS
arrested VERB ROOT 1 arrest VBD
protesters NOUN dobj 1 protester NNS
in ADP prep 1 in IN
Kenya PROPN pobj 3 Kenya NNP
. PUNCT punct 1 . .
""")
    g = gazetteer("KEN")
    police, kenya = _police(doc), mention(doc, 4, 4, 4, [g.country_actor("KEN", "GOV")], "country")
    fill_from_context(doc, [police, kenya], g)
    assert (police.actor.country, police.kind) == ("KEN", "context")


def test_of_two_states_the_one_named_as_a_place_wins() -> None:
    doc = make_doc("""
Police NOUN nsubj 3 police NNS
from ADP prep 0 from IN
Uganda PROPN pobj 1 Uganda NNP
arrested VERB ROOT 3 arrest VBD
protesters NOUN dobj 3 protester NNS
in ADP prep 3 in IN
Kenya PROPN pobj 5 Kenya NNP
. PUNCT punct 3 . .
""")
    g = gazetteer("KEN", "UGA")
    police = _police(doc)
    uganda = mention(doc, 2, 2, 2, [g.country_actor("UGA", "GOV")], "country")
    kenya = mention(doc, 6, 6, 6, [g.country_actor("KEN", "GOV")], "country")
    fill_from_context(doc, [police, uganda, kenya], g)
    assert police.actor.country == "KEN"


def test_a_state_named_inside_quotation_marks_does_not_count_for_its_sentence() -> None:
    doc = make_doc("""
“ PUNCT punct 2 “ ``
Kenya PROPN nsubj 2 Kenya NNP
is AUX ROOT 2 be VBZ
calm ADJ acomp 2 calm JJ
, PUNCT punct 2 , ,
” PUNCT punct 2 ” ''
police NOUN nsubj 7 police NNS
said VERB ROOT 7 say VBD
. PUNCT punct 7 . .
""")
    g = gazetteer("KEN", "UGA")
    police = _police(doc, 6)
    kenya = mention(doc, 1, 1, 1, [g.country_actor("KEN", "GOV")], "country")
    uganda = [g.country_actor("UGA", "GOV")]
    # the story: Uganda named twice elsewhere (mentions need only a head; no sentence of their own here)
    others = [ActorMention(7, 8, 0, 0, "", uganda, "country", 7), ActorMention(8, 9, 0, 0, "", uganda, "country", 8)]
    fill_from_context(doc, [police, kenya, *others], g)
    assert police.actor.country == "UGA"  # the story's dominant state, not the quoted one


# ------------------------------------------------------------------ component.py
def resolver(g: Gazetteer) -> ActorResolver:
    return ActorResolver(NLP, g)


def test_title_and_country_is_the_office_holder_on_the_day() -> None:
    g = gazetteer("CHN")
    g.add_name("Chinese", NameEntry("demonym", Actor("China", "CHN", None, "country:CHN", "state")))
    g.sectors[("foreign", "minister")] = SectorRow(term="foreign minister", sector="GOV", role="foreign_minister", person=1)
    g.max_sector_len = 2
    g.offices[("CHN", "foreign_minister")].append(OfficeRow(
        name="Wang Yi", country="CHN", office="foreign_minister", start=dt.date(2023, 7, 25)))
    g.build_indexes()
    spec = """
Chinese ADJ amod 2 chinese JJ
foreign ADJ amod 2 foreign JJ
minister NOUN nsubj 3 minister NN
arrived VERB ROOT 3 arrive VBD
. PUNCT punct 3 . .
"""
    doc = make_doc(spec)
    doc._.dct = dt.date(2023, 8, 1)
    found = resolver(g)(doc)._.actor_mentions
    assert [(m.text, m.actor.name, m.actor.country) for m in found] == [("Chinese foreign minister", "Wang Yi", "CHN")]
    before = make_doc(spec)
    before._.dct = dt.date(2023, 1, 2)  # no holder known on that day: the state's office
    found = resolver(g)(before)._.actor_mentions
    assert [(m.actor.name, m.actor.country, m.actor.kind) for m in found] == [("foreign minister", "CHN", "state")]


@pytest.mark.parametrize(("spec", "sector"), [
    ("Serbs PROPN nsubj 1 Serbs NNPS\nprotested VERB ROOT 1 protest VBD\n. PUNCT punct 1 . .", "CVL"),
    ("ethnic ADJ amod 1 ethnic JJ\nSerbs PROPN nsubj 2 Serbs NNPS\nprotested VERB ROOT 2 protest VBD", "CVL"),
])
def test_demonym_heads(spec: str, sector: str) -> None:
    g = gazetteer("SRB")
    g.add_name("Serbs", NameEntry("demonym", Actor("Serbia", "SRB", None, "country:SRB", "state")))
    g.build_indexes()
    found = resolver(g)(make_doc(spec))._.actor_mentions
    (m,) = found
    ethnic = "ethnic" in spec
    assert (m.actor.country, m.actor.sector, m.kind) == ((None if ethnic else "SRB"), sector, "title" if ethnic else "demonym")
