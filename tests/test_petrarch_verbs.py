"""The PETRARCH2 verb-dictionary converter, the derived trigger layer and its loading below triggers.tsv."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from dotterel.events.lexicon import DerivedTriggerRow, TriggerRow, load_lexicon
from dotterel.tables import read_table

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "src" / "dotterel" / "resources" / "events"
SHARED = ROOT.parent / "shared" / "reference"


def _converter():
    spec = importlib.util.spec_from_file_location("convert_verbs", ROOT / "scripts" / "petrarch2" / "convert_verbs.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["convert_verbs"] = mod
    spec.loader.exec_module(mod)
    return mod


cv = _converter()

# An invented dictionary in PETRARCH's verb-file syntax (not taken from any real dictionary).
SNIPPET = """\
# test dictionary
####### SYNONYM SETS #######

&SNACKS
+BISCUIT
+PRETZEL_
+OAT_CAKE

####### VERB PATTERNS #######

---  BESTOW   [070]  ---
BESTOW
GIFT
GIFTING
DONATE [0711]
WIRE_+TAP
+HAND_OVER {+HANDS_OVER +HANDED_OVER +HANDING_OVER}
- * &SNACKS                                          [073]   # GIFT
- * {LARGE PARCELS}                                  [0712]  # BESTOW
- * (TO ALLIES)                                      [099]   # BESTOW
- &SNACKS * CRUMBS                                   [180]   # BESTOW
- * CRUMBS $                                         [180]   # BESTOW
- * (AT ^) NOW                                       [180]   # BESTOW

---  CHAT   [---]  ---
CHAT
- * (WITH)                                           [040:040]  # CHAT
- * RUMOUR                                           [:111]     # CHAT
- * GOSSIP                                           [010]      # CHAT

---  WELCOME   [043]  ---
WELCOME

