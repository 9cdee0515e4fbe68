"""Validate the place gazetteer src/dotterel/resources/actors/places.tsv.

Plain TSV like the other actor gazetteers (UTF-8, header row first, '#' comment lines anywhere,
'|' between values). Read with the csv module only, so the data are checked independently of
the loader.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

ACTORS = Path(__file__).resolve().parents[1] / "src" / "dotterel" / "resources" / "actors"
PLACES = ACTORS / "places.tsv"

HEADER = ["name", "aliases", "country", "kind", "wikidata"]
REQUIRED = ["name", "country", "kind"]
KINDS = {"city", "town", "region", "territory", "sea", "site"}
SEA = "SEA"  # seas, straits, oceans and rivers shared by several states
REG = "REG"  # world regions spanning several states (Latin America, the Sahel): places, never an actor's country
QID = re.compile(r"^Q[1-9][0-9]*$")
ISO3 = re.compile(r"^[A-Z]{3}$")

# Names that are common English words or people's names when capitalised. A place with one of
# these names must not be listed under it (nor under an alias).
BLOCKLIST = {
    "Nice", "Mobile", "Reading", "Bath", "Independence", "Victoria", "Jackson", "Washington",
    "Georgia", "Jordan", "Chad", "Split", "Phoenix", "Florence", "Charlotte", "Lincoln", "Darwin",
    "Hamilton", "Regina", "Austin", "Orange", "Troy", "Eugene", "Marion", "Nancy", "Van", "Batman",
    "Columbus", "Orlando", "Kobe", "Farah", "Sabah", "Mary", "Salt", "Bay", "Sale", "Deal", "March",
    "Mold", "Hull", "Buffalo", "Flint", "Kent", "Derby", "Preston", "Chester", "Sake", "Meta",
    "Amazon", "Constantine", "Nasir", "Uri", "Kaya", "Mina", "Rosario", "Mendoza", "Santos",
    "Trujillo", "Hidalgo", "Leon", "Colon", "Richmond", "Madison", "Savannah", "Augusta", "Helena",
    "Olympia", "Salem", "Providence", "Carolina", "Cleveland", "Livingstone", "Kimberley",
    "Alexandra", "Concepcion", "Pool", "Man", "Bo", "Kara", "Shire", "Hue", "Manta", "Natal",
    "Para", "Halle", "Bender", "Carrefour", "Tabasco", "Cairns", "Erez",
}

# Rough continent map over the ISO3 codes of countries.tsv, for a balance check. Codes in none of
# these sets count as Asia: the Middle East, Turkey, the Caucasus, Central, South and East Asia.
# Russia and Cyprus count as Europe.
AFRICA = set(
    "DZA AGO BEN BWA BFA BDI CPV CMR CAF TCD COM COG COD CIV DJI EGY GNQ ERI SWZ ETH GAB GMB GHA "
    "GIN GNB KEN LSO LBR LBY MDG MWI MLI MRT MUS MAR MOZ NAM NER NGA RWA STP SEN SYC SLE SOM ZAF "
    "SSD SDN TZA TGO TUN UGA ZMB ZWE ESH XSL".split()
)
EUROPE = set(
    "ALB AND AUT BLR BEL BIH BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN ISL IRL ITA LVA LIE LTU "
    "LUX MLT MDA MCO MNE NLD MKD NOR POL PRT ROU RUS SMR SRB SVK SVN ESP SWE CHE UKR GBR VAT XKX "
    "XNC XTR YUG SUN CSK DDR".split()
)
AMERICAS = set(
    "ATG ARG BHS BRB BLZ BOL BRA CAN CHL COL CRI CUB DMA DOM ECU SLV GRD GTM GUY HTI HND JAM MEX "
    "NIC PAN PRY PER KNA LCA VCT SUR TTO USA URY VEN".split()
)
OCEANIA = set("AUS FJI KIR MHL FSM NRU NZL PLW PNG WSM SLB TON TUV VUT".split())


def _read(path: Path, header: list[str] | None = None) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    head = next(reader)
    if header is not None:
        assert head == header, f"{path.name}: header {head}"
    rows = []
    for i, cells in enumerate(reader, start=2):
        assert len(cells) == len(head), f"{path.name} data row {i}: {len(cells)} cells: {cells}"
        rows.append(dict(zip(head, cells, strict=True)))
    return rows


def split(cell: str) -> list[str]:
    return cell.split("|") if cell else []


def forms(row: dict[str, str]) -> list[str]:
    return [row["name"], *split(row["aliases"])]


def key(form: str) -> str:
    """Comparison key: case-insensitive, without a leading article ("the Donbas" = "Donbas")."""
    form = form.casefold()
    return form[4:] if form.startswith("the ") else form


@pytest.fixture(scope="module")
def places() -> list[dict[str, str]]:
    return _read(PLACES, HEADER)


@pytest.fixture(scope="module")
def countries() -> list[dict[str, str]]:
    return _read(ACTORS / "countries.tsv")


@pytest.fixture(scope="module")
def other_forms(countries) -> dict[str, str]:
    """Every surface form of the other actor gazetteers, keyed by `key`, with its source."""
    out: dict[str, str] = {}
    for r in countries:
        for col in ("name", "aliases", "demonyms", "capitals"):
            for form in split(r[col]):
                out.setdefault(key(form), f"countries.tsv {r['code']} {col}")
    for r in _read(ACTORS / "metonyms.tsv"):
        out.setdefault(key(r["text"]), f"metonyms.tsv {r['text']}")
    for name in ("organizations.tsv", "groups.tsv"):
        for r in _read(ACTORS / name):
            for form in [r["name"], *split(r["aliases"])]:
                out.setdefault(key(form), f"{name} {r['id']}")
    return out


def test_file_is_clean_utf8_tsv():
    raw = PLACES.read_bytes()
    text = raw.decode("utf-8")  # raises if not UTF-8
    assert "\r" not in text, "CR line endings"
    assert not text.startswith("\ufeff"), "BOM"
    assert text.endswith("\n"), "missing final newline"


def test_required_cells_and_whitespace(places):
    for row in places:
        for col in REQUIRED:
            assert row[col], f"empty {col} in {row}"
        for col, value in row.items():
            assert value == value.strip(), f"stray whitespace in {col}={value!r}"
        for alias in split(row["aliases"]):
            assert alias and alias == alias.strip(), f"empty or padded alias in {row}"
        aliases = split(row["aliases"])
        assert len(aliases) == len(set(aliases)), f"repeated alias in {row}"
        assert row["name"] not in aliases, f"name repeated as alias in {row}"
        if row["wikidata"]:
            assert QID.match(row["wikidata"]), f"bad QID in {row}"


def test_country_codes_and_kinds(places, countries):
    codes = {r["code"] for r in countries}
    for row in places:
        assert ISO3.match(row["country"]), row
        assert row["country"] in codes or row["country"] in {SEA, REG}, f"unknown country code in {row}"
        if row["country"] == REG:
            assert row["kind"] == "region", f"REG is for multi-state regions: {row}"
        assert row["kind"] in KINDS, f"bad kind in {row}"
        if row["country"] == SEA:
            assert row["kind"] in {"sea", "territory"}, f"SEA is for waters (and shared islands): {row}"


def test_names_are_unique(places):
    names = Counter(r["name"] for r in places)
    assert not [n for n, c in names.items() if c > 1], "duplicate place names"


def test_surface_forms_belong_to_one_row(places):
    owner: dict[str, str] = {}
    clashes = []
    for row in places:
        for form in {key(f) for f in forms(row)}:
            if owner.setdefault(form, row["name"]) != row["name"]:
                clashes.append((form, owner[form], row["name"]))
    assert not clashes, f"forms shared by two places: {clashes}"


def test_no_collision_with_other_gazetteers(places, other_forms):
    """Capitals, country names, metonyms, organisations and groups are not repeated as places."""
    clashes = [
        (form, row["name"], other_forms[key(form)])
        for row in places
        for form in forms(row)
        if key(form) in other_forms
    ]
    assert not clashes, f"place forms that are already actor forms: {clashes}"


def test_blocklisted_words_are_absent(places):
    blocked = {key(w) for w in BLOCKLIST}
    bad = [(form, row["name"]) for row in places for form in forms(row) if key(form) in blocked]
    assert not bad, f"common words or personal names listed as places: {bad}"


def test_size_and_balance(places):
    assert len(places) >= 600
    counts = Counter()
    for row in places:
        code = row["country"]
        if code in (SEA, REG):
            continue
        if code in AFRICA:
            counts["Africa"] += 1
        elif code in EUROPE:
            counts["Europe"] += 1
        elif code in AMERICAS:
            counts["Americas"] += 1
        elif code in OCEANIA:
            counts["Oceania"] += 1
        else:
            counts["Asia"] += 1
    for continent in ("Africa", "Asia", "Europe", "Americas"):
        assert counts[continent] >= 40, counts
    assert counts["Oceania"] >= 10, counts
    assert len({r["country"] for r in places} - {SEA, REG}) >= 120
    assert sum(r["kind"] == "sea" for r in places) >= 30


@pytest.mark.parametrize(
    "form, country, kind",
    [
        ("Kharkov", "UKR", "city"),
        ("Odessa", "UKR", "city"),
        ("the Donbas", "UKR", "region"),
        ("Crimea", "UKR", "region"),
        ("Golan Heights", "SYR", "region"),
        ("Jenin", "PSE", "city"),
        ("Nagorno-Karabakh", "AZE", "region"),
        ("Kashmir", "IND", "region"),
        ("Taiwan Strait", "TWN", "sea"),
        ("South China Sea", "SEA", "sea"),
        ("Laayoune", "ESH", "city"),
        ("Mitrovica", "XKX", "city"),
        ("Derry", "GBR", "city"),
        ("Mazar-e-Sharif", "AFG", "city"),
        ("Kismayu", "SOM", "city"),
        ("Hodeida", "YEM", "city"),
        ("Natanz", "IRN", "site"),
        ("Tahrir Square", "EGY", "site"),
        ("Bengaluru", "IND", "city"),
    ],
)
def test_spot_checks(places, form, country, kind):
    by_form = {f: r for r in places for f in forms(r)}
    assert form in by_form, form
    assert (by_form[form]["country"], by_form[form]["kind"]) == (country, kind)
