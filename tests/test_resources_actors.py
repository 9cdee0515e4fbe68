"""Validate the actor gazetteers under src/dotterel/resources/actors/.

The files are plain TSV (tab-separated, UTF-8, header row first, '#' comment lines anywhere,
multi-value cells separated by '|'). These tests read them with the csv module only, so they
check the data independently of the loader.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

ACTORS = Path(__file__).resolve().parents[1] / "src" / "dotterel" / "resources" / "actors"

HEADERS = {
    "countries.tsv": ["code", "name", "kind", "aliases", "demonyms", "capitals", "wikidata"],
    "metonyms.tsv": ["text", "country", "sector", "name", "wikidata"],
    "organizations.tsv": ["id", "name", "aliases", "code", "category", "sector", "country", "wikidata"],
    "groups.tsv": ["id", "name", "aliases", "country", "sector", "wikidata"],
    "sectors.tsv": ["term", "sector", "role", "person", "notes"],
    "office_holders.tsv": ["name", "aliases", "country", "office", "sector", "start", "end", "wikidata"],
}

REQUIRED = {
    "countries.tsv": ["code", "name", "kind"],
    "metonyms.tsv": ["text", "country", "sector", "name"],
    "organizations.tsv": ["id", "name", "code", "category", "sector"],
    "groups.tsv": ["id", "name", "country", "sector"],
    "sectors.tsv": ["term", "sector", "person"],
    "office_holders.tsv": ["name", "country", "office", "sector", "start"],
}

# PLOVER sector codes (PLOVER manual, "Sector Codes"). MED is health and JRN is media in PLOVER.
SECTORS = {
    "COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "UNK",
    "AGR", "BUS", "CRM", "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "PRE", "REL", "SOC",
}

# Non-state "country" codes: PLOVER's generic ones plus the CAMEO-style codes used for specific
# intergovernmental organisations in organizations.tsv.
GENERIC_CODES = {"UNO", "EUR", "IGO", "NGO", "MNC", "ISM", "IMG"}
IGO_CODES = {
    "NATO", "AFU", "ASN", "ARL", "GCC", "OIC", "OAS", "OPC", "IMF", "WBK", "WTO", "OSCE", "OECD",
    "COE", "CIS", "CSTO", "WPO", "ECW", "SDC", "IGD", "EAC", "APEC", "SCO", "BRC", "ITP", "ICC",
    "CWN", "MER", "CCM", "ACN", "WST",
}
NONSTATE_CODES = GENERIC_CODES | IGO_CODES

COUNTRY_KINDS = {"state", "observer", "disputed", "territory", "historical"}
ORG_CATEGORIES = {"IGO", "NGO", "MNC", "MED"}
# Offices that are not titles in sectors.tsv but are used in office_holders.tsv.
EXTRA_OFFICES = {"commission_president", "council_president", "high_commissioner_human_rights", "director_general"}
# Offices held by one person at a time per country: terms must not overlap.
EXCLUSIVE_OFFICES = {
    "head_of_state", "head_of_government", "foreign_minister", "defence_minister",
    "secretary_general", "supreme_leader", "party_leader", "crown_prince",
}

QID = re.compile(r"^Q[1-9][0-9]*$")
SLUG = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")
ISO3 = re.compile(r"^[A-Z]{3}$")


def read(name: str) -> list[dict[str, str]]:
    path = ACTORS / name
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader)
    assert header == HEADERS[name], f"{name}: header {header}"
    rows = []
    for i, cells in enumerate(reader, start=2):
        assert len(cells) == len(header), f"{name} data row {i}: {len(cells)} cells: {cells}"
        rows.append(dict(zip(header, cells, strict=True)))
    return rows


def split(cell: str) -> list[str]:
    return [v for v in cell.split("|")] if cell else []


@pytest.fixture(scope="module")
def data() -> dict[str, list[dict[str, str]]]:
    return {name: read(name) for name in HEADERS}


@pytest.fixture(scope="module")
def country_codes(data) -> set[str]:
    return {r["code"] for r in data["countries.tsv"]}


def test_files_are_clean_utf8_tsv():
    for name in HEADERS:
        raw = (ACTORS / name).read_bytes()
        text = raw.decode("utf-8")  # raises if not UTF-8
        assert "\r" not in text, f"{name}: CR line endings"
        assert not text.startswith("\ufeff"), f"{name}: BOM"
        assert text.endswith("\n"), f"{name}: missing final newline"


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_required_cells_and_whitespace(data, name):
    for row in data[name]:
        for col in REQUIRED[name]:
            assert row[col], f"{name}: empty {col} in {row}"
        for col, value in row.items():
            assert value == value.strip(), f"{name}: stray whitespace in {col}={value!r}"
            for part in split(value) if col in ("aliases", "demonyms", "capitals") else [value]:
                assert part == part.strip() and (part or not value), f"{name}: empty or padded item in {col}={value!r}"
        if row.get("wikidata"):
            assert QID.match(row["wikidata"]), f"{name}: bad QID {row['wikidata']}"


def test_countries(data):
    rows = data["countries.tsv"]
    codes = Counter(r["code"] for r in rows)
    assert not [c for c, n in codes.items() if n > 1], "duplicate country codes"
    for r in rows:
        assert ISO3.match(r["code"]), r["code"]
        assert r["kind"] in COUNTRY_KINDS, r
        assert r["code"] not in NONSTATE_CODES, r["code"]
    assert sum(r["kind"] == "state" for r in rows) >= 193
    assert {"VAT", "PSE"} <= {r["code"] for r in rows if r["kind"] == "observer"}
    for code in ("TWN", "XKX", "ESH", "XNC", "XAB", "XSO", "XSL", "XTR", "HKG", "MAC", "YUG", "SUN", "CSK", "DDR"):
        assert code in codes, code


def test_country_surface_forms_are_unambiguous(data):
    owner: dict[str, str] = {}
    for r in data["countries.tsv"]:
        forms = [r["name"], *split(r["aliases"]), *split(r["demonyms"]), *split(r["capitals"])]
        for form in set(forms):
            assert owner.setdefault(form, r["code"]) == r["code"], f"{form!r}: {owner[form]} and {r['code']}"
    # a few spot checks of the conventions documented in the README
    assert owner["Zaire"] == "COD"
    assert owner["Kiev"] == owner["Kyiv"] == "UKR"
    assert owner["Burma"] == "MMR"
    assert owner["U.S."] == "USA"
    assert owner["Türkiye"] == "TUR"


def test_metonyms(data, country_codes):
    rows = data["metonyms.tsv"]
    texts = Counter(r["text"] for r in rows)
    assert not [t for t, n in texts.items() if n > 1], "duplicate metonym text"
    for r in rows:
        assert r["country"] in country_codes, r
        assert r["sector"] in SECTORS, r
    by_text = {r["text"]: r for r in rows}
    assert (by_text["Kremlin"]["country"], by_text["Kremlin"]["sector"]) == ("RUS", "GOV")
    assert (by_text["Pentagon"]["country"], by_text["Pentagon"]["sector"]) == ("USA", "MIL")


def test_organizations(data, country_codes):
    rows = data["organizations.tsv"]
    ids = Counter(r["id"] for r in rows)
    assert not [i for i, n in ids.items() if n > 1], "duplicate organisation id"
    for r in rows:
        assert SLUG.match(r["id"]), r["id"]
        assert r["category"] in ORG_CATEGORIES, r
        assert r["sector"] in SECTORS, r
        assert r["code"] in NONSTATE_CODES or r["code"] in country_codes, r
        if r["code"] in country_codes:
            # national bodies: code is the state itself
            assert r["country"] == r["code"], r
        if r["country"]:
            assert r["country"] in country_codes, r
        if r["category"] == "MED":
            assert r["sector"] == "JRN" and r["country"], r
    by_id = {r["id"]: r for r in rows}
    assert by_id["un"]["code"] == "UNO"
    assert by_id["eu"]["code"] == "EUR"
    assert by_id["nato"]["code"] == "NATO" and by_id["nato"]["sector"] == "MIL"
    assert by_id["icty"]["sector"] == "JUD"
    assert "U.N. war crimes tribunal" in split(by_id["icty"]["aliases"])


def test_groups(data, country_codes):
    rows = data["groups.tsv"]
    ids = Counter(r["id"] for r in rows)
    assert not [i for i, n in ids.items() if n > 1], "duplicate group id"
    for r in rows:
        assert SLUG.match(r["id"]), r["id"]
        assert r["sector"] in SECTORS, r
        assert r["country"] in country_codes or r["country"] in NONSTATE_CODES, r
    by_id = {r["id"]: r for r in rows}
    assert (by_id["taliban"]["country"], by_id["taliban"]["sector"]) == ("AFG", "REB")
    assert by_id["isis"]["country"] == "IMG"
    assert "Daesh" in split(by_id["isis"]["aliases"])


def test_organization_and_group_names_do_not_collide(data):
    ids = [r["id"] for r in data["organizations.tsv"]] + [r["id"] for r in data["groups.tsv"]]
    assert len(ids) == len(set(ids)), "an id is used in both organizations.tsv and groups.tsv"
    owner: dict[str, str] = {}
    for name in ("organizations.tsv", "groups.tsv"):
        for r in data[name]:
            for form in {r["name"], *split(r["aliases"])}:
                assert owner.setdefault(form, r["id"]) == r["id"], f"{form!r}: {owner[form]} and {r['id']}"
    country_forms = set()
    for r in data["countries.tsv"]:
        country_forms |= {r["name"], *split(r["aliases"]), *split(r["demonyms"]), *split(r["capitals"])}
    clash = sorted(set(owner) & country_forms)
    assert not clash, f"names used by both countries and organisations/groups: {clash}"
    metonyms = {r["text"] for r in data["metonyms.tsv"]}
    clash = sorted(metonyms & (set(owner) | country_forms))
    assert not clash, f"metonym texts also listed as country/organisation/group names: {clash}"


def test_sectors(data):
    rows = data["sectors.tsv"]
    terms = Counter(r["term"] for r in rows)
    assert not [t for t, n in terms.items() if n > 1], "duplicate sector term"
    for r in rows:
        term = r["term"]
        assert term == term.lower(), term
        assert "  " not in term and term == term.strip(), term
        assert r["sector"] in SECTORS, r
        assert r["person"] in {"0", "1"}, r
        if r["role"]:
            assert SLUG.match(r["role"]), r
    by_term = {r["term"]: r for r in rows}
    assert by_term["troop"]["sector"] == "MIL" and by_term["troop"]["person"] == "0"
    assert by_term["protester"]["sector"] == "CVL"
    assert by_term["foreign minister"]["role"] == "foreign_minister"
    assert by_term["secretary of state"]["role"] == "foreign_minister"
    assert by_term["president"]["role"] == "head_of_state"
    assert by_term["spokesman"]["role"] == "spokesperson" and by_term["spokesman"]["person"] == "1"
    assert by_term["police"]["sector"] == "COP"


def _date(value: str) -> dt.date:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), value
    return dt.date.fromisoformat(value)


def test_office_holders(data, country_codes):
    rows = data["office_holders.tsv"]
    offices = {r["role"] for r in data["sectors.tsv"] if r["role"]} | EXTRA_OFFICES
    seen = Counter()
    for r in rows:
        assert r["country"] in country_codes or r["country"] in NONSTATE_CODES, r
        assert r["sector"] in SECTORS, r
        assert r["office"] in offices, r
        start = _date(r["start"])
        if r["end"]:
            assert start <= _date(r["end"]), r
        seen[(r["name"], r["country"], r["office"], r["start"])] += 1
    assert not [k for k, n in seen.items() if n > 1], "duplicate office-holder rows"


def test_exclusive_offices_do_not_overlap(data):
    terms = defaultdict(list)
    for r in data["office_holders.tsv"]:
        if r["office"] in EXCLUSIVE_OFFICES:
            end = _date(r["end"]) if r["end"] else dt.date.max
            terms[(r["country"], r["office"])].append((_date(r["start"]), end, r["name"]))
    problems = []
    for key, spans in terms.items():
        spans.sort()
        for (_s1, e1, n1), (s2, _e2, n2) in itertools.pairwise(spans):
            if s2 < e1:  # handover on the same day is fine
                problems.append((key, n1, str(e1), n2, str(s2)))
    assert not problems, problems


def holders(data, country: str, office: str, day: str) -> set[str]:
    d = dt.date.fromisoformat(day)
    out = set()
    for r in data["office_holders.tsv"]:
        if r["country"] == country and r["office"] == office:
            if _date(r["start"]) <= d and (not r["end"] or d <= _date(r["end"])):
                out.add(r["name"])
    return out


@pytest.mark.parametrize(
    "country, office, day, name",
    [
        ("CHN", "head_of_state", "2023-03-17", "Xi Jinping"),
        ("RUS", "head_of_state", "2023-03-17", "Vladimir Putin"),
        ("RUS", "head_of_state", "1998-06-01", "Boris Yeltsin"),
        ("CHN", "foreign_minister", "2023-03-17", "Qin Gang"),
        ("CHN", "foreign_minister", "2023-08-01", "Wang Yi"),
        ("UKR", "foreign_minister", "2023-03-17", "Dmytro Kuleba"),
        ("USA", "foreign_minister", "2023-03-17", "Antony Blinken"),
        ("UKR", "head_of_state", "2023-03-17", "Volodymyr Zelenskyy"),
        ("UNO", "secretary_general", "2023-03-17", "António Guterres"),
        ("NATO", "secretary_general", "2023-03-17", "Jens Stoltenberg"),
        ("PSE", "head_of_state", "2000-01-01", "Yasser Arafat"),
        ("IRQ", "head_of_state", "1995-01-01", "Saddam Hussein"),
    ],
)
def test_office_holder_lookups(data, country, office, day, name):
    assert name in holders(data, country, office, day)


def test_spokespeople_present(data):
    names = {r["name"] for r in data["office_holders.tsv"] if r["office"] == "spokesperson"}
    for name in ("Wang Wenbin", "Zhao Lijian", "Hua Chunying", "Mao Ning", "Lin Jian",
                 "Dmitry Peskov", "Maria Zakharova", "Ned Price", "Matthew Miller"):
        assert name in names, name


# --- tables derived from PETRARCH2 (scripts/petrarch2/convert_actors.py) ------------------------
DERIVED = {
    "petrarch_countries.tsv": "countries.tsv",
    "petrarch_office_holders.tsv": "office_holders.tsv",
    "petrarch_organizations.tsv": "organizations.tsv",
    "petrarch_groups.tsv": "groups.tsv",
    "petrarch_sectors.tsv": "sectors.tsv",
}
# ISO3 codes of territories without a row in countries.tsv that the derived tables may use.
EXTRA_TERRITORIES = {"AIA", "ABW", "BMU", "CYM", "COK", "GGY", "JEY", "IMN", "GIB", "GRL", "PRI", "VGB", "VIR",
                     "NCL", "PYF", "GUM", "ASM", "MSR", "TCA", "FRO", "WLF", "SHN", "FLK", "REU", "MTQ", "GLP",
                     "GUF", "MYT", "SPM", "NIU", "TKL", "NFK", "CXR", "CCK", "PCN", "MNP", "ALA", "SJM", "BES",
                     "CUW", "SXM", "MAF", "BLM", "ATF", "IOT", "UMI", "HMD", "BVT", "SGS", "ATA"}


def read_derived(name: str) -> list[dict[str, str]]:
    text = (ACTORS / name).read_text(encoding="utf-8")
    assert "PETRARCH2" in text.splitlines()[0] and "MIT" in text.splitlines()[0], f"{name}: notice header"
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader)
    assert header == HEADERS[DERIVED[name]], f"{name}: header {header}"
    rows = []
    for i, cells in enumerate(reader, start=2):
        assert len(cells) == len(header), f"{name} data row {i}: {cells}"
        rows.append(dict(zip(header, cells, strict=True)))
    return rows


@pytest.fixture(scope="module")
def derived() -> dict[str, list[dict[str, str]]]:
    return {name: read_derived(name) for name in DERIVED}


def test_derived_tables_carry_the_mit_notice():
    notice = (ACTORS / "NOTICE.petrarch2").read_text(encoding="utf-8")
    assert "The MIT License" in notice and "Copyright (c) 2014 Open Event Data" in notice


def test_derived_tables_codes_and_dates(derived, country_codes):
    allowed = country_codes | NONSTATE_CODES | EXTRA_TERRITORIES
    for r in derived["petrarch_office_holders.tsv"]:
        assert r["country"] in allowed, r
        assert r["sector"] in SECTORS, r
        assert r["office"].startswith("cameo:"), r
        start = _date(r["start"])
        assert not r["end"] or _date(r["end"]) >= start, r
        assert len(r["name"].split()) >= 2, r  # single surnames are left to the hand-made table
    for r in derived["petrarch_organizations.tsv"]:
        assert r["category"] in {"IGO", "NGO", "MNC"}, r
        assert r["code"] in NONSTATE_CODES, r
        assert r["sector"] in SECTORS, r
    for r in derived["petrarch_countries.tsv"]:
        assert r["code"] in country_codes and r["aliases"], r
    for r in derived["petrarch_groups.tsv"]:
        assert r["country"] in allowed, r
        assert r["sector"] in SECTORS, r
    for r in derived["petrarch_sectors.tsv"]:
        assert r["sector"] in SECTORS and r["person"] in {"0", "1"} and r["term"] == r["term"].lower(), r


def test_derived_tables_leave_hand_made_names_alone(data, derived):
    def key(text: str) -> str:
        k = " ".join(text.lower().replace("-", " ").split())
        return k.removeprefix("the ")

    hand = set()
    for name, cols in {"countries.tsv": ("name", "aliases", "demonyms", "capitals"), "metonyms.tsv": ("text",),
                       "organizations.tsv": ("name", "aliases"), "groups.tsv": ("name", "aliases"),
                       "places.tsv": ("name", "aliases"), "office_holders.tsv": ("name", "aliases")}.items():
        rows = data.get(name, [])
        if name == "places.tsv":
            lines = [ln for ln in (ACTORS / name).read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
            header = lines[0].split("\t")
            rows = [dict(zip(header, ln.split("\t"), strict=False)) for ln in lines[1:]]
        for r in rows:
            for col in cols:
                hand.update(key(v) for v in split(r.get(col, "")))
    for name in ("petrarch_office_holders.tsv", "petrarch_organizations.tsv", "petrarch_groups.tsv",
                 "petrarch_countries.tsv"):
        for r in derived[name]:
            for form in ([] if name == "petrarch_countries.tsv" else [r["name"]]) + split(r["aliases"]):
                assert key(form) not in hand, f"{name}: {form!r} is in a hand-made table"
    hand_terms = {r["term"] for r in data["sectors.tsv"]}
    assert not hand_terms & {r["term"] for r in derived["petrarch_sectors.tsv"]}
