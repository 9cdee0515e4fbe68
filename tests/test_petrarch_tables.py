"""The PETRARCH2-derived actor tables: the conversion script, the lower-priority gazetteer layer,
date-aware person lookups and PLOVER's generic organisation type.

The converter is tested on small invented dictionaries written here (names like "Orvan Telmique"
are made up); the shipped tables are tested with historical facts (who held which office when)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pytest

from dotterel.actors.gazetteer import (
    Gazetteer,
    GroupRow,
    OfficeRow,
    OrgRow,
    SectorRow,
    load_gazetteer,
)
from dotterel.actors.mentions import choose_person
from dotterel.ingest.document import Document
from dotterel.pipeline import Coder
from dotterel.tables import read_table

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "petrarch2" / "convert_actors.py"


def _converter():
    spec = importlib.util.spec_from_file_location("convert_actors", SCRIPT)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["convert_actors"] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def conv():
    return _converter()


# ------------------------------------------------------------------ the conversion script
COUNTRIES = """# invented test dictionary
FREEDONIA_  [FRD]
+FREEDONIAN_
ARMENIA_  [ARM]
+ARMENNIA_
+ARMANIA_
+YEREVAN_
+SOVIET_ARMENIA_OF_OLD_

ORVAN_TELMIQUE_  # invented person
+ORVAN_TELMIK_
\t[ARMELI 800101-930201]
\t[ARMGOV 930202-961104]
\t[ARMELI]
PADMA_KESTREL_VOSS_
\t[TMPGOVHLH 20030101-20051231]
QUILLON_BRASK_
\t[KSVGOV >080217]
MINISTRY_OF_LIGHTHOUSES_  [ARMGOV]
SOLENNE_ARDWICK_
\t[GBRMED <991231]
HELMUT_TESTPERSON_  # same name as a hand-made row below
\t[DEUGOV 900101-951231]
PRESIDENT_OF_ARMENIA_
+ARMENIAN_PRIME_MINISTER_
\t[ARMGOV >910101]
"""
INTERNATIONAL = """UNITED_FISHERIES_COMPACT_ (UFC) [IGOUNOAGR]
GLOBAL_WELLS_RELIEF_  [NGOHLH]
BRIGHTWATER_HOLDINGS_INC_  [MNCUSAMED]
TARVEN_OSKOLD_
\t[IGOEUREEC 950101-991231]
\t[ELI]
"""
MILNONSTATE = """LEAGUE_OF_THE_NINE_RIVERS_  [IMGMUSALQ]
+NINE_RIVERS_FRONT_
RED_MARSH_BRIGADE_ [ARMREB]
SAND_COAST_FRONT_ [MEAREB]
"""
AGENTS = """!PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON
LIGHTHOUSE_KEEPER [~GOV]
FERRY!PERSON! [~BUS]
TOWN_CRIER {} [~MED]
POLICE [~COP]
HARBOUR_HEALER [~HLH]
VILLAGE [~CVL]
SUNNI [~MUS]
FISHING_COMPANY [~BUS]
"""
HAND_OFFICES = """name\taliases\tcountry\toffice\tsector\tstart\tend\twikidata
Helmut Testperson\t\tDEU\thead_of_government\tGOV\t1990-01-01\t1995-12-31\t
"""
HAND_SECTORS = "term\tsector\trole\tperson\tnotes\npolice\tCOP\t\t0\t\n"
HAND_COUNTRIES = ("code\tname\tkind\taliases\tdemonyms\tcapitals\twikidata\n"
                  "ARM\tArmenia\tstate\t\tArmenian\t\t\nDEU\tGermany\tstate\t\t\t\t\nGBR\tUnited Kingdom\tstate\t\t\t\t\n"
                  "TLS\tTimor-Leste\tstate\t\t\t\t\nXKX\tKosovo\tdisputed\t\t\t\t\n")


@pytest.fixture(scope="module")
def converted(conv, tmp_path_factory):
    src = tmp_path_factory.mktemp("p2src")
    out = tmp_path_factory.mktemp("p2out")
    (src / "Phoenix.Countries.actors.txt").write_text(COUNTRIES)
    (src / "Phoenix.International.actors.txt").write_text(INTERNATIONAL)
    (src / "Phoenix.MilNonState.actors.txt").write_text(MILNONSTATE)
    (src / "Phoenix.agents.txt").write_text(AGENTS)
    (src / "LICENSE").write_text("The MIT License (MIT)\n\nCopyright (c) 2014 Open Event Data Alliance\n")
    (out / "office_holders.tsv").write_text(HAND_OFFICES)
    (out / "sectors.tsv").write_text(HAND_SECTORS)
    (out / "countries.tsv").write_text(HAND_COUNTRIES)
    stats = conv.convert(src, out)
    return out, stats


def _rows(path: Path) -> list[dict[str, str]]:
    lines = [ln for ln in path.read_text().splitlines() if ln and not ln.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, ln.split("\t"), strict=True)) for ln in lines[1:]]


def test_converter_dates_roles_and_default_gaps(converted):
    out, _ = converted
    rows = [r for r in _rows(out / "petrarch_office_holders.tsv") if r["name"] == "Orvan Telmique"]
    assert rows, "the person is converted"
    assert rows[0]["aliases"] == "Orvan Telmik"
    gov = [r for r in rows if r["sector"] == "GOV"]
    assert [(r["country"], r["start"], r["end"]) for r in gov] == [("ARM", "1993-02-02", "1996-11-04")]
    # ELI periods of someone who held a role in the same country are left to the loader's "former" logic
    assert all(r["sector"] != "ELI" for r in rows)


def test_converter_country_and_sector_codes(converted):
    out, _ = converted
    by_name = {r["name"]: r for r in _rows(out / "petrarch_office_holders.tsv")}
    assert by_name["Padma Kestrel Voss"]["country"] == "TLS"  # CAMEO TMP -> ISO3 TLS
    assert by_name["Padma Kestrel Voss"]["sector"] == "GOV"  # GOVHLH: the first sector code
    assert by_name["Quillon Brask"]["country"] == "XKX"  # CAMEO KSV -> Dotterel's Kosovo code
    assert (by_name["Quillon Brask"]["start"], by_name["Quillon Brask"]["end"]) == ("2008-02-17", "")
    assert by_name["Solenne Ardwick"]["sector"] == "JRN"  # CAMEO MED (media) is PLOVER JRN
    assert by_name["Solenne Ardwick"]["start"] == "1900-01-01"  # "<date": start unknown
    assert by_name["Tarven Oskold"]["country"] == "EUR"


def test_converter_hand_tables_win(converted):
    out, stats = converted
    names = {r["name"] for r in _rows(out / "petrarch_office_holders.tsv")}
    assert "Helmut Testperson" not in names
    assert stats["records skipped: person in office_holders.tsv"] == 1
    terms = {r["term"] for r in _rows(out / "petrarch_sectors.tsv")}
    assert "police" not in terms  # sectors.tsv has it
    assert stats["agents skipped: in sectors.tsv"] == 1


def test_converter_organisations_groups_and_agents(converted):
    out, _ = converted
    orgs = {r["name"]: r for r in _rows(out / "petrarch_organizations.tsv")}
    assert (orgs["United Fisheries Compact"]["code"], orgs["United Fisheries Compact"]["category"]) == ("UNO", "IGO")
    assert orgs["United Fisheries Compact"]["aliases"] == "UFC"
    assert (orgs["Global Wells Relief"]["code"], orgs["Global Wells Relief"]["category"],
            orgs["Global Wells Relief"]["sector"]) == ("NGO", "NGO", "MED")  # CAMEO HLH = PLOVER MED (health)
    assert (orgs["Brightwater Holdings Inc"]["code"], orgs["Brightwater Holdings Inc"]["sector"]) == ("MNC", "BUS")
    groups = {r["name"]: r for r in _rows(out / "petrarch_groups.tsv")}
    assert (groups["League Of The Nine Rivers"]["country"], groups["League Of The Nine Rivers"]["sector"]) == ("IMG", "REB")
    assert groups["League Of The Nine Rivers"]["aliases"] == "Nine Rivers Front"
    assert groups["Ministry Of Lighthouses"]["country"] == "ARM"
    assert groups["Red Marsh Brigade"]["sector"] == "REB"
    assert "Sand Coast Front" not in groups  # a region code (MEA) is not a country
    assert "Freedonia" not in groups  # a country alias, not an actor row
    agents = {r["term"]: r for r in _rows(out / "petrarch_sectors.tsv")}
    assert agents["lighthouse keeper"]["sector"] == "GOV" and agents["lighthouse keeper"]["person"] == "1"
    assert agents["ferryman"]["sector"] == "BUS" and "ferrymen" not in agents  # singular (lemma) forms only
    assert agents["town crier"]["sector"] == "JRN"
    assert agents["fishing company"]["person"] == "0"  # a body noun is kept
    assert "village" not in agents and "sunni" not in agents  # a place, an adjective: not actors


def test_converter_keeps_country_misspellings_only(converted):
    out, _ = converted
    rows = {r["code"]: r for r in _rows(out / "petrarch_countries.tsv")}
    assert rows["ARM"]["aliases"].split("|") == ["Armennia", "Armania"]  # not the capital, not a phrase


def test_converter_drops_bare_titles(converted):
    out, stats = converted
    names = {r["name"] for r in _rows(out / "petrarch_office_holders.tsv")} | {
        r["name"] for r in _rows(out / "petrarch_groups.tsv")}
    assert not {"President Of Armenia", "Armenian Prime Minister"} & names  # titles, left to the title lookup
    assert stats["records skipped: a bare title, not a name"] == 1


def test_converter_writes_the_mit_notice(converted):
    out, _ = converted
    notice = (out / "NOTICE.petrarch2").read_text()
    assert "MIT License" in notice and "Open Event Data" in notice
    for name in ("petrarch_office_holders.tsv", "petrarch_organizations.tsv", "petrarch_groups.tsv", "petrarch_sectors.tsv"):
        head = (out / name).read_text().splitlines()[0]
        assert "PETRARCH2" in head and "MIT" in head


def test_converted_tables_load_with_the_row_models(converted):
    out, _ = converted
    base = out.parent / "p2user"  # read_table looks for actors/<file> in a resource folder
    (base / "actors").mkdir(parents=True, exist_ok=True)
    for f in out.glob("petrarch_*.tsv"):
        (base / "actors" / f.name).write_text(f.read_text())
    rows = read_table("actors/petrarch_office_holders.tsv", OfficeRow, (base,))
    assert any(r.name == "Orvan Telmique" and r.start == dt.date(1993, 2, 2) for r in rows)


# ------------------------------------------------------------------ the shipped tables, loaded
@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def _person(g: Gazetteer, name: str, day: dt.date):
    entries = g.layer.get(name.lower()) or g.names.get(name) or []
    return choose_person(list(entries), day, [])


@pytest.mark.parametrize(("name", "day", "country", "sector"), [
    ("Alberto Fujimori", dt.date(1995, 6, 1), "PER", "GOV"),  # President of Peru 1990-2000
    ("Hrant Bagratyan", dt.date(1994, 3, 1), "ARM", "GOV"),  # Prime Minister of Armenia 1993-1996
    ("Islam Karimov", dt.date(1999, 1, 1), "UZB", "GOV"),  # President of Uzbekistan from 1990
])
def test_historical_office_holders_get_country_for_the_date(gaz, name, day, country, sector):
    chosen = _person(gaz, name, day)
    assert chosen is not None
    actor, former = chosen
    assert (actor.country, actor.sector, former) == (country, sector, False)


def test_country_misspelling_from_the_layer(gaz):
    entry = gaz.layer["afganistan"][0]
    assert (entry.kind, entry.actor.country) == ("country", "AFG")


def test_office_holder_after_the_term_is_former(gaz):
    actor, former = _person(gaz, "Alberto Fujimori", dt.date(2005, 6, 1))
    assert actor.country == "PER" and former  # the resolver turns this into sector ELI


def test_hand_tables_win_over_the_layer(gaz):
    layer_keys = {k.replace("-", " ") for k in gaz.layer}
    hand_keys = {k.lower().replace("-", " ").removeprefix("the ") for k in gaz.names}
    assert not layer_keys & hand_keys
    # a hand-made sector term keeps its hand-made row
    assert "cameo" not in gaz.sectors[("police",)].notes


def test_derived_tables_validate(gaz):
    assert len(read_table("actors/petrarch_office_holders.tsv", OfficeRow)) > 10000
    assert len(read_table("actors/petrarch_organizations.tsv", OrgRow)) > 1000
    assert len(read_table("actors/petrarch_groups.tsv", GroupRow)) > 300
    assert len(read_table("actors/petrarch_sectors.tsv", SectorRow)) > 1000
    assert len(gaz.layer) > 20000


def test_user_tables_override_the_layer(tmp_path):
    (tmp_path / "actors").mkdir()
    (tmp_path / "actors" / "office_holders.tsv").write_text(
        "name\taliases\tcountry\toffice\tsector\tstart\tend\twikidata\n"
        "Alberto Fujimori\t\tJPN\thead_of_government\tGOV\t1990-07-28\t2000-11-22\t\n")
    g = load_gazetteer((tmp_path,))
    assert "alberto fujimori" not in g.layer
    actor, _ = _person(g, "Alberto Fujimori", dt.date(1995, 1, 1))
    assert actor.country == "JPN"


# ------------------------------------------------------------------ in the pipeline
def _code(coder: Coder, text: str, day: str):
    return coder.code(Document(id="t", text=text, published=dt.date.fromisoformat(day)))


def test_layer_names_are_resolved_in_text(coder):
    out = _code(coder, "Alberto Fujimori met farmers near Lima on Tuesday. Hrant Bagratyan criticised the plan.",
                "1995-03-02")
    found = {a.name: a for a in out.actors}
    assert found["Alberto Fujimori"].country == "PER"
    assert found["Hrant Bagratyan"].country == "ARM"


def test_layer_needs_capitals(coder):
    # lower-case text is not a name; an acronym only matches in capitals
    out = _code(coder, "The alberto fujimori fan club met on Tuesday.", "1995-03-02")
    assert all(a.country != "PER" for a in out.actors)


def test_org_type_is_reported_beside_the_specific_code(coder):
    out = _code(coder, "The United Nations sent food to Haiti. Amnesty International condemned the arrests.",
                "2010-05-01")
    un = next(a for a in out.actors if a.name == "United Nations")
    assert (un.country, un.org_type) == ("UNO", "IGO")
    amnesty = next(a for a in out.actors if a.name == "Amnesty International")
    assert amnesty.org_type == "NGO"
    aid = [e for e in out.events if any(s.country == "UNO" for s in e.actor)]
    assert aid and aid[0].actor[0].org_type == "IGO"
    haiti = next(a for a in out.actors if a.country == "HTI")
    assert haiti.org_type is None


def test_generic_ngo_mention_carries_org_type(coder):
    out = _code(coder, "A human rights group condemned the arrests on Monday.", "2010-05-01")
    ngo = next(a for a in out.actors if a.country == "NGO")
    assert ngo.org_type == "NGO"


def test_user_folders_extend_the_layer(tmp_path):
    (tmp_path / "actors").mkdir()
    (tmp_path / "actors" / "petrarch_groups.tsv").write_text(
        "id\tname\taliases\tcountry\tsector\twikidata\nsilver_heron\tSilver Heron Brigade\tSHB\tPER\tREB\t\n")
    g = load_gazetteer((tmp_path,))
    assert g.layer["silver heron brigade"][0].actor.country == "PER"
    assert "shb" in g.layer_acronyms
