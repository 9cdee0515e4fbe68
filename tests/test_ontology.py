"""The PLOVER ontology as data (resources/events/plover.toml): validation of the file, the record
types built from it, the lexicon rows checked against it, and users' folders extending it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from dotterel.errors import DotterelError
from dotterel.events.lexicon import load_lexicon
from dotterel.ontology import builtin_ontology, load_ontology
from dotterel.records import models

EVENTS_DIR = Path(__file__).resolve().parents[1] / "src" / "dotterel" / "resources" / "events"
TRIGGER_HEADER = "pattern\tpos\tevent_type\tmode\tcameo\tactor\trecipient\treciprocal\tcontext\tnotes\n"


def _user_dir(tmp_path: Path, toml: str | None = None, triggers: str | None = None) -> Path:
    (tmp_path / "events").mkdir(exist_ok=True)
    if toml is not None:
        (tmp_path / "events" / "plover.toml").write_text(toml, encoding="utf-8")
    if triggers is not None:
        (tmp_path / "events" / "triggers.tsv").write_text(TRIGGER_HEADER + triggers, encoding="utf-8")
    return tmp_path


# -- the built-in file --------------------------------------------------------------------------------

def test_builtin_ontology_has_the_sixteen_plover_types_in_order() -> None:
    onto = builtin_ontology()
    assert onto.type_names == ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                               "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
    assert onto.status_names == ("asserted", "planned", "reported", "hypothetical", "negated", "denied", "unconfirmed")
    # strength: denied > unconfirmed > negated > hypothetical > planned > reported > asserted
    assert sorted(onto.rank, key=onto.rank.__getitem__) == [
        "asserted", "reported", "planned", "hypothetical", "negated", "unconfirmed", "denied"]


def test_record_vocabularies_come_from_the_ontology() -> None:
    onto = builtin_ontology()
    assert models.EVENT_TYPES == onto.type_names
    assert models.STATUSES == onto.status_names
    schema = models.EventRecord.model_json_schema()["properties"]
    assert schema["status"]["enum"] == list(onto.status_names)
    assert schema["event_type"]["anyOf"][0]["enum"] == list(onto.type_names)


def test_event_record_types_and_statuses() -> None:
    """A built-in type or an upper-case name a user's ontology may declare; statuses are closed."""
    fields = models.EventRecord.model_fields
    etype = TypeAdapter(fields["event_type"].annotation)
    status = TypeAdapter(fields["status"].annotation)
    assert etype.validate_python("ASSAULT") == "ASSAULT" and etype.validate_python("HARVEST") == "HARVEST"
    assert status.validate_python("denied") == "denied"
    for adapter, bad in ((etype, "assault"), (etype, "NOT A TYPE"), (etype, ""), (status, "likely")):
        with pytest.raises(ValidationError):
            adapter.validate_python(bad)


def test_intent_and_ruled_out_codes_exist_in_the_cameo_table() -> None:
    with (EVENTS_DIR / "cameo.tsv").open(encoding="utf-8") as fh:
        rows = list(csv.reader((ln for ln in fh if ln.strip() and not ln.startswith("#")), delimiter="\t"))
    cameo = {r[0]: r for r in rows[1:]}
    onto = builtin_ontology()
    for etype, (itype, code) in onto.intents.items():
        assert code in cameo and cameo[code][2] == itype, (etype, code)
    for etype, code in onto.ruled_out.items():
        assert code in cameo and cameo[code][2] == "REJECT", (etype, code)


