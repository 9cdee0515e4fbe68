"""Adding an event type is data plus one test (docs/howto-event-type.md): a user folder with an
``events/plover.toml`` declaring the type, a ``cameo.tsv`` row for its code and a ``triggers.tsv``
row for its word codes an invented sentence as that type, through to the output records."""

from __future__ import annotations

from pathlib import Path

from dotterel import code_text
from dotterel.settings import Settings

PLOVER = """schema = 1
contexts = ["agriculture"]

[types.HARVEST]
description = "bringing in a crop together"
quad = 2
modes = ["grain"]
traits = ["story_sided"]
"""
CAMEO = "code\tname\tplover_type\tmode\tcontext\tquad_class\tgoldstein\n" \
        "0691\tHarvest crops together\tHARVEST\tgrain\tagriculture\t2\t3.5\n"
TRIGGERS = "pattern\tpos\tevent_type\tmode\tcameo\tactor\trecipient\treciprocal\tcontext\tnotes\n" \
           "harvest\tVERB\tHARVEST\tgrain\t0691\tsubj\tprep:with\t0\tagriculture\tan invented type\n"


def test_a_user_folder_adds_an_event_type(tmp_path: Path) -> None:
    events = tmp_path / "events"
    events.mkdir()
    (events / "plover.toml").write_text(PLOVER, encoding="utf-8")
    (events / "cameo.tsv").write_text(CAMEO, encoding="utf-8")
    (events / "triggers.tsv").write_text(TRIGGERS, encoding="utf-8")

    coded = code_text("Kenyan farmers harvested maize with Ugandan villagers on Tuesday.", "2024-05-10",
                      settings=Settings(resource_dirs=(tmp_path,)))

    assert [(e.event_type, e.mode, e.cameo, e.context, e.quad_class, e.intensity) for e in coded.events] == [
        ("HARVEST", "grain", "0691", ["agriculture"], 2, 3.5)]
    event = coded.events[0]
    assert [a.country for a in event.actor] == ["KEN"] and [a.country for a in event.recipient] == ["UGA"]
    assert event.trigger.text == "harvested" and event.date.start == "2024-05-07"
    assert type(coded).model_validate_json(coded.model_dump_json()) == coded  # the contract reads it back
