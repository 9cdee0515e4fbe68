"""events/dyads.py: empty sides completed from the story (invented sentences, real pipeline)."""

from __future__ import annotations

import datetime as dt

from dotterel.ingest import document_from_text
from dotterel.settings import Settings

DAY = dt.date(2023, 3, 17)


def events(coder, text: str, etype: str):
    doc = coder.code(document_from_text(text, "t", Settings(), date=DAY))
    return [e for e in doc.events if e.event_type == etype and not e.derived_from]


def sides(e) -> tuple[set, set]:
    return {a.country for a in e.actor}, {a.country for a in e.recipient}


def test_no_target_inside_one_country_is_domestic(coder) -> None:
    (e,) = events(coder, "The Kenyan government rejected the proposal on Monday.", "REJECT")
    assert sides(e) == ({"KEN"}, {"KEN"})
    assert e.recipient[0].implicit and not e.actor[0].implicit


def test_the_other_state_named_in_the_sentence_is_the_target(coder) -> None:
    (e,) = events(coder, "Armenian artillery shelled a village near the Azerbaijani town of Tovuz on Tuesday.", "ASSAULT")
    assert sides(e) == ({"ARM"}, {"AZE"})


def test_an_organisation_side_is_not_filled_over(coder) -> None:
    (e,) = events(coder, "Georgia applied to join NATO on Monday.", "COOPERATE") or [None]
    if e is not None:
        assert "GEO" not in {a.country for a in e.recipient}


def test_an_undated_event_takes_the_story_narrative_time(coder) -> None:
    doc = coder.code(document_from_text(
        "Kenyan police opened fire on protesters in Nairobi on Tuesday. The government later deployed the army.", "t",
        Settings(), date=DAY))
    fire = next(e for e in doc.events if e.event_type == "ASSAULT")
    deploy = next(e for e in doc.events if e.event_type == "MOBILIZE")
    assert (fire.date.start, fire.date.end, fire.date.basis) == ("2023-03-14", "2023-03-14", "explicit")
    assert (deploy.date.start, deploy.date.end, deploy.date.basis) == ("2023-03-14", "2023-03-17", "narrative")


def test_a_past_clause_with_a_weekday_stays_asserted(coder) -> None:
    evs = events(coder, "Peru and Ecuador have signed a peace accord in Brasilia on Sunday.", "SUPPORT")
    assert evs and all(e.status == "asserted" for e in evs)


def test_congress_in_a_foreign_story_is_that_country_s(coder) -> None:
    doc = coder.code(document_from_text(
        "Peru's president was removed by lawmakers on Wednesday. Peru's Congress voted 101 to 6. "
        "Congress then swore in the vice president.", "t", Settings(), date=DAY))
    congress = [a for a in doc.actors if a.text == "Congress"]
    assert congress and all(a.country == "PER" for a in congress)


def test_the_us_congress_stays_american(coder) -> None:
    doc = coder.code(document_from_text("The U.S. Congress passed the bill on Wednesday.", "t", Settings(), date=DAY))
    assert {a.country for a in doc.actors if "Congress" in a.text} == {"USA"}


def test_inferred_sides_do_not_merge_different_happenings(coder) -> None:
    doc = coder.code(document_from_text(
        "Kenyan protesters stormed parliament on Tuesday. Activists called more protests for Thursday.", "t",
        Settings(), date=DAY))
    protests = [e for e in doc.events if e.event_type == "PROTEST" and not e.derived_from]
    assert {e.status for e in protests} == {"asserted", "planned"}


def test_an_organisation_actor_takes_the_sentence_s_state_as_target(coder) -> None:
    (e,) = [e for e in events(coder, "NATO warplanes carried out airstrikes near the Serbian town of Nis on Sunday.", "ASSAULT")]
    assert {a.country for a in e.recipient} == {"SRB"}


def test_detentions_are_by_the_state_where_they_happen(coder) -> None:
    evs = events(coder, "Over 2,000 people have been detained in Turkey since the coup attempt, a German court noted.", "COERCE")
    assert evs and all({a.country for a in e.actor} == {"TUR"} for e in evs)


def test_a_later_bare_mention_is_the_same_event_not_a_new_one(coder) -> None:
    doc = coder.code(document_from_text(
        "Chilean President Gabriel Boric will pay a state visit to Spain next week. "
        "The visit comes weeks after a lithium deal.", "t", Settings(), date=DAY))
    visits = [e for e in doc.events if e.event_type == "CONSULT" and not e.derived_from]
    assert len(visits) == 1 and visits[0].status == "planned"
    assert len(visits[0].mentions) >= 2


def test_we_in_a_quote_is_not_a_state_of_the_story(coder) -> None:
    doc = coder.code(document_from_text(
        'Ukraine\'s foreign minister spoke with his Turkish counterpart on Tuesday. "We agreed to keep working '
        'together," he said.', "t", Settings(), date=DAY))
    agree = [e for e in doc.events if e.event_type == "AGREE" and not e.derived_from]
    assert agree and all({a.country for a in e.actor + e.recipient} == {"UKR", "TUR"} for e in agree)


def test_dates_of_past_acts_nouns_and_undated_ledes(coder) -> None:
    doc = coder.code(document_from_text(
        "Thailand and Cambodia have agreed to hold ceasefire talks in Malaysia on Monday.", "t", Settings(), date=DAY))
    agree = next(e for e in doc.events if e.event_type == "AGREE" and not e.derived_from)
    assert agree.date.start <= DAY.isoformat()  # the agreeing happened; Monday is the talks' date
    doc = coder.code(document_from_text(
        "An initial Russian blacklist of American officials announced last week was extended.", "t", Settings(), date=DAY))
    assert any(e.date.basis == "explicit" and e.date.start == "2023-03-06" for e in doc.events)
    doc = coder.code(document_from_text(
        "Colombian government negotiators and rebel commanders signed a peace accord in Cartagena.", "t",
        Settings(), date=DAY))
    signed = next(e for e in doc.events if e.event_type == "SUPPORT")
    assert (signed.date.start, signed.date.end, signed.date.basis) == ("2023-03-16", "2023-03-17", "publication")


def test_a_dateline_place_is_not_an_actor(coder) -> None:
    doc = coder.code(document_from_text(
        "Lima, 5 May 2021 (AFP) – Hundreds of Bolivian miners rejected the new tax on Monday.", "t", Settings(), date=DAY))
    assert not [a for a in doc.actors if a.text.startswith("Lima")]
