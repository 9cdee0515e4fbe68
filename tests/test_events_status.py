"""events/status.py rule by rule on hand-built parses (no model): the cues of the parse
(``event_status``), the one decision from all cues (``decide_status``) and a merged event's status
(``group_status``). Sentences are invented; tokens, lemmas, tags and arcs are written out."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from dotterel.events.lexicon import Lexicon, load_lexicon
from dotterel.events.status import decide_status, event_status, group_status
from dotterel.spans import StatusCues

# (word, lemma, pos, tag, dep, head index)
Row = tuple[str, str, str, str, str, int]


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return load_lexicon()


VOCAB = spacy.blank("en").vocab  # English lexical attributes (lower_, ...) without a model


def parse(rows: list[Row]) -> Doc:
    return Doc(VOCAB, words=[r[0] for r in rows], spaces=[True] * (len(rows) - 1) + [False],
               lemmas=[r[1] for r in rows], pos=[r[2] for r in rows], tags=[r[3] for r in rows],
               deps=[r[4] for r in rows], heads=[r[5] for r in rows])


CASES: list[tuple[str, list[Row], int, tuple[str, str | None]]] = [
    ("a plain past act", [
        ("Chile", "Chile", "PROPN", "NNP", "nsubj", 1), ("visited", "visit", "VERB", "VBD", "ROOT", 1),
        ("Peru", "Peru", "PROPN", "NNP", "dobj", 1)], 1, ("asserted", None)),
    ("a modal of the future on the trigger", [
        ("Chile", "Chile", "PROPN", "NNP", "nsubj", 2), ("will", "will", "AUX", "MD", "aux", 2),
        ("visit", "visit", "VERB", "VB", "ROOT", 2), ("Peru", "Peru", "PROPN", "NNP", "dobj", 2)], 2, ("planned", "will")),
    ("negation on the trigger", [
        ("Chile", "Chile", "PROPN", "NNP", "nsubj", 3), ("did", "do", "AUX", "VBD", "aux", 3),
        ("not", "not", "PART", "RB", "neg", 3), ("visit", "visit", "VERB", "VB", "ROOT", 3),
        ("Peru", "Peru", "PROPN", "NNP", "dobj", 3)], 3, ("negated", "not")),
    ("a governor of planning", [
        ("Chile", "Chile", "PROPN", "NNP", "nsubj", 1), ("plans", "plan", "VERB", "VBZ", "ROOT", 1),
        ("to", "to", "PART", "TO", "aux", 3), ("visit", "visit", "VERB", "VB", "xcomp", 1),
        ("Peru", "Peru", "PROPN", "NNP", "dobj", 3)], 3, ("planned", "plans")),
    ("a governor of denial", [
        ("Peru", "Peru", "PROPN", "NNP", "nsubj", 1), ("denied", "deny", "VERB", "VBD", "ROOT", 1),
        ("that", "that", "SCONJ", "IN", "mark", 4), ("Chile", "Chile", "PROPN", "NNP", "nsubj", 4),
        ("attacked", "attack", "VERB", "VBD", "ccomp", 1)], 4, ("denied", "denied")),
    ("a reporting governor", [
        ("Officials", "official", "NOUN", "NNS", "nsubj", 1), ("said", "say", "VERB", "VBD", "ROOT", 1),
        ("Chile", "Chile", "PROPN", "NNP", "nsubj", 3), ("attacked", "attack", "VERB", "VBD", "ccomp", 1),
        ("Peru", "Peru", "PROPN", "NNP", "dobj", 3)], 3, ("reported", "said")),
    ("a hearsay modifier of an event noun", [
        ("The", "the", "DET", "DT", "det", 2), ("alleged", "alleged", "ADJ", "JJ", "amod", 2),
        ("raid", "raid", "NOUN", "NN", "nsubj", 3), ("ended", "end", "VERB", "VBD", "ROOT", 3)], 2,
     ("unconfirmed", "alleged")),
    ("the strongest cue wins: a denial over a future modal", [
        ("Peru", "Peru", "PROPN", "NNP", "nsubj", 1), ("denied", "deny", "VERB", "VBD", "ROOT", 1),
        ("that", "that", "SCONJ", "IN", "mark", 5), ("Chile", "Chile", "PROPN", "NNP", "nsubj", 5),
        ("would", "would", "AUX", "MD", "aux", 5), ("attack", "attack", "VERB", "VB", "ccomp", 1)], 5,
     ("denied", "denied")),
]


@pytest.mark.parametrize("label, rows, trigger, expected", CASES, ids=[c[0] for c in CASES])
def test_event_status_from_the_parse(lex: Lexicon, label: str, rows: list[Row], trigger: int,
                                     expected: tuple[str, str | None]) -> None:
    assert event_status(parse(rows)[trigger], lex) == expected, label


@pytest.mark.parametrize("cues, expected", [
    (StatusCues(), ("asserted", None)),
    (StatusCues(parse=("hypothetical", "may"), future_date="on Monday"), ("hypothetical", "may")),
    (StatusCues(future_date="on Monday"), ("planned", "on Monday")),
    (StatusCues(in_quote=True, quote_cue="said"), ("reported", "said")),
    (StatusCues(future_date="on Monday", in_quote=True, quote_cue="said"), ("planned", "on Monday")),
    (StatusCues(parse=("reported", "said"), self_report=True), ("asserted", "said")),
    (StatusCues(in_quote=True, quote_cue="told", self_report=True), ("asserted", "told")),
    (StatusCues(parse=("denied", "denied"), self_report=True), ("denied", "denied")),
])
def test_decide_status(cues: StatusCues, expected: tuple[str, str | None]) -> None:
    assert decide_status(cues) == expected


@pytest.mark.parametrize("best, others, expected", [
    ("asserted", ["asserted", "planned"], "planned"),
    ("asserted", ["asserted", "reported"], "asserted"),
    ("reported", ["planned"], "reported"),
    ("negated", ["planned"], "negated"),
])
def test_group_status(best: str, others: list[str], expected: str) -> None:
    assert group_status(best, others) == expected