---  AGREE   [030]  ---
AGREE
"""

C2P = """\
03: AGREE
030: AGREE,  , diplomatic # intent
04: CONSULT
040: CONSULT, ,  # consult
043: CONSULT, visit,   # host
07: AID
070: AID,  ,  # aid
0711: AID, economic, # money
0712: AID, military, # arms
073: AID, humanitarian, # relief
18: ASSAULT
180: ASSAULT, , # violence
"""

CAMEO = [
    {"code": c, "plover_type": t, "mode": m}
    for c, t, m in [("010", "", ""), ("030", "AGREE", ""), ("040", "CONSULT", ""), ("043", "CONSULT", "visit"),
                    ("070", "AID", ""), ("0711", "AID", "economic"), ("073", "AID", "humanitarian"),
                    ("111", "ACCUSE", "disapprove"), ("180", "ASSAULT", "")]
]  # 0712 deliberately missing: rows with that code are skipped


def _rows(**kw):
    return {r.pattern: r for r in cv.convert(SNIPPET, C2P, CAMEO, {"agree"}, **kw)}


def test_converter_verbs_patterns_and_synsets():
    rows = _rows()
    # verbs alone: the block code, or the verb's own code; multi-word verbs keep their particle
    assert rows["bestow"].event_type == "AID" and rows["bestow"].cameo == "070"
    assert rows["gift"].cameo == "070"
    assert rows["donate"].cameo == "0711" and rows["donate"].mode == "economic"
    assert rows["hand over"].cameo == "070"
    # a synonym set expands into its nouns (plural-free, multi-word phrases head first) on the
    # verb the pattern's comment names only
    for p in ("gift biscuit", "gift pretzel", "gift cake oat"):
        assert rows[p].event_type == "AID" and rows[p].cameo == "073" and rows[p].mode == "humanitarian"
    assert "bestow biscuit" not in rows and "donate biscuit" not in rows
    # source:target codes keep the source code and a meet code is reciprocal
    assert rows["chat with"].cameo == "040" and rows["chat with"].reciprocal == 1
    assert rows["chat with"].recipient.startswith("obj")
    # hosting: the visitor (object) is the actor
    assert (rows["welcome"].actor, rows["welcome"].recipient) == ("obj", "subj")
    # AID rows look for the recipient in the dative or a to/for phrase
    assert rows["bestow"].actor == "subj" and rows["bestow"].recipient.split("|")[0] == "dative"


def test_converter_drops_what_it_cannot_express():
    rows = _rows()
    assert "gifting" not in rows  # an inflected form listed as a verb
    assert not any(p.startswith(("wire", "tap")) for p in rows)  # pre-compounded verb
    assert not any("crumb" in p for p in rows)  # subject constraint, $ marker
    assert not any(p.startswith("bestow at") or "now" in p.split() for p in rows)  # ^ marker
    assert "chat" not in rows  # null block code: the verb alone is no event
    assert "chat rumour" not in rows  # target-only code
    assert "chat gossip" not in rows  # 01 family: no PLOVER type
    assert "bestow parcel large" not in rows  # code unknown to cameo.tsv
    assert "bestow to ally" not in rows  # code unknown to the conversion table
    assert "agree" not in rows  # a head the hand-made table has


def test_converter_selection_options():
    assert {r.event_type for r in _rows(only_types={"CONSULT"}).values()} == {"CONSULT"}
    assert not any(r.event_type == "AID" for r in _rows(exclude_types={"AID"}).values())
    assert not any(r.cameo.startswith("07") for r in _rows(exclude_roots={"07"}).values())
    assert not any(p.split()[0] == "gift" for p in _rows(exclude_heads={"gift"}))
    assert "bestow" in _rows(exclude_heads={"gift"})


def _write_layer(d: Path, rows: list[str]) -> None:
    (d / "events").mkdir(parents=True, exist_ok=True)
    header = "\t".join(cv.HEADER)
    (d / "events" / "petrarch_triggers.tsv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


def test_loader_hand_rows_win_and_layer_adds_heads(tmp_path: Path):
    base = load_lexicon()
    hand_agree = {(t.event_type, t.extras) for t in base.triggers[("agree", "VERB")]}
    assert hand_agree, "triggers.tsv has agree"
    assert ("zorblify", "VERB") not in base.triggers
    _write_layer(tmp_path, [
        "agree\tVERB\tASSAULT\t\t180\tsubj\tobj\t0\t\tlayer row for a hand-made head",
        "agree with plan\tVERB\tASSAULT\t\t180\tsubj\tobj\t0\t\tnew pattern, but for a hand-made head",
        "zorblify\tVERB\tAID\thumanitarian\t073\tsubj\tdative|prep:to\t0\t\tnew head",
        "zorblify crate\tVERB\tAID\t\t070\tsubj\tdative\t0\t\tnew head with an object",
    ])
    lex = load_lexicon((tmp_path,))
    assert {(t.event_type, t.extras) for t in lex.triggers[("agree", "VERB")]} == hand_agree
    got = {(t.extras, t.event_type, t.cameo) for t in lex.triggers[("zorblify", "VERB")]}
    assert got == {((), "AID", "073"), (("crate",), "AID", "070")}
    z = next(t for t in lex.triggers[("zorblify", "VERB")] if not t.extras)
    assert z.recipient_slots == ("dative", "prep:to") and z.context == ("humanitarian",)


def test_derived_layer_schema():
    rows = read_table("events/petrarch_triggers.tsv", DerivedTriggerRow)
    cameo = {c for c, *_ in (line.split("\t") for line in (EVENTS / "cameo.tsv").read_text().splitlines()
                              if line and not line.startswith("#"))}
    text = (EVENTS / "petrarch_triggers.tsv").read_text(encoding="utf-8")
    assert "MIT License" in text and "Open Event Data Alliance" in text
    assert re.search(r"^# Options: ", text, re.MULTILINE)
    seen = set()
    for r in rows:
        assert r.cameo in cameo, r
        assert r.pattern == r.pattern.lower() and r.pos == "VERB" and "[petrarch2]" in r.notes
        assert (r.pattern, r.pos) not in seen
        seen.add((r.pattern, r.pos))
    # what the layer adds to the lexicon is never a head the hand-made table has
    hand = {(r.pattern.split()[0], r.pos) for r in read_table("events/triggers.tsv", TriggerRow)}
    lex = load_lexicon()
    layer_heads = {(r.pattern.split()[0], r.pos) for r in rows}
    for key in layer_heads & hand:
        assert not any("[petrarch2]" in t.notes for t in lex.triggers[key]), key


@pytest.mark.skipif(not (SHARED / "petrarch2" / "CAMEO.2.0.txt").is_file(), reason="PETRARCH2 dictionary not present")
def test_derived_layer_is_what_the_script_produces(tmp_path: Path):
    text = (EVENTS / "petrarch_triggers.tsv").read_text(encoding="utf-8")
    opts = re.search(r"^# Options: (.*)$", text, re.MULTILINE)
    assert opts
    args = [] if opts.group(1) == "(none)" else opts.group(1).split()
    out = tmp_path / "out.tsv"
    cv.main([str(SHARED / "petrarch2" / "CAMEO.2.0.txt"), str(SHARED / "CAMEO2PLOVER-2021.txt"), str(EVENTS),
             "-o", str(out), *args])
    assert out.read_text(encoding="utf-8") == text
