"""Idioms, constructions and false friends that real news uses (invented sentences, real pipeline).

Each case stands for a class found on the blind gold batch (DOT-S-0341 on): an idiom naming an act,
a verb whose object or with-phrase decides the act, or a word that looks like a trigger but is not one.
Every case failed before its rule or row was added.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dotterel.ingest import document_from_text
from dotterel.settings import Settings

DAY = dt.date(2024, 5, 14)


def coded(coder, text: str) -> dict[str, tuple[set, set, str]]:
    doc = coder.code(document_from_text(text, "t", Settings(), date=DAY))
    return {e.event_type: ({a.country for a in e.actor}, {a.country for a in e.recipient}, e.status)
            for e in doc.events if not e.derived_from}


@pytest.mark.parametrize(("text", "etype", "actor", "recipient"), [
    # idioms
    ("Ghana's government pointed the finger at Togo on Friday over the border raid.", "ACCUSE", {"GHA"}, {"TGO"}),
    ("The Dutch king voiced regret to Indonesia for colonial-era violence.", "CONCEDE", {"NLD"}, {"IDN"}),
    ("Chile's president sent a congratulatory message to Peru's new leader.", "SUPPORT", {"CHL"}, {"PER"}),
    ("Tehran has closed the door on further talks with Washington.", "REJECT", {"IRN"}, {"USA"}),
    ("Police in Lagos locked up dozens of protesters on Saturday.", "COERCE", {"NGA"}, None),
    ("Iran's telecoms authority throttled Instagram on Monday.", "COERCE", {"IRN"}, None),
    ("Hungary's media council ordered the radio station to stop broadcasts from Monday.", "COERCE", {"HUN"}, None),
    ("Seoul passed military intelligence to Tokyo.", "COOPERATE", {"KOR"}, {"JPN"}),
    # the with-phrase or the object decides the act
    ("Belarus provided Russia with artillery shells last year.", "AID", {"BLR"}, {"RUS"}),
    ("Iran has been ferrying drones to Sudan's army.", "AID", {"IRN"}, {"SDN"}),
    ("Turkey dispatched a convoy of 40 trucks to the quake zone in Syria.", "AID", {"TUR"}, {"SYR"}),
    ("Egypt let aid trucks into Gaza on Saturday.", "RETREAT", {"EGY"}, {"PSE"}),
    ("Greece positioned six warships near the island on Monday.", "MOBILIZE", {"GRC"}, None),
    ("Some 20,000 reservists were summoned to their units by Armenia's army.", "MOBILIZE", {"ARM"}, None),
    ("Egypt ordered 30 fighter jets from France in a $4 billion deal.", "COOPERATE", {"EGY"}, {"FRA"}),
    ("The Kenyan president summoned his ministers to an emergency meeting.", "CONSULT", {"KEN"}, None),
    ("Washington held Moscow responsible for the attack.", "ACCUSE", {"USA"}, {"RUS"}),  # small clause
    ("South Africa closed its main border crossing with Mozambique on Thursday.", "SANCTION", {"ZAF"}, {"MOZ"}),
    ("The Fijian president abrogated the constitution on April 10.", "COERCE", {"FJI"}, None),
    ("Fiji ordered Australia's acting high commissioner to leave the country.", "SANCTION", {"FJI"}, {"AUS"}),
])
def test_idioms_and_senses(coder, text: str, etype: str, actor: set, recipient: set | None) -> None:
    got = coded(coder, text)
    assert etype in got, got
    assert got[etype][0] == actor, got
    if recipient is not None:
        assert got[etype][1] == recipient, got


@pytest.mark.parametrize(("text", "absent"), [
    ("Unidentified gunmen abducted three aid workers in Mali.", "AID"),       # who they are, not an act
    ("Police arrested two protest leaders in Minsk on Monday.", "PROTEST"),
    ("The border clashes broke out on March 3 between Indian and Chinese troops.", "PROTEST"),  # a month
])
def test_false_friends(coder, text: str, absent: str) -> None:
    assert absent not in coded(coder, text)


def test_participle_before_a_noun_is_not_an_event(coder) -> None:
    got = coded(coder, "The Iranian army said it would carry out crushing strikes in response to any aggression.")
    assert "ASSAULT" not in got or got["ASSAULT"][2] != "asserted", got


def test_not_hesitate_is_a_conditional_commitment(coder) -> None:
    got = coded(coder, "North Korea said its army would not hesitate to strike South Korea.")
    assert got["ASSAULT"][2] == "hypothetical", got


def test_sent_aid_convoy_is_one_event(coder) -> None:
    doc = coder.code(document_from_text("The UN sent an aid convoy to Aleppo.", "t", Settings(), date=DAY))
    aid = [e for e in doc.events if e.event_type == "AID"]
    assert len(aid) == 1 and aid[0].trigger.text == "sent an aid convoy", [(e.event_type, e.trigger.text) for e in doc.events]


@pytest.mark.parametrize("text", [
    "North Korea said its army would not hesitate to strike South Korea.",
    "The Chinese military said it would launch a series of targeted military actions in response to the visit.",
])
def test_stated_future_force_is_a_threat(coder, text: str) -> None:
    doc = coder.code(document_from_text(text, "t", Settings(), date=DAY))
    threats = [e for e in doc.events if e.event_type == "THREATEN"]  # the stated intention, linked to the act
    assert threats and threats[0].status == "asserted", [(e.event_type, e.status) for e in doc.events]


def test_joint_only_when_it_modifies_the_exercise(coder) -> None:
    got = coded(coder, "China's army staged a large exercise involving its navy and its Joint Logistics Support Force near Taiwan on Monday.")
    assert "MOBILIZE" in got and "COOPERATE" not in got, got


def test_counted_plural_object_of_kidnapping_is_people(coder) -> None:
    got = coded(coder, "Gunmen kidnapped 27 schoolboys from a school in northern Nigeria.")
    assert "ASSAULT" in got and got["ASSAULT"][0] == {"NGA"}, got


def test_future_of_the_past_reaches_an_event_noun(coder) -> None:
    doc = coder.code(document_from_text(
        "Japan confirmed on Sunday that a delegation led by its foreign minister would attend the talks.", "t",
        Settings(), date=DAY))
    talks = [e for e in doc.events if e.event_type == "CONSULT"]
    assert talks and talks[0].status == "planned", [(e.event_type, e.status) for e in doc.events]


def test_a_group_takes_the_country_of_whoever_leads_it(coder) -> None:
    doc = coder.code(document_from_text(
        "A delegation led by Iran's foreign minister held talks in Oslo on Monday.", "t", Settings(), date=DAY))
    talks = [e for e in doc.events if e.event_type == "CONSULT"]
    assert talks and {a.country for a in talks[0].actor} == {"IRN"}, [(e.event_type, e.actor) for e in doc.events]


@pytest.mark.parametrize(("text", "etype"), [
    ("Amnesty International protested that the trials of the activists in Bahrain were unfair.", "ACCUSE"),
    ("Thousands of students protested in Dhaka on Monday.", "PROTEST"),
])
def test_protesting_that_is_a_complaint(coder, text: str, etype: str) -> None:
    got = coded(coder, text)
    assert etype in got and ({"ACCUSE", "PROTEST"} - {etype}).isdisjoint(got), got


def test_a_sector_adjective_before_a_thing_is_not_an_actor(coder) -> None:
    got = coded(coder, "China conducted military exercises near Taiwan on Monday.")
    assert got["MOBILIZE"][:2] == ({"CHN"}, {"TWN"}), got


def test_the_speaker_owns_its_forces_after_a_condition(coder) -> None:
    got = coded(coder, "Pyongyang warned that if Seoul crossed the line its troops would not hesitate to take military action.")
    assert got["ASSAULT"][:2] == ({"PRK"}, {"KOR"}), got


def test_two_sided_fighting_between_the_two_states_the_sentence_names(coder) -> None:
    got = coded(coder, "Brazil and the United States urged Chile and Argentina on Sunday to help end the crisis. "
                       "The border fighting began on Monday and has since turned into mortar duels and air raids "
                       "along the disputed strip between Ecuador's Zamora province and Peru's Amazonas region.")
    assert "ASSAULT" in got and got["ASSAULT"][0] | got["ASSAULT"][1] == {"ECU", "PER"}, got


def test_saying_another_party_breaks_a_rule_is_an_accusation(coder) -> None:
    got = coded(coder, "Officials in Manila said the Chinese drills violate international law.")
    assert "ACCUSE" in got and got["ACCUSE"][:2] == ({"PHL"}, {"CHN"}), got


@pytest.mark.parametrize(("text", "etype"), [
    ("Washington delayed tariffs on Chinese cars.", "RETREAT"),        # economic sanctions: CAMEO 085
    ("The EU suspended sanctions on Belarusian potash.", "RETREAT"),
    ("The army suspended the curfew in Lagos on Friday.", "CONCEDE"),   # administrative: CAMEO 081
])
def test_delaying_or_suspending_sanctions_eases_them(coder, text: str, etype: str) -> None:
    got = coded(coder, text)
    assert etype in got and "SANCTION" not in got, got


@pytest.mark.parametrize("text", [
    "The studio released the comedy The Interview, in which two journalists are recruited to assassinate Kim Jong Un.",
    "Netflix released a film about a Russian invasion of Estonia.",
])
def test_what_happens_in_a_plot_is_no_event(coder, text: str) -> None:
    got = coded(coder, text)
    assert "ASSAULT" not in got, got
