#!/usr/bin/env python3
"""Convert the PETRARCH2 actor and agent dictionaries (MIT licence) into Dotterel's own tables.

Usage::

    python scripts/petrarch2/convert_actors.py PETRARCH2_DIR OUT_DIR

``PETRARCH2_DIR`` holds ``Phoenix.Countries.actors.txt``, ``Phoenix.International.actors.txt``,
``Phoenix.MilNonState.actors.txt``, ``Phoenix.agents.txt`` and ``LICENSE``.  ``OUT_DIR`` is
``src/dotterel/resources/actors``: the hand-made tables there are read first, and every
PETRARCH2 name that one of them already knows (case-insensitively, without a leading "the") is
left out, so hand-made rows always win.  The script writes, in the layouts of the hand-made
tables:

* ``petrarch_office_holders.tsv`` (layout of ``office_holders.tsv``): people with their
  date-bounded roles.  One row per role interval; the undated default code of a record fills
  the gaps between its dated intervals.
* ``petrarch_organizations.tsv`` (layout of ``organizations.tsv``): international bodies, NGOs
  and companies, with PLOVER's generic type in ``category`` (IGO, NGO, MNC).
* ``petrarch_groups.tsv`` (layout of ``groups.tsv``): armed non-state groups and national
  institutions, parties and movements.
* ``petrarch_sectors.tsv`` (layout of ``sectors.tsv``): generic agent nouns → PLOVER sector.
* ``NOTICE.petrarch2``: the MIT notice of the source dictionaries.

Standard library only; the output is deterministic (sorted), so re-running it gives no diff.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# --- codes --------------------------------------------------------------------------------

# CAMEO country codes that are not the ISO 3166 alpha-3 code Dotterel uses.
CAMEO_TO_ISO = {
    "TMP": "TLS",  # East Timor
    "KSV": "XKX",  # Kosovo (Dotterel's user-assigned code)
    "USR": "SUN",  # Soviet Union
    "FRY": "YUG",  # Federal Republic of Yugoslavia
    "SCG": "YUG",  # Serbia and Montenegro (Dotterel folds it into YUG)
    "KRJ": "HRV",  # Republic of Serbian Krajina: on Croatian territory
    "SRP": "BIH",  # Republika Srpska: on Bosnian territory
    "ROM": "ROU",  # Romania (old CAMEO spelling)
    "ZAR": "COD",  # Zaire
    "BUR": "MMR",  # Burma
}
# Codes of fictitious or unusable entities (KNT is the PETRARCH validation suite's invented country).
DROP_COUNTRIES = {"KNT", "FRN"}
# ISO3 codes of territories that are valid ISO codes but have no row in countries.tsv.
EXTRA_ISO = {"AIA", "ABW", "BMU", "CYM", "COK", "GGY", "JEY", "IMN", "GIB", "GRL", "PRI", "VGB", "VIR",
             "NCL", "PYF", "GUM", "ASM", "MSR", "TCA", "FRO", "WLF", "SHN", "FLK", "REU", "MTQ", "GLP", "GUF",
             "MYT", "SPM", "NIU", "TKL", "NFK", "CXR", "CCK", "PCN", "MNP", "ALA", "SJM", "BES", "CUW", "SXM",
             "MAF", "BLM", "ATF", "IOT", "UMI", "HMD", "BVT", "SGS", "ATA", "ESH"}

# CAMEO role codes → PLOVER sector codes (Dotterel's sector list, resources/actors/README.md).
SECTOR_MAP = {
    "GOV": "GOV", "MIL": "MIL", "REB": "REB", "OPP": "OPP", "JUD": "JUD", "LEG": "LEG", "BUS": "BUS",
    "CVL": "CVL", "EDU": "EDU", "COP": "COP", "CRM": "CRM", "AGR": "AGR", "LAB": "LAB", "ELI": "ELI",
    "REF": "REF", "SPY": "SPY", "UAF": "UAF", "PTY": "PTY", "SEP": "REB", "INS": "REB",
    "MED": "JRN",  # CAMEO MED = media; PLOVER MED = health
    "HLH": "MED",  # CAMEO HLH = health
    "HRI": "SOC", "NGO": "SOC", "NGM": "SOC", "DEV": "SOC", "ENV": "SOC", "PPL": "CVL", "MNC": "BUS",
    "REL": "REL", "CHR": "REL", "CTH": "REL", "PRO": "REL", "ORT": "REL", "MUS": "REL", "SUN": "REL",
    "SHI": "REL", "JEW": "REL", "BUD": "REL", "HIN": "REL", "SIK": "REL", "JAN": "REL", "DOX": "REL",
    "ATH": "REL", "ITR": "REL", "CON": "REL", "TAO": "REL", "ZRO": "REL", "MOS": "REL", "ALE": "REL",
    "SFI": "REL", "DRZ": "REL", "ADR": "REL", "BAH": "REL", "SHN": "REL",
}
RELIGION = {k for k, v in SECTOR_MAP.items() if v == "REL" and k != "REL"}
# Chunks that qualify a sector without being one (radical, moderate, unrecognised, ...).
NOT_SECTOR = {"RAD", "MOD", "UNR", "IGO", "NGO", "MNC", "IMG"}
# Specific IGO bodies: PETRARCH2 chunk → Dotterel code (organizations.tsv README).
IGO_BODY = {"UNO": "UNO", "EUR": "EUR", "NAT": "NATO", "AFU": "AFU", "ASN": "ASN", "ARL": "ARL", "OAS": "OAS",
            "CWN": "CWN", "ITP": "ITP", "ICC": "ICC", "OPC": "OPC", "IMF": "IMF", "WBK": "WBK", "WTO": "WTO",
            "COE": "COE", "ECW": "ECW", "WAS": "ECW", "SAD": "SDC", "EAC": "EAC", "GCC": "GCC", "OIC": "OIC",
            "CIS": "CIS", "OSC": "OSCE", "APC": "APEC", "SCO": "SCO", "MER": "MER", "CRB": "CCM", "IGD": "IGD"}
# Words that mark a name as a body rather than a person.
INSTITUTION = frozenset("""
ministry ministries department office agency authority administration government cabinet council
committee commission assembly parliament congress senate court tribunal party front movement army
navy force forces guard guards police militia brigade brigades battalion regiment division corps
group groups organization organisation organizations association union league federation alliance
coalition bank fund company corporation corp inc ltd plc co institute university college school
service services bureau board network news radio television tv press times post herald daily
journal media foundation society trust church mosque party's army's club centre center
international initiative program programme project mission secretariat unit cell cells nuclei
nucleus commando commandos squad squads faction factions revolutionary liberation resistance jihad
mujahideen mujahedin taliban hezbollah hamas brotherhood embassy consulate palace house ministers
delegation chamber diet majlis knesset duma bundestag junta regime opposition rebels insurgents
separatists tigers panthers partisans guerrillas guerrilla students workers
""".split())  # noqa: SIM905
PERSON_SUFFIXES = ("er", "or", "ist", "ian", "man", "men", "woman", "person", "ant", "ee", "eer", "ier",
                   "ive", "ary", "arch", "chief", "crat", "iff", "ent", "guard", "monk", "nun",
                   "priest", "imam", "cleric", "mullah", "rabbi", "pope", "bishop", "cardinal", "king",
                   "queen", "prince", "princess", "emir", "sheikh", "judge", "official", "envoy", "aide",
                   "spy", "cop", "thug", "youth", "child", "children", "people", "mob", "crowd")
NOT_PERSON_ENDINGS = ("government", "department", "parliament", "movement", "establishment", "management",
                      "ministry", "military", "army", "party", "agency", "treasury", "judiciary", "settlement",
                      "constituency", "dictionary", "library", "monastary", "monastery", "center", "sector",
                      "chamber", "theater", "corridor", "quarter", "headquarter", "sanctuary", "infirmary",
                      "tanker", "destroyer", "cruiser", "carrier", "freighter", "liner", "jetfighter", "humvee",
                      "water", "border", "container", "computer", "helicopter", "parliament", "rebellion")
# Agent nouns that name a body (kept although they are not persons); other non-person agent terms
# (places, adjectives, events, vehicles: "village", "islamic", "uprising", "tanker") are not converted.
BODY_NOUNS = frozenset("""
ministry ministries department agency court council committee police force forces army militia group
union party organization organisation association government authority office commission tribunal
assembly parliament company firm bank media newspaper station service services bureau board
administration cabinet navy brigade battalion unit network agencies courts councils committees
""".split())  # noqa: SIM905
# Single agent words that news mostly uses as adjectives ("Christian Democrats", "native speakers").
ADJECTIVE_AGENTS = frozenset({"christian", "buddhist", "unitarian", "hindu", "muslim", "moslem", "jewish", "sunni",
                              "shiite", "catholic", "protestant", "native", "semi-official", "actor", "operative"})
# Words of a title; a "person" name made only of these and country words is a title, not a name.
TITLE_WORDS = frozenset("""
president vice prime minister secretary general chancellor premier king queen prince crown emir
sultan foreign defence defense interior finance state of the and for us u.s. un u.n. chief head
leader ambassador envoy spokesman spokeswoman spokesperson deputy acting former first lady
minister's president's house speaker senate senator congressman governor mayor pope
""".split())  # noqa: SIM905
SPELLING_SIMILARITY = 0.8  # a country entry's variant counts as a spelling of the country's name
DATE_MIN = dt.date(1900, 1, 1)  # "start unknown" (an interval given as <date)
# The CountryInfo roles were last updated around the end of 2010: an end date from then on is the
# snapshot, not a known end of office, so such terms are left open (the person may still hold it).
SNAPSHOT = dt.date(2010, 11, 1)


@dataclass
class Restriction:
    code: str
    start: dt.date | None = None
    end: dt.date | None = None
    dated: bool = False


@dataclass
class Record:
    names: list[str]
    source: str
    restrictions: list[Restriction] = field(default_factory=list)


@dataclass
class Coded:
    country: str  # ISO3, IMG, or an IGO body code / IGO / NGO / MNC
    sector: str
    org_type: str  # IGO | NGO | MNC | "" (states, groups)
    raw: str


# --- parsing ------------------------------------------------------------------------------

BRACKET = re.compile(r"\[([^\]]*)\]")


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
    if not text.isdigit():
        return None
    try:
        if len(text) == 8:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if len(text) == 6:
            yy = int(text[:2])
            return dt.date((2000 if yy <= 30 else 1900) + yy, int(text[2:4]), int(text[4:]))
    except ValueError:
        return None
    return None


def parse_restriction(body: str, stats: Counter[str]) -> Restriction | None:
    parts = body.split()
    if not parts:
        return None
    code = parts[0].strip().upper()
    if not re.fullmatch(r"[A-Z]{3,}|-{3}", code):
        stats["bad code"] += 1
        return None
    if len(parts) == 1:
        return Restriction(code)
    spec = "".join(parts[1:])
    if spec.startswith(">"):
        start = parse_date(spec[1:])
        if start is None:
            stats["bad date"] += 1
            return None
        return Restriction(code, start, None, True)
    if spec.startswith("<"):
        end = parse_date(spec[1:])
        if end is None:
            stats["bad date"] += 1
            return None
        return Restriction(code, DATE_MIN, end, True)
    if "-" in spec:
        a, b = spec.split("-", 1)
        start, end = parse_date(a), parse_date(b)
        if start is None or end is None or end < start:
            stats["bad date"] += 1
            return None
        return Restriction(code, start, end, True)
    stats["bad date"] += 1
    return None


def clean_phrase(raw: str) -> list[str]:
    """A PETRARCH phrase → display names (title case); a parenthesised acronym becomes a second name."""
    out: list[str] = []
    for piece in raw.split("+"):
        text = piece.replace("_", " ").replace("|", " ").replace("\t", " ")
        acronyms = re.findall(r"\(([A-Z0-9.\-&]{2,})\)", text.upper())
        text = re.sub(r"\([^)]*\)", " ", text)
        text = re.sub(r"\s+", " ", text).strip(" ,;")
        if text and re.search(r"[A-Za-z]", text) and "," not in text:  # "X, then Y" notes are not names
            out.append(titlecase(text))
        out.extend(a for a in acronyms if re.search(r"[A-Z]", a))
    return out


def titlecase(text: str) -> str:
    def word(w: str) -> str:
        if len(w) <= 1:
            return w.upper()
        return "-".join(p[:1].upper() + p[1:].lower() for p in w.split("-"))
    return " ".join(word(w) for w in text.split(" "))


def read_actor_file(path: Path, stats: Counter[str]) -> list[Record]:
    records: list[Record] = []
    current: Record | None = None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        body = line.split("#", 1)[0]
        body = re.sub(r"\s;.*$", "", body)  # old-style ';' comments
        if not body.strip():
            continue
        stripped = body.strip()
        if body[0] in " \t" and stripped.startswith("["):
            if current is not None:
                for m in BRACKET.finditer(stripped):
                    r = parse_restriction(m.group(1), stats)
                    if r is not None:
                        current.restrictions.append(r)
            continue
        if stripped.startswith("+"):
            if current is not None:
                phrase = BRACKET.split(stripped[1:])[0]
                current.names.extend(clean_phrase(phrase))
                for m in BRACKET.finditer(stripped):
                    r = parse_restriction(m.group(1), stats)
                    if r is not None:
                        current.restrictions.append(r)
            continue
        phrase = stripped.split("[", 1)[0]
        current = Record(clean_phrase(phrase), path.name)
        records.append(current)
        for m in BRACKET.finditer(stripped):
            r = parse_restriction(m.group(1), stats)
            if r is not None:
                current.restrictions.append(r)
    return [r for r in records if r.names]


# --- code interpretation ------------------------------------------------------------------

def interpret(code: str, iso: set[str], person: bool) -> Coded | None:
    if code == "---":
        return None
    chunks = [code[i:i + 3] for i in range(0, len(code), 3)]
    first, rest = chunks[0], chunks[1:]
    org_type = ""
    if first == "IGO":
        org_type = "IGO"
        body = "UNO" if "UNO" in rest else next((IGO_BODY[c] for c in rest if c in IGO_BODY), "IGO")
        country = body
        default_sector = "GOV"
    elif first in {"NGO", "MNC"}:
        org_type = first
        country = first
        default_sector = "SOC" if first == "NGO" else "BUS"
    elif first == "IMG":
        country = "IMG"
        default_sector = "REB"
    elif first == "ELI" and not rest:
        return None  # "former something", no country: nothing to add
    else:
        if first in DROP_COUNTRIES:
            return None
        country = CAMEO_TO_ISO.get(first, first)
        if country not in iso:
            return None  # regions (MEA, SAS, WEU, ...) and unknown codes
        default_sector = "GOV" if person else ""
    sector = ""
    for c in rest:
        if c in NOT_SECTOR or (c in iso and c not in SECTOR_MAP):
            continue
        if c in SECTOR_MAP:
            s = SECTOR_MAP[c]
            if s == "REL" and c in RELIGION and (first == "IMG" or any(SECTOR_MAP.get(o) not in {None, "REL"} for o in rest)):
                continue  # "REBMUS", "IMGMUS...": an Islamist armed group is REB, not REL
            sector = s
            break
    if sector == "GOV" and any(c in {"LEG", "JUD"} for c in rest):
        sector = SECTOR_MAP[next(c for c in rest if c in {"LEG", "JUD"})]  # GOVLEG: a legislator, GOVJUD: a judge
    sector = sector or default_sector
    if first == "MNC":
        sector = "BUS"  # organizations.tsv: companies are BUS whatever they trade in
    if "UNR" in rest and not person:
        return None  # an unrecognised state's own name: a country alias, not an actor table row
    if not sector:
        return None  # a bare country code: the row would only be a country alias
    return Coded(country, sector, org_type, code)


def is_institution(names: list[str]) -> bool:
    words = {w.lower().strip(".,'") for n in names[:1] for w in n.replace("-", " ").split()}
    return bool(words & INSTITUTION)


def person_name_ok(name: str) -> bool:
    words = name.split()
    return 2 <= len(words) <= 6 and all(re.search(r"[A-Za-z]", w) for w in words)


# --- hand tables --------------------------------------------------------------------------

def norm_key(text: str) -> str:
    """Compare names without case, a leading "the" or hyphens ("Kim Dae-jung" = "KIM_DAE_JUNG")."""
    t = re.sub(r"\s+", " ", text.strip().lower().replace("-", " "))
    return t.removeprefix("the ")


def read_tsv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        return []
    header = lines[0].split("\t")
    return [dict(zip(header, ln.split("\t"), strict=False)) for ln in lines[1:]]


def hand_names(out_dir: Path) -> tuple[set[str], set[str], set[str], set[str]]:
    """(all surface forms, person names, sector terms, ISO3 codes) of the hand-made tables."""
    names: set[str] = set()
    persons: set[str] = set()
    columns = {"countries.tsv": ("name", "aliases", "demonyms", "capitals"), "metonyms.tsv": ("text",),
               "organizations.tsv": ("name", "aliases"), "groups.tsv": ("name", "aliases"),
               "places.tsv": ("name", "aliases"), "office_holders.tsv": ("name", "aliases")}
    for fname, cols in columns.items():
        for row in read_tsv(out_dir / fname):
            for col in cols:
                for v in (row.get(col) or "").split("|"):
                    if v.strip():
                        names.add(norm_key(v))
                        if fname == "office_holders.tsv":
                            persons.add(norm_key(v))
    terms = {(row.get("term") or "").strip().lower() for row in read_tsv(out_dir / "sectors.tsv")}
    iso = {(row.get("code") or "").strip() for row in read_tsv(out_dir / "countries.tsv")} | EXTRA_ISO
    return names, persons, terms, iso


# --- conversion ---------------------------------------------------------------------------

def intervals(rec: Record) -> list[Restriction]:
    """The record's dated intervals, plus its default code spread over the gaps between them."""
    dated = [Restriction(r.code, r.start, None if r.end and r.end >= SNAPSHOT else r.end, True)
             for r in rec.restrictions if r.dated]
    defaults = [r for r in rec.restrictions if not r.dated]
    out = list(dated)
    if defaults:
        default = defaults[-1]
        spans = sorted((r.start or DATE_MIN, r.end or dt.date.max) for r in dated)
        cursor = DATE_MIN
        for s, e in spans:
            if s > cursor:
                out.append(Restriction(default.code, cursor, s - dt.timedelta(days=1), True))
            if e == dt.date.max:
                cursor = e
                break
            cursor = max(cursor, e + dt.timedelta(days=1))
        if cursor != dt.date.max:
            out.append(Restriction(default.code, cursor, None, True))
    return out


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def esc(v: str) -> str:
    return v.replace("\t", " ").strip()


