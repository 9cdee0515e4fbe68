"""senses.tsv: the event type from what the verb acts on (invented sentences, real pipeline)."""

from __future__ import annotations

import datetime as dt

import pytest

from dotterel.errors import DotterelError
from dotterel.events.lexicon import load_lexicon
from dotterel.ingest import document_from_text
from dotterel.settings import Settings

DAY = dt.date(2023, 3, 17)


def types(coder, text: str) -> dict[str, tuple[set, set]]:
    doc = coder.code(document_from_text(text, "t", Settings(), date=DAY))
    return {e.event_type: ({a.country for a in e.actor}, {a.country for a in e.recipient})
            for e in doc.events if not e.derived_from}


@pytest.mark.parametrize(("text", "etype", "dyad"), [
    ("Germany sent food and medicine to Sudan on Monday.", "AID", ({"DEU"}, {"SDN"})),
    ("Vietnam sent two warships to the disputed reef on Monday.", "MOBILIZE", ({"VNM"}, {"VNM"})),
    ("The last Ethiopian soldiers left Somalia on Tuesday.", "RETREAT", ({"ETH"}, {"SOM"})),
    ("Israel eased restrictions on Gaza on Monday.", "CONCEDE", ({"ISR"}, {"PSE"})),
    ("Egypt lifted its blockade of the Libyan border town on Monday.", "RETREAT", ({"EGY"}, None)),
    ("Macron called the Kenyan president on Sunday.", "CONSULT", ({"FRA"}, {"KEN"})),
])
def test_sense_from_the_arguments(coder, text: str, etype: str, dyad) -> None:
    got = types(coder, text)
    assert etype in got, got
    if dyad[1] is None:
        assert got[etype][0] == dyad[0]
    else:
        assert got[etype] == dyad


def test_own_forces_are_not_the_target(coder) -> None:
    got = types(coder, "Vietnam sent two warships to the disputed reef on Monday.")
    assert got["MOBILIZE"][1] == {"VNM"}  # domestic default, not "the warships" as a recipient mention


def test_an_object_predicate_is_not_a_call(coder) -> None:
    assert "CONSULT" not in types(coder, "Macron called the Kenyan president a liar on Sunday.")


def test_sense_rows_must_name_known_classes(tmp_path) -> None:
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "senses.tsv").write_text(
        "lemma\tslot\tnoun_class\tevent_type\tmode\tcameo\tactor\trecipient\tnotes\n"
        "send\tobj\tNO_SUCH_CLASS\tAID\t\t073\tsubj\tprep:to\t\n", encoding="utf-8")
    with pytest.raises(DotterelError):
        load_lexicon((tmp_path,))
    lex = load_lexicon()
    assert {c for rows in lex.senses.values() for _, c, _ in rows} - {"ANY"} <= {c for cs in lex.noun_classes.values() for c in cs}


@pytest.mark.parametrize(("text", "etype", "actor", "recipient"), [
    ("Seoul calls the shelling a clear military provocation.", "ACCUSE", {"KOR"}, None),
    ("The Chilean president called the visit a success.", "SUPPORT", {"CHL"}, None),
    ("The talks followed pressure from Washington on Israel.", "REQUEST", {"USA"}, {"ISR"}),
    ("Saudi Arabia disputed reports that its jets struck a wedding.", "REJECT", {"SAU"}, None),
    ("Polish farmers ended their strike on Friday.", "CONCEDE", {"POL"}, None),
])
def test_labels_sources_and_classes(coder, text: str, etype: str, actor: set, recipient) -> None:
    got = types(coder, text)
    assert etype in got, got
    assert got[etype][0] == actor
    if recipient is not None:
        assert got[etype][1] == recipient


def test_a_labour_strike_is_protest_by_the_class_file(coder) -> None:
    got = types(coder, "Thousands of Polish farmers went on strike on Monday.")
    assert "PROTEST" in got and "ASSAULT" not in got


@pytest.mark.parametrize(("text", "etype"), [
    # a nominal event after a temporal preposition is not the topic of the governing speech act
    ("Ankara agreed to halt the offensive after talks with the Russian foreign minister in Sochi.", "CONSULT"),
    # reduced relative: the head noun is the verb's object
    ("The peace declaration signed by the Ethiopian and Eritrean leaders was welcomed.", "SUPPORT"),
    # light verb: the preposition of the governing verb fills the nominal's slot
    ("Pyongyang put the blame on South Korea for the clash.", "ACCUSE"),
    ("The offices of an opposition newspaper in Lahore were raided on Saturday.", "COERCE"),
    ("An initial Russian blacklist of nine American officials was published last week.", "SANCTION"),
])
def test_nominal_and_light_verb_constructions(coder, text: str, etype: str) -> None:
    assert etype in types(coder, text)


def test_a_strike_in_a_labour_story_is_protest(coder) -> None:
    got = types(coder, "Chilean dock workers and their union walked out on Monday. The strike, which began at "
                       "dawn, closed three ports. Union leaders said workers want higher pay.")
    assert "PROTEST" in got and "ASSAULT" not in got


@pytest.mark.parametrize(("text", "etype", "cameo"), [
    ("The World Food Programme cut food deliveries to the camp on Tuesday.", "SANCTION", "162"),
    ("Bosnian Serb leaders broke off talks with the mediators on Monday.", "SANCTION", "164"),
    ("Israel reimposed a blockade on the town on Friday.", "COERCE", None),
])
def test_cutting_aid_breaking_off_talks_and_repeated_actions(coder, text: str, etype: str, cameo) -> None:
    doc = coder.code(document_from_text(text, "t", Settings(), date=DAY))
    hits = [e for e in doc.events if e.event_type == etype]
    assert hits, [(e.event_type, e.cameo) for e in doc.events]
    if cameo:
        assert cameo in {e.cameo for e in hits}


@pytest.mark.parametrize(("text", "etype", "cameo"), [
    ("Armenia admitted a team of international election observers on Monday.", "RETREAT", "0862"),
    ("Germany will supply air defence missiles to Ukraine.", "AID", "072"),
    ("Britain shared military intelligence with Kyiv throughout the war.", "COOPERATE", "064"),
])
def test_admitting_observers_and_military_aid(coder, text: str, etype: str, cameo: str) -> None:
    doc = coder.code(document_from_text(text, "t", Settings(), date=DAY))
    assert cameo in {e.cameo for e in doc.events if e.event_type == etype}, [(e.event_type, e.cameo) for e in doc.events]


def test_receiving_an_envoy_is_still_a_meeting(coder) -> None:
    assert "CONSULT" in types(coder, "The Kenyan president received the French envoy on Monday.")
