"""Rule modules of the events stage on hand-built parses (no model): roles (subjects through
control, passives, relative clauses, coordination), senses (choosing between alternative rows),
arguments (sports results and natural hazards are not political events). Sentences are invented;
tokens, lemmas, tags and arcs are written out."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from dotterel.events.arguments import is_noise
from dotterel.events.lexicon import Lexicon, load_lexicon
from dotterel.events.roles import subject_of
from dotterel.events.senses import choose_sense

# (word, lemma, pos, tag, dep, head index)
Row = tuple[str, str, str, str, str, int]
VOCAB = spacy.blank("en").vocab


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return load_lexicon()


def parse(rows: list[Row]) -> Doc:
    return Doc(VOCAB, words=[r[0] for r in rows], spaces=[True] * (len(rows) - 1) + [False],
               lemmas=[r[1] for r in rows], pos=[r[2] for r in rows], tags=[r[3] for r in rows],
               deps=[r[4] for r in rows], heads=[r[5] for r in rows])


# -- roles.subject_of -----------------------------------------------------------------------------------

SUBJECTS: list[tuple[str, list[Row], int, str | None]] = [
    ("own subject", [
        ("Chile", "Chile", "PROPN", "NNP", "nsubj", 1), ("visited", "visit", "VERB", "VBD", "ROOT", 1),
        ("Peru", "Peru", "PROPN", "NNP", "dobj", 1)], 1, "Chile"),
    ("passive by-agent", [
        ("Peru", "Peru", "PROPN", "NNP", "nsubjpass", 2), ("was", "be", "AUX", "VBD", "auxpass", 2),
        ("visited", "visit", "VERB", "VBN", "ROOT", 2), ("by", "by", "ADP", "IN", "agent", 2),
        ("Chile", "Chile", "PROPN", "NNP", "pobj", 3)], 2, "Chile"),
    ("passive without agent: nobody", [
        ("Talks", "talk", "NOUN", "NNS", "nsubjpass", 2), ("were", "be", "AUX", "VBD", "auxpass", 2),
        ("held", "hold", "VERB", "VBN", "ROOT", 2)], 2, None),
    ("subject control", [
        ("Chile", "Chile", "PROPN", "NNP", "nsubj", 1), ("agreed", "agree", "VERB", "VBD", "ROOT", 1),
        ("to", "to", "PART", "TO", "aux", 3), ("withdraw", "withdraw", "VERB", "VB", "xcomp", 1)], 3, "Chile"),
    ("object control", [
        ("Chile", "Chile", "PROPN", "NNP", "nsubj", 1), ("urged", "urge", "VERB", "VBD", "ROOT", 1),
        ("Peru", "Peru", "PROPN", "NNP", "dobj", 1), ("to", "to", "PART", "TO", "aux", 4),
        ("withdraw", "withdraw", "VERB", "VB", "xcomp", 1)], 4, "Peru"),
    ("coordination shares the subject", [
        ("Chile", "Chile", "PROPN", "NNP", "nsubj", 1), ("protested", "protest", "VERB", "VBD", "ROOT", 1),
        ("and", "and", "CCONJ", "CC", "cc", 1), ("recalled", "recall", "VERB", "VBD", "conj", 1),
        ("envoys", "envoy", "NOUN", "NNS", "dobj", 3)], 3, "Chile"),
    ("relative pronoun as subject (MentionIndex.fillers resolves it)", [
        ("Envoys", "envoy", "NOUN", "NNS", "nsubj", 4), ("who", "who", "PRON", "WP", "nsubj", 2),
        ("met", "meet", "VERB", "VBD", "relcl", 0), ("Peru", "Peru", "PROPN", "NNP", "dobj", 2),
        ("left", "leave", "VERB", "VBD", "ROOT", 4)], 2, "who"),
]


@pytest.mark.parametrize("label, rows, verb, expected", SUBJECTS, ids=[s[0] for s in SUBJECTS])
def test_subject_of(label: str, rows: list[Row], verb: int, expected: str | None) -> None:
    found = subject_of(parse(rows)[verb])
    assert (found.text if found is not None else None) == expected, label


def test_subject_of_inherited_from_the_noun_a_clause_modifies() -> None:
    relative: list[Row] = [
        ("Envoys", "envoy", "NOUN", "NNS", "nsubj", 3), ("sent", "send", "VERB", "VBN", "relcl", 0),
        ("there", "there", "ADV", "RB", "advmod", 1), ("left", "leave", "VERB", "VBD", "ROOT", 3)]
    participle: list[Row] = [
        ("Protesters", "protester", "NOUN", "NNS", "nsubj", 3), ("demanding", "demand", "VERB", "VBG", "acl", 0),
        ("reform", "reform", "NOUN", "NN", "dobj", 1), ("marched", "march", "VERB", "VBD", "ROOT", 3)]
    for rows, expected in ((relative, "Envoys"), (participle, "Protesters")):
        found = subject_of(parse(rows)[1])
        assert found is not None and found.text == expected


# -- senses.choose_sense --------------------------------------------------------------------------------

def _verb_with_object(verb: str, lemma: str, obj: str, obj_lemma: str) -> Doc:
    return parse([("Chile", "Chile", "PROPN", "NNP", "nsubj", 1), (verb, lemma, "VERB", "VBD", "ROOT", 1),
                  ("the", "the", "DET", "DT", "det", 3), (obj, obj_lemma, "NOUN", "NN", "dobj", 1)])


@pytest.mark.parametrize("verb, lemma, obj, obj_lemma, expected", [
    ("attacked", "attack", "policy", "policy", "ACCUSE"),
    ("attacked", "attack", "convoy", "convoy", "ASSAULT"),
    ("expelled", "expel", "ambassador", "ambassador", "SANCTION"),
    ("expelled", "expel", "migrants", "migrant", "COERCE"),
])
def test_choose_sense_by_object(lex: Lexicon, verb: str, lemma: str, obj: str, obj_lemma: str, expected: str) -> None:
    cands = lex.triggers[(lemma, "VERB")]
    assert {t.event_type for t in cands} >= {expected}, "the [alt] rows are in triggers.tsv"
    tok = _verb_with_object(verb, lemma, obj, obj_lemma)[1]
    assert choose_sense(tok, cands, lex.words).event_type == expected


# -- arguments.is_noise ------------------------------------------------------------------------------------

def test_sports_result_is_noise_for_sports_prone_types(lex: Lexicon) -> None:
    doc = parse([("Chile", "Chile", "PROPN", "NNP", "nsubj", 1), ("beat", "beat", "VERB", "VBD", "ROOT", 1),
                 ("Peru", "Peru", "PROPN", "NNP", "dobj", 1), ("2-1", "2-1", "NUM", "CD", "npadvmod", 1)])
    assert is_noise(doc[1], True, lex.words)
    assert not is_noise(doc[1], False, lex.words)  # a type without the sports_noise trait


def test_natural_hazard_subject_is_noise(lex: Lexicon) -> None:
    doc = parse([("An", "an", "DET", "DT", "det", 1), ("earthquake", "earthquake", "NOUN", "NN", "nsubj", 2),
                 ("struck", "strike", "VERB", "VBD", "ROOT", 2), ("Peru", "Peru", "PROPN", "NNP", "dobj", 2)])
    assert is_noise(doc[2], False, lex.words)


def test_a_real_attack_is_not_noise(lex: Lexicon) -> None:
    doc = parse([("Rebels", "rebel", "NOUN", "NNS", "nsubj", 1), ("attacked", "attack", "VERB", "VBD", "ROOT", 1),
                 ("a", "a", "DET", "DT", "det", 3), ("convoy", "convoy", "NOUN", "NN", "dobj", 1)])
    assert not is_noise(doc[1], True, lex.words)