def convert(src: Path, out_dir: Path) -> Counter[str]:
    stats: Counter[str] = Counter()
    known, hand_persons, hand_terms, iso = hand_names(out_dir)
    country_words = frozenset(w for row in read_tsv(out_dir / "countries.tsv")
                              for col in ("name", "aliases", "demonyms")
                              for v in (row.get(col) or "").split("|") for w in v.lower().split())

    hand_countries = {row["code"]: [v for col in ("name", "aliases") for v in (row.get(col) or "").split("|") if v]
                      for row in read_tsv(out_dir / "countries.tsv")}
    spellings: dict[str, list[str]] = {}

    def similar(a: str, b: str) -> float:
        return difflib.SequenceMatcher(None, norm_key(a), norm_key(b)).ratio()

    def country_record(rec: Record) -> bool:
        """A country's own entry ("AFGHANISTAN_ [AFG]" with spelling variants): keep only the variants that
        are misspellings of a name countries.tsv gives that country (no cities, no historical phrases)."""
        codes = {CAMEO_TO_ISO.get(r.code[:3], r.code[:3]) for r in rec.restrictions if r.code != "---"}
        best = max(((similar(rec.names[0], n), c) for c in codes if c in hand_countries for n in hand_countries[c]),
                   default=(0.0, ""))
        if best[0] < SPELLING_SIMILARITY:
            return False
        code = best[1]
        for n in rec.names:
            k = norm_key(n)
            if k in known or k in taken or len(k) < 5:
                continue
            if max(similar(n, h) for h in hand_countries[code]) >= SPELLING_SIMILARITY:
                spellings.setdefault(code, []).append(n)
                taken.add(k)
                stats["country spelling variants"] += 1
        stats["records: countries' own entries"] += 1
        return True

    def title_only(name: str) -> bool:
        return all(w in TITLE_WORDS or w in country_words for w in name.lower().replace("-", " ").split())
    person_rows: list[tuple[str, str, str, str, str, str, str]] = []
    orgs: dict[str, list[str]] = {}
    groups: dict[str, list[str]] = {}
    taken: set[str] = set()  # surface forms already used by a converted row (first record wins)

    def fresh(names: list[str], min_words: int) -> list[str]:
        out = []
        for n in names:
            k = norm_key(n)
            words = n.split()
            if k in known:
                stats["names dropped: in a hand table"] += 1
                continue
            if k in taken:
                stats["names dropped: duplicate in PETRARCH2"] += 1
                continue
            if len(words) < min_words and not (len(words) == 1 and n.isupper() and len(n) >= 3):
                stats["names dropped: single word"] += 1
                continue
            if title_only(n):
                stats["names dropped: a bare title (US President, Prime Minister Of ...)"] += 1
                continue
            out.append(n)
        return list(dict.fromkeys(out))

    files = [("Phoenix.Countries.actors.txt", "countries"), ("Phoenix.International.actors.txt", "international"),
             ("Phoenix.MilNonState.actors.txt", "milnonstate")]
    for fname, kind in files:
        for rec in read_actor_file(src / fname, stats):
            stats[f"records read: {fname}"] += 1
            if kind == "countries" and country_record(rec):
                continue
            if any(norm_key(n) in hand_persons for n in rec.names):
                stats["records skipped: person in office_holders.tsv"] += 1
                continue
            if title_only(rec.names[0]):
                stats["records skipped: a bare title, not a name"] += 1
                continue
            has_dates = any(r.dated for r in rec.restrictions)
            institution = is_institution(rec.names)
            if kind == "milnonstate" or kind == "international":
                as_person = has_dates and not institution and person_name_ok(rec.names[0])
            else:
                as_person = not institution and person_name_ok(rec.names[0])
            if as_person:
                rows = []
                for r in intervals(rec):
                    coded = interpret(r.code, iso, True)
                    if coded is None:
                        continue
                    rows.append((coded, r))
                names = fresh(rec.names, 2)
                if not rows or not names:
                    stats["records skipped: person without usable role or name"] += 1
                    continue
                taken.update(norm_key(n) for n in names)
                # "elite" (ELI) periods of someone who also held a role in that country are left out: the
                # loader already treats a holder outside his terms as former (ELI), with the same country
                roled = {c.country for c, _ in rows if c.sector != "ELI"}
                kept = [(c, r) for c, r in rows if c.sector != "ELI" or c.country not in roled]
                stats["person rows dropped: ELI beside a role in the same country"] += len(rows) - len(kept)
                rows = sorted(kept, key=lambda cr: (cr[0].sector == "ELI", cr[1].start or DATE_MIN))
                for coded, r in rows:
                    person_rows.append((names[0], "|".join(names[1:]), coded.country, f"cameo:{coded.raw}",
                                        coded.sector, (r.start or DATE_MIN).isoformat(),
                                        r.end.isoformat() if r.end else ""))
                stats["persons"] += 1
                continue
            undated = [r for r in rec.restrictions if not r.dated] or [r for r in rec.restrictions]
            coded = next((c for c in (interpret(r.code, iso, False) for r in reversed(undated)) if c), None)
            if coded is None:
                stats["records skipped: country alias, region or no code"] += 1
                continue
            names = fresh(rec.names, 2)
            if not names:
                stats["records skipped: all names known or unusable"] += 1
                continue
            taken.update(norm_key(n) for n in names)
            if coded.org_type:
                oid = f"p2_{slug(names[0])}"
                orgs[oid] = [oid, names[0], "|".join(names[1:]), coded.country, coded.org_type, coded.sector, "", ""]
                stats[f"organisations ({coded.org_type})"] += 1
            else:
                gid = f"p2_{slug(names[0])}"
                groups[gid] = [gid, names[0], "|".join(names[1:]), coded.country, coded.sector, ""]
                stats["groups and institutions"] += 1

    header = ("# Derived from the PETRARCH2 dictionaries (Copyright (c) 2014 Open Event Data, MIT licence; see\n"
              "# NOTICE.petrarch2) by scripts/petrarch2/convert_actors.py. Do not edit by hand: re-run the script.\n"
              "# Lower priority than the hand-made tables: a name a hand-made table knows is not repeated here.\n"
              "# Names are matched case-insensitively (first word capitalised in the text).\n")
    write(out_dir / "petrarch_office_holders.tsv",
          header + "# Layout of office_holders.tsv. office = cameo:<CAMEO code>; start 1900-01-01 = unknown.\n"
          "# Ends from 2010-11-01 on are the dictionaries' last update, not known ends: left empty (open).\n"
          "# Rows of one person: role terms, then 'elite' (ELI) periods only where the person held no role in\n"
          "# that country (outside a term the loader treats a holder as former, i.e. ELI).\n",
          ["name", "aliases", "country", "office", "sector", "start", "end", "wikidata"],
          [[*r, ""] for r in person_rows])
    write(out_dir / "petrarch_organizations.tsv",
          header + "# Layout of organizations.tsv; category is PLOVER's generic type (IGO, NGO, MNC).\n",
          ["id", "name", "aliases", "code", "category", "sector", "country", "wikidata"],
          [orgs[k] for k in sorted(orgs)])
    write(out_dir / "petrarch_countries.tsv",
          header + "# Layout of countries.tsv: spelling variants (aliases) of the states of countries.tsv; name and\n"
          "# kind repeat countries.tsv. Only variants similar to a hand-made name (difflib ratio >= 0.8).\n",
          ["code", "name", "kind", "aliases", "demonyms", "capitals", "wikidata"],
          [[c, hand_countries[c][0], "state", "|".join(spellings[c]), "", "", ""] for c in sorted(spellings)])
    write(out_dir / "petrarch_groups.tsv",
          header + "# Layout of groups.tsv: armed non-state groups, national institutions, parties.\n",
          ["id", "name", "aliases", "country", "sector", "wikidata"], [groups[k] for k in sorted(groups)])
    agents = convert_agents(src / "Phoenix.agents.txt", hand_terms, stats)
    write(out_dir / "petrarch_sectors.tsv",
          header.replace("Names are matched case-insensitively (first word capitalised in the text).\n", "")
          + "# Layout of sectors.tsv (terms are lower case, singular; the loader also compares lemmas).\n"
          "# person is guessed from the word ending (-er, -ist, -man, ...).\n",
          ["term", "sector", "role", "person", "notes"], agents)
    lic = (src / "LICENSE").read_text(encoding="utf-8")
    (out_dir / "NOTICE.petrarch2").write_text(
        "The files petrarch_*.tsv in this folder are derived from the PETRARCH2 dictionaries\n"
        "(https://github.com/openeventdata/petrarch2, folder petrarch2/data/dictionaries) by\n"
        "scripts/petrarch2/convert_actors.py. The dictionaries are distributed under this licence:\n\n"
        + lic, encoding="utf-8")
    return stats


