"""Checks on the sentence-level accuracy gold set, gold/sentences.json.

The file is described in gold/README.md and coded by the rules in gold/GUIDELINES.md. These tests
keep it well-formed and keep its coverage promises: spans are exact, codes are valid, statuses,
traps and dates agree with each other, every event type and every trap has enough records, and
the "about" text reports the real counts.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import re
from pathlib import Path

import pytest

GOLD = Path(__file__).resolve().parents[1] / "gold" / "sentences.json"

EVENT_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
               "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
MAJOR_TYPES = ("CONSULT", "ASSAULT", "ACCUSE", "REQUEST", "AGREE")
STATUSES = ("asserted", "planned", "reported", "hypothetical", "negated", "denied", "unconfirmed")
REQUEST_REJECT_MODES = {"assist", "change", "yield", "meet"}
MODES = {
    "CONSULT": {"visit", "third-party", "multilateral", "phone"},
    "RETREAT": {"withdraw", "release", "disarm", "ceasefire", "access", "resign"},
    "REQUEST": REQUEST_REJECT_MODES,
    "REJECT": REQUEST_REJECT_MODES,
    "ACCUSE": {"disapprove", "investigate", "allege"},
    "THREATEN": {"restrict", "arrest", "relations", "expel", "territory", "violence"},
    "PROTEST": {"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"},
    "SANCTION": {"convict", "expel", "withdraw", "discontinue"},
    "MOBILIZE": {"troops", "weapons", "police", "militia"},
    "COERCE": {"seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport", "withhold",
               "misinformation", "cyber"},
    "ASSAULT": {"abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive", "firearms",
                "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control",
                "unconventional"},
}
CONTEXTS = {
    "military", "intelligence", "executive", "legislative", "election", "political_institutions",
    "pro_democracy", "pro_autocracy", "economic", "legal", "reparations", "human_rights", "rights_freedoms",
    "repression", "human_security", "gender", "lgbt", "religion_ethnicity", "inequality", "diplomatic",
    "territory", "peacekeeping", "health", "asylum", "migration", "disasters", "natural_resource",
    "environment", "technology", "terrorism", "cbrn", "cyber", "misinformation", "crime", "corruption",
    "illegal_drugs", "trafficking",
}
NON_STATE_CODES = {"IGO", "NGO", "MNC", "INT"}
EXTRA_STATE_CODES = {"XKX"}  # Kosovo: user-assigned code, not in ISO 3166 proper
SECTORS = {
    # the Dotterel list (GUIDELINES.md section 4)
    "GOV", "MIL", "COP", "JUD", "LEG", "REB", "OPP", "CVL", "JRN", "MED", "BUS", "HRI", "NGO", "REL", "EDU",
    "LAB", "REF", "SPY", "CRM", "UAF", "ELI", "HLH", "PTY",
    # further PLOVER sector codes used where they fit better
    "AGR", "PRM", "PRE", "SOC", "UNK",
}
NON_STATE_SECTORS = {"REB", "OPP", "CVL", "COP", "CRM", "UAF", "LAB", "AGR", "REF", "EDU", "MED", "JRN", "REL",
                     "HRI", "BUS", "PTY", "PRM", "NGO"}
TRAPS = ("negation", "hypothetical", "planned", "reported", "denial", "unconfirmed", "compound", "reciprocal",
         "passive", "nominal", "relative_clause", "metonym", "title_nationality", "unnamed_title",
         "former_official", "non_state", "organisation", "relative_date")
STATUS_TRAP = {"negated": "negation", "hypothetical": "hypothetical", "planned": "planned",
               "reported": "reported", "denied": "denial", "unconfirmed": "unconfirmed"}
HARD_TRAPS = {"negation", "hypothetical", "planned", "reported", "denial", "unconfirmed", "passive", "nominal",
              "relative_clause"}
REQUIRED = ("id", "date", "text", "event", "mode", "context", "source", "target", "eventText", "eventStart",
            "eventEnd", "status", "reciprocal", "eventDate", "traps", "comment", "language", "coder", "version")
LAST_V1_ID = 340  # DOT-S-0340: last record of the first batch (version dotterel-1)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@pytest.fixture(scope="module")
def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def records(gold: dict) -> list[dict]:
    return gold["records"]


def actors(r: dict) -> list[dict]:
    return r["source"] + r["target"]


def day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def batch_version(rid: str) -> str:
    """The first 340 records are batch dotterel-1; DOT-S-0341 onwards were written blind as dotterel-2."""
    return "dotterel-1" if int(rid[len("DOT-S-"):]) <= LAST_V1_ID else "dotterel-2"


def check(problems: list[str]) -> None:
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems[:40])


# ------------------------------------------------------------------ shape


def test_file_shape(gold: dict) -> None:
    assert set(gold) == {"about", "records"}
    about = gold["about"]
    assert isinstance(about, str) and "Dotterel team" in about and "CC BY-SA 4.0" in about
    assert "GUIDELINES.md" in about
    assert isinstance(gold["records"], list) and len(gold["records"]) >= 240


def test_ids_unique_and_well_formed(records: list[dict]) -> None:
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"DOT-S-\d{4}", i) for i in ids)
    assert len({r["text"] for r in records}) == len(records), "duplicate sentence text"


def test_record_fields(records: list[dict]) -> None:
    problems = []
    for r in records:
        rid = r.get("id")
        missing = [k for k in REQUIRED if k not in r]
        if missing:
            problems.append(f"{rid}: missing {missing}")
            continue
        if not (isinstance(r["text"], str) and r["text"].strip() == r["text"] and "\n" not in r["text"]):
            problems.append(f"{rid}: text must be one line without surrounding space")
        if r["text"][-1] not in ".!?":
            problems.append(f"{rid}: text is not a full sentence")
        if not 1990 <= day(r["date"]).year <= 2025:
            problems.append(f"{rid}: date {r['date']} outside 1990-2025")
        if (r["language"], r["coder"], r["version"]) != ("en", "Dotterel team", batch_version(rid)):
            problems.append(f"{rid}: language/coder/version (want {batch_version(rid)})")
        if not isinstance(r["reciprocal"], bool):
            problems.append(f"{rid}: reciprocal must be a bool")
        if not isinstance(r["comment"], str) or not r["comment"].strip():
            problems.append(f"{rid}: comment missing")
        if not isinstance(r["source"], list) or not isinstance(r["target"], list):
            problems.append(f"{rid}: source/target must be lists")
    check(problems)


# ------------------------------------------------------------------ spans and codes


def test_spans_are_exact(records: list[dict]) -> None:
    problems = []
    for r in records:
        text = r["text"]
        for a in actors(r):
            if a["actorText"] not in text:
                problems.append(f"{r['id']}: actorText {a['actorText']!r} not in text")
            elif text[a["start"]:a["end"]] != a["actorText"]:
                problems.append(f"{r['id']}: offsets of {a['actorText']!r} wrong")
        if r["eventText"] not in text:
            problems.append(f"{r['id']}: eventText {r['eventText']!r} not in text")
        elif r["eventText"] and text[r["eventStart"]:r["eventEnd"]] != r["eventText"]:
            problems.append(f"{r['id']}: offsets of eventText wrong")
    check(problems)


def test_actor_spans_do_not_overlap(records: list[dict]) -> None:
    problems = []
    for r in records:
        spans = sorted((a["start"], a["end"]) for a in actors(r))
        for (s1, e1), (s2, e2) in zip(spans, spans[1:], strict=False):
            if s2 < e1:
                problems.append(f"{r['id']}: overlapping actor spans {(s1, e1)} {(s2, e2)}")
    check(problems)


def test_codes_and_sectors(records: list[dict]) -> None:
    try:
        import pycountry

        iso3 = {c.alpha_3 for c in pycountry.countries}
    except ImportError:  # pragma: no cover - pycountry is a runtime dependency
        iso3 = None
    problems = []
    for r in records:
        for a in actors(r):
            code, sector = a["code"], a["sector"]
            if not re.fullmatch(r"[A-Z]{3}", code):
                problems.append(f"{r['id']}: bad code {code!r}")
            elif code not in NON_STATE_CODES and iso3 is not None and code not in iso3 | EXTRA_STATE_CODES:
                problems.append(f"{r['id']}: {code!r} is not an ISO 3166-1 alpha-3 code")
            if sector not in SECTORS and sector != "":
                problems.append(f"{r['id']}: bad sector {sector!r}")
            if "org" in a:
                if code not in {"IGO", "NGO"} or not re.fullmatch(r"[A-Z0-9]{2,12}", a["org"]):
                    problems.append(f"{r['id']}: org {a['org']!r} on code {code}")
            elif code in {"IGO", "NGO"}:
                problems.append(f"{r['id']}: {code} actor {a['actorText']!r} without org")
            extra = set(a) - {"actorText", "code", "sector", "org", "start", "end"}
            if extra:
                problems.append(f"{r['id']}: unexpected actor keys {extra}")
    check(problems)


# ------------------------------------------------------------------ event, mode, context, status


def test_event_mode_context(records: list[dict]) -> None:
    problems = []
    for r in records:
        ev, mode, ctx = r["event"], r["mode"], r["context"]
        if ev not in EVENT_TYPES + ("NONE",):
            problems.append(f"{r['id']}: bad event {ev!r}")
        if mode and mode not in MODES.get(ev, set()):
            problems.append(f"{r['id']}: mode {mode!r} not valid for {ev}")
        if ctx and ctx not in CONTEXTS:
            problems.append(f"{r['id']}: bad context {ctx!r}")
    check(problems)


def test_status_and_roles(records: list[dict]) -> None:
    problems = []
    for r in records:
        rid = r["id"]
        if r["event"] == "NONE":
            if (r["status"], r["eventText"], r["source"], r["target"], r["eventDate"], r["reciprocal"], r["mode"]) != (
                    "", "", [], [], None, False, ""):
                problems.append(f"{rid}: NONE records carry no status, trigger, actors, date or mode")
            if r["eventStart"] is not None or r["eventEnd"] is not None:
                problems.append(f"{rid}: NONE record with event offsets")
            continue
        if r["status"] not in STATUSES:
            problems.append(f"{rid}: bad status {r['status']!r}")
        if not r["eventText"]:
            problems.append(f"{rid}: event without eventText")
        if not r["source"]:
            problems.append(f"{rid}: event without source")
        if r["reciprocal"]:
            if r["target"]:
                problems.append(f"{rid}: reciprocal event with a target")
            if len(r["source"]) < 2 and not any(a["code"] == "IGO" for a in r["source"]):
                problems.append(f"{rid}: reciprocal event needs several parties (or one collective IGO)")
    check(problems)


def test_event_dates(records: list[dict]) -> None:
    problems = []
    for r in records:
        ed = r["eventDate"]
        if ed is None:
            continue
        if set(ed) != {"start", "end"}:
            problems.append(f"{r['id']}: eventDate keys {set(ed)}")
            continue
        s, e, pub = day(ed["start"]), day(ed["end"]), day(r["date"])
        if s > e:
            problems.append(f"{r['id']}: eventDate start after end")
        if r["status"] == "planned" and s < pub:
            problems.append(f"{r['id']}: planned event dated before publication")
        if r["status"] in ("asserted", "reported", "negated", "denied", "unconfirmed") and e > pub:
            problems.append(f"{r['id']}: past event dated after publication")
        named = [w for w in WEEKDAYS if re.search(rf"\b{w}\b", r["text"])]
        if s == e and len(named) == 1:
            if s.strftime("%A") != named[0]:
                problems.append(f"{r['id']}: eventDate {s} is not a {named[0]}")
            if abs((s - pub).days) > 7:
                problems.append(f"{r['id']}: weekday resolved more than a week from publication")
    check(problems)


# ------------------------------------------------------------------ traps and coverage


def test_traps_agree_with_annotation(records: list[dict]) -> None:
    problems = []
    for r in records:
        traps = set(r["traps"])
        if r["event"] == "NONE":
            if traps != {"no_event"}:
                problems.append(f"{r['id']}: NONE record traps {traps}")
            continue
        unknown = traps - set(TRAPS)
        if unknown:
            problems.append(f"{r['id']}: unknown traps {unknown}")
        expected = {
            "compound": len(r["source"]) > 1 or len(r["target"]) > 1,
            "reciprocal": r["reciprocal"],
            "former_official": any(a["sector"] == "ELI" for a in actors(r)),
            "organisation": any(a["code"] in ("IGO", "NGO") for a in actors(r)),
            "non_state": any(a["sector"] in NON_STATE_SECTORS for a in actors(r)),
        }
        for status, trap in STATUS_TRAP.items():
            expected[trap] = r["status"] == status
        for trap, want in expected.items():
            if (trap in traps) != want:
                problems.append(f"{r['id']}: trap {trap!r} should be {'present' if want else 'absent'}")
        if "relative_date" in traps and r["eventDate"] is None:
            problems.append(f"{r['id']}: relative_date without an eventDate")
    check(problems)


def test_coverage_minimums(records: list[dict]) -> None:
    types = collections.Counter(r["event"] for r in records)
    for t in EVENT_TYPES:
        assert types[t] >= (18 if t in MAJOR_TYPES else 12), f"{t}: only {types[t]} records"
    assert 15 <= types["NONE"] <= 30, f"NONE: {types['NONE']} records"
    traps = collections.Counter(t for r in records for t in r["traps"])
    for t in TRAPS:
        assert traps[t] >= 12, f"trap {t}: only {traps[t]} records"


def test_construction_mix(records: list[dict]) -> None:
    events = [r for r in records if r["event"] != "NONE"]
    hard = sum(1 for r in events if HARD_TRAPS & set(r["traps"]))
    assert 0.35 <= hard / len(events) <= 0.50, f"{hard}/{len(events)} records use harder constructions"


# ------------------------------------------------------------------ vocabulary

AUX = {"will", "would", "could", "may", "might", "can", "shall", "should", "must", "has", "have", "had", "is",
       "are", "was", "were", "be", "been", "being", "did", "do", "does", "not", "no", "to", "a", "an", "the",
       "their", "its", "his", "her"}
IRREGULAR = {"met": "meet", "meetings": "meet", "meeting": "meet", "held": "hold", "sought": "seek", "sent": "send",
             "flew": "fly", "flown": "fly", "struck": "strike", "strikes": "strike", "threw": "throw", "sat": "sit",
             "went": "go", "made": "make", "gave": "give", "took": "take", "shot": "shoot", "spoke": "speak",
             "withdrawn": "withdraw", "overran": "overrun", "began": "begin", "freed": "free",
             "arrival": "arrive", "recognition": "recognise", "investigation": "investigate",
             "apologies": "apologise", "talks": "talk", "threat": "threaten", "arrests": "arrest",
             "plea": "plead", "mobilisation": "mobilise"}


def trigger_lemma(event_text: str) -> str:
    """Crude lemma of the trigger's first content word (auxiliaries, modals and negation skipped)."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'-]*", event_text) if w.lower() not in AUX]
    if not words:
        return ""
    w = words[0].lower()
    if w in IRREGULAR:
        return IRREGULAR[w]
    for suffix in ("ising", "ised", "ing", "ied", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            base = w[: -len(suffix)]
            if suffix == "ied":
                base += "y"
            if suffix in ("ising", "ised"):
                base += "ise"
            if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "ls":
                base = base[:-1]
            return base.rstrip("e") if suffix in ("ing", "ed") else base
    return w.rstrip("e") if len(w) > 4 else w


def test_trigger_lemma_helper() -> None:
    assert trigger_lemma("agreed") == trigger_lemma("agree") == trigger_lemma("agreeing")
    assert trigger_lemma("will pledge") == trigger_lemma("pledged")
    assert trigger_lemma("held direct talks") == trigger_lemma("hold") == "hold"
    assert trigger_lemma("threat") == trigger_lemma("threatened") == "threaten"


def test_trigger_vocabulary_is_varied(records: list[dict]) -> None:
    lemmas = collections.Counter(trigger_lemma(r["eventText"]) for r in records if r["event"] != "NONE")
    overused = {w: n for w, n in lemmas.items() if n > 6}
    assert not overused, f"trigger verbs used more than 6 times: {overused}"


# ------------------------------------------------------------------ about text and harness


def test_about_reports_real_counts(gold: dict, records: list[dict]) -> None:
    about = gold["about"]
    types = collections.Counter(r["event"] for r in records)
    traps = collections.Counter(t for r in records for t in r["traps"])
    assert f"{len(records)} single-sentence records" in about
    for t in EVENT_TYPES + ("NONE",):
        assert f"{t} {types[t]}," in about or f"{t} {types[t]}." in about, t
    for t in TRAPS:
        assert f"{t} {traps[t]}," in about or f"{t} {traps[t]}." in about, t


def test_loads_in_eval_harness(records: list[dict]) -> None:
    gsr = pytest.importorskip("dotterel.eval.gsr")
    sentences = gsr.load_gsr(GOLD)
    assert len(sentences) == len(records)
    for s, r in zip(sentences, records, strict=True):
        assert s.event == r["event"]
        for ga, a in zip(s.sources + s.targets, actors(r), strict=False):
            assert (ga.start, ga.end) == (a["start"], a["end"]), (r["id"], a["actorText"])
