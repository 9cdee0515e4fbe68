"""times.tense and times.attach on Docs built by hand (words, tags, dependencies): no model."""

from __future__ import annotations

import datetime as dt

import pytest
from docrows import parsed
from spacy.tokens import Doc

from dotterel.nlp.extensions import register_extensions
from dotterel.spans import TimeMention
from dotterel.times.attach import anchor, time_for_token
from dotterel.times.tense import clause_tense, verb_tense

register_extensions()


WILL_VISIT = """
Xi NNP PROPN nsubj 2
will MD AUX aux 2
visit VB VERB ROOT 2
Moscow NNP PROPN dobj 2
on IN ADP prep 2
Monday NNP PROPN pobj 4
"""
VISITED = """
Xi NNP PROPN nsubj 1
visited VBD VERB ROOT 1 visit
Moscow NNP PROPN dobj 1
on IN ADP prep 1
Monday NNP PROPN pobj 3
"""
WAS_TO_VISIT = """
Xi NNP PROPN nsubj 1
was VBD AUX ROOT 1 be
to TO PART aux 3
visit VB VERB xcomp 1
Moscow NNP PROPN dobj 3
"""
IS_TO_VISIT = """
Xi NNP PROPN nsubj 1
is VBZ AUX ROOT 1 be
to TO PART aux 3
visit VB VERB xcomp 1
Moscow NNP PROPN dobj 3
"""
SUMMIT_BEGINS = """
summit NN NOUN nsubj 1
begins VBZ VERB ROOT 1 begin
Monday NNP PROPN npadvmod 1
"""
HE_SAYS = """
he PRP PRON nsubj 1
says VBZ VERB ROOT 1 say
"""
COULD_HAVE_MET = """
they PRP PRON nsubj 3
could MD AUX aux 3
have VB AUX aux 3
met VBN VERB ROOT 3 meet
"""


@pytest.mark.parametrize(("rows", "verb", "tense"), [
    (WILL_VISIT, 2, "future"),  # modal
    (VISITED, 1, "past"),  # simple past
    (IS_TO_VISIT, 3, "future"),  # "is to visit"
    (WAS_TO_VISIT, 3, None),  # "was to visit": planned once, unknown now
    (SUMMIT_BEGINS, 1, "future"),  # scheduled simple present
    (HE_SAYS, 1, None),  # a reporting verb in the present says nothing about the time
    (COULD_HAVE_MET, 3, "past"),  # modal perfect
])  # fmt: skip
def test_verb_tense(rows: str, verb: int, tense: str | None) -> None:
    assert verb_tense(parsed(rows)[verb]) == tense


def test_clause_tense_climbs_from_the_time_word_to_its_verb() -> None:
    assert clause_tense(parsed(WILL_VISIT)[5]) == "future"  # Monday -> on -> visit
    assert clause_tense(parsed(VISITED)[4]) == "past"


def _mention(doc: Doc, start: int, end: int, day: dt.date, last: dt.date | None = None) -> TimeMention:
    span = doc[start:end]
    return TimeMention(start=start, end=end, start_char=span.start_char, end_char=span.end_char, text=span.text,
                       first=day, last=last or day, value=day.isoformat(), granularity="day" if last is None else "range")


# "Xi will visit from Monday to Wednesday , the ministry said Friday ."
REPORTED = """
Xi NNP PROPN nsubj 2
will MD AUX aux 2
visit VB VERB ccomp 10
from IN ADP prep 2
Monday NNP PROPN pobj 3
to IN ADP prep 4
Wednesday NNP PROPN pobj 5
, , PUNCT punct 10
the DT DET det 9
ministry NN NOUN nsubj 10
said VBD VERB ROOT 10 say
Friday NNP PROPN npadvmod 10
. . PUNCT punct 10
"""


def test_each_clause_gets_its_own_time() -> None:
    doc = parsed(REPORTED)
    trip = _mention(doc, 3, 7, dt.date(2023, 3, 20), dt.date(2023, 3, 22))
    friday = _mention(doc, 11, 12, dt.date(2023, 3, 17))
    doc._.time_mentions = [trip, friday]
    assert anchor(doc, 3, 7).text == "visit"
    assert anchor(doc, 11, 12).text == "said"
    assert time_for_token(doc, 2) is trip  # visit
    assert time_for_token(doc, 10) is friday  # said
    assert time_for_token(doc, 9) is friday  # ministry -> said


def test_a_reported_future_clause_does_not_borrow_the_report_time() -> None:
    doc = parsed(REPORTED)
    friday = _mention(doc, 11, 12, dt.date(2023, 3, 17))
    doc._.time_mentions = [friday]
    assert time_for_token(doc, 2) is None  # "will visit": not dated by "said Friday"


def test_a_reported_past_clause_borrows_the_report_time() -> None:
    rows = REPORTED.replace("will MD AUX aux 2\n", "had VBD AUX aux 2 have\n").replace("visit VB VERB", "visited VBN VERB")
    doc = parsed(rows)
    friday = _mention(doc, 11, 12, dt.date(2023, 3, 17))
    doc._.time_mentions = [friday]
    assert time_for_token(doc, 2) is friday


def test_no_mentions_no_time() -> None:
    doc = parsed(VISITED)
    doc._.time_mentions = []
    assert time_for_token(doc, 1) is None