def convert_agents(path: Path, hand_terms: set[str], stats: Counter[str]) -> list[list[str]]:
    subst: dict[str, list[str]] = {}
    rows: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        body = line.split("#", 1)[0].strip()
        if not body or body.startswith("<!"):
            continue
        m = re.match(r"^!(\w+)!\s*=\s*(.+)$", body)
        if m:
            subst[m.group(1)] = [w.strip() for w in m.group(2).split(",") if w.strip()]
            continue
        code_m = re.search(r"\[([^\]]*)[\]}]", body)
        if not code_m:
            continue
        code = code_m.group(1).strip()
        phrase = re.sub(r"\{[^}]*\}", " ", body[: code_m.start()]).strip()
        if code.startswith("~"):
            chunks = [code[1:][i:i + 3] for i in range(0, len(code) - 1, 3)]
        elif code.endswith("~"):
            chunks = [code[:-1][i:i + 3] for i in range(0, len(code) - 1, 3)]
        else:
            continue
        sector = ""
        for c in chunks:
            if c in SECTOR_MAP:
                s = SECTOR_MAP[c]
                if s == "REL" and c in RELIGION and any(SECTOR_MAP.get(o) not in {None, "REL"} for o in chunks):
                    continue
                sector = s
                break
        if not sector:
            stats["agents skipped: no PLOVER sector"] += 1
            continue
        phrases = [phrase]
        for key, values in subst.items():
            marker = f"!{key}!"
            if marker in phrase:
                singular = [v for v in values if v.upper() in {"MAN", "WOMAN", "PERSON", "MINISTER", "MINISTRY"}] or values
                phrases = [p.replace(marker, v) for p in phrases for v in singular]
        for p in phrases:
            if "!" in p:
                continue
            term = re.sub(r"\s+", " ", p.replace("_", " ")).strip().lower()
            if not term or not re.fullmatch(r"[a-z0-9' .\-]+", term):
                stats["agents skipped: unusable phrase"] += 1
                continue
            if term.split()[0] in {"former", "ex", "ex-", "retired"}:
                stats["agents skipped: 'former ...' (handled in code)"] += 1
                continue
            if term in hand_terms:
                stats["agents skipped: in sectors.tsv"] += 1
                continue
            if term in rows:
                continue
            head_words = re.split(r" (?:of|for|in|on|to|at|from)( |$)", term)[0].split()
            last = head_words[-1] if head_words else term.split()[-1]
            person = int(last.endswith(PERSON_SUFFIXES) and not last.endswith(NOT_PERSON_ENDINGS))
            if term in ADJECTIVE_AGENTS:
                stats["agents skipped: adjective used as a noun"] += 1
                continue
            if not person and last not in BODY_NOUNS:
                stats["agents skipped: neither a person nor a body noun"] += 1
                continue
            rows[term] = [term, sector, "", str(person), f"cameo:{code}"]
            stats["agent terms"] += 1
    return [rows[k] for k in sorted(rows)]


def write(path: Path, header: str, columns: list[str], rows: list[list[str]]) -> None:
    lines = [header.rstrip("\n"), "\t".join(columns)]
    lines += ["\t".join(esc(c) for c in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("petrarch_dir", type=Path)
    ap.add_argument("out_dir", type=Path)
    args = ap.parse_args(argv)
    stats = convert(args.petrarch_dir, args.out_dir)
    for k in sorted(stats):
        print(f"{k}\t{stats[k]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