def test_type_quad_is_the_majority_quad_of_its_cameo_codes() -> None:
    with (EVENTS_DIR / "cameo.tsv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader((ln for ln in fh if ln.strip() and not ln.startswith("#")), delimiter="\t"))
    onto = builtin_ontology()
    for etype, spec in onto.types.items():
        quads = [int(r["quad_class"]) for r in rows if r["plover_type"] == etype]
        assert quads, etype
        top = max(quads.count(q) for q in quads)
        assert quads.count(spec.quad) == top, (etype, spec.quad)  # (REQUEST: appeals 02 and demands 10 tie)


def test_every_trait_is_documented_and_used_by_some_type() -> None:
    onto = builtin_ontology()
    for trait, description in onto.traits.items():
        assert description.strip(), trait
        assert onto.having(trait), f"trait {trait} is given to no type"
    with pytest.raises(KeyError):
        onto.has("ASSAULT", "no_such_trait")


# -- validation -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("toml, reason", [
    ('schema = 1\n[types.harvest]\ndescription = "x"\nquad = 1\n', "upper case"),
    ('schema = 1\n[types.HARVEST]\ndescription = "x"\nquad = 7\n', "quad"),
    ('schema = 1\n[types.HARVEST_OF_THE_YEAR]\ndescription = "x"\nquad = 1\n', "upper case"),
    ('schema = 1\n[types.HARVEST]\ndescription = "x"\nquad = 1\nmodes = ["Grain"]\n', "mode 'Grain'"),
    ('schema = 1\n[types.HARVEST]\ndescription = "x"\nquad = 1\ntraits = ["flying"]\n', "unknown trait"),
    ('schema = 1\n[types.HARVEST]\ndescription = "x"\nquad = 1\nintent = { type = "PLANT", cameo = "036" }\n',
     "intent type"),
    ('schema = 1\n[statuses.likely]\nrank = 9\ndescription = "x"\n', "may only hold"),
    ('schema = 2\n', "schema"),
    ('schema = 1\n[types.HARVEST\n', "plover.toml"),
])
def test_invalid_user_ontology_is_e002_naming_the_file(tmp_path: Path, toml: str, reason: str) -> None:
    _user_dir(tmp_path, toml)
    with pytest.raises(DotterelError) as exc:
        load_ontology((tmp_path,))
    assert exc.value.code == "E002"
    assert "plover.toml" in str(exc.value) and reason in str(exc.value)


@pytest.mark.parametrize("row, reason", [
    ("hug\tVERB\tEMBRACE\t\t042\tsubj\tobj\t0\t\t\n", "unknown PLOVER type"),
    ("hug\tVERB\tCONSULT\tcuddle\t042\tsubj\tobj\t0\t\t\n", "not a mode of CONSULT"),
    ("hug\tVERB\tCONSULT\tvisit\t042\tsubj\tobj\t0\tcosy\t\n", "unknown context"),
    ("hug\tVERB\tCONSULT\tvisit\t042\tsubj\tprep:\t0\t\t\n", "unknown slot"),
    ("hug\tVERB\tCONSULT\tvisit\t9999\tsubj\tobj\t0\t\t\n", "CAMEO code"),
])
def test_trigger_rows_are_checked_against_the_ontology(tmp_path: Path, row: str, reason: str) -> None:
    _user_dir(tmp_path, triggers=row)
    with pytest.raises(DotterelError) as exc:
        load_lexicon((tmp_path,))
    assert exc.value.code == "E002" and reason in str(exc.value)


# -- extension by a user's folder ---------------------------------------------------------------------

EXTENSION = """schema = 1
contexts = ["agriculture"]

[types.HARVEST]
description = "bringing in a crop (an invented type for the test)"
quad = 2
modes = ["grain", "fruit"]
traits = ["domestic"]

[types.CONSULT]
extra_modes = ["picnic"]
"""


def test_user_ontology_adds_types_modes_and_contexts(tmp_path: Path) -> None:
    _user_dir(tmp_path, EXTENSION)
    onto = load_ontology((tmp_path,))
    assert onto.type_names[-1] == "HARVEST" and onto.type_names[:16] == builtin_ontology().type_names
    assert onto.types["HARVEST"].modes == ("grain", "fruit") and onto.has("HARVEST", "domestic")
    assert "agriculture" in onto.contexts
    consult = onto.types["CONSULT"]
    assert consult.extra_modes == ("picnic",) and consult.modes == builtin_ontology().types["CONSULT"].modes
    assert builtin_ontology().types.keys() == {*onto.type_names} - {"HARVEST"}  # the built-in one is untouched
    assert onto.check_trigger("HARVEST", "grain", ["agriculture"], ["subj", "prep:with"]) is None
    assert onto.check_trigger("CONSULT", "picnic") is None
