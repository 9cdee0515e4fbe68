"""Issue 15: the coder's attribute ruler (nlp/attributes.py) finds exactly the matches spaCy's finds, its
lemmatizer (nlp/lemmas.py) gives spaCy's lemmas, and the coder's base pipes leave every token exactly as
the model's own pipes leave it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy
import pytest
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler

from dotterel.nlp import load_base_pipeline
from dotterel.nlp.attributes import IndexedAttributeRuler, index_attribute_ruler
from dotterel.pipeline import Coder

ROOT = Path(__file__).resolve().parents[1]
#: invented sentences that reach the model's exception patterns (contractions, "gonna", "y'all",
#: "let's", existential "there", pronoun case, auxiliaries, "but" as an adverb, whitespace tokens)
ODD = [
    "We're gonna see what they got ta say, y'all, and it ain't over. Let's go.",
    "C'mon, there is no deal and there were never talks.  I told you it was them who had done it.",
    "They did. Did she? It has been done, but the minister had already left.\n\n  Yall know it.",
    "What do you think? Which side fired first is unclear; that is what the panel said.",
]


def _texts() -> list[str]:
    stories = [json.loads(p.read_text(encoding="utf-8"))["text"] for p in sorted((ROOT / "gold" / "articles").glob("*.json"))]
    return ODD + stories[:8]


@pytest.fixture(scope="module")
def reference(coder: Coder) -> Language:
    return load_base_pipeline(coder.settings.model)


def test_the_coder_runs_the_indexed_ruler_and_the_array_lemmatizer(coder: Coder) -> None:
    from dotterel.nlp.lemmas import ArrayLemmatizer

    assert type(coder.nlp.get_pipe("attribute_ruler")) is IndexedAttributeRuler
    assert type(coder.nlp.get_pipe("lemmatizer")) is ArrayLemmatizer


def test_same_matches_and_same_tokens_as_spacys_ruler(coder: Coder, reference: Language) -> None:
    ours, theirs = coder.nlp.get_pipe("attribute_ruler"), reference.get_pipe("attribute_ruler")
    assert type(theirs) is AttributeRuler
    cols = [POS, TAG, MORPH, LEMMA, DEP, HEAD, SENT_START, ENT_IOB, ENT_TYPE]
    n_matches = 0
    for text in _texts():
        doc = reference.make_doc(text)
        for name, proc in reference.pipeline:
            if name == "attribute_ruler":
                break
            doc = proc(doc)
        expected = theirs.match(doc)
        assert ours.match(doc) == expected
        n_matches += len(expected)
        a = reference(text)
        b = coder.nlp.make_doc(text)
        for name, proc in coder.nlp.pipeline:
            if name in reference.pipe_names:
                b = proc(b)
        assert numpy.array_equal(a.to_array(cols), b.to_array(cols)), text[:60]
        assert [t.morph.to_json() for t in a] == [t.morph.to_json() for t in b]
    assert n_matches > 1000


def test_a_pattern_the_index_cannot_read_leaves_spacys_ruler() -> None:
    blank = Language()
    blank.add_pipe("attribute_ruler").add([[{"LOWER": "talks", "OP": "+"}]], {"POS": "NOUN"})
    assert not index_attribute_ruler(blank)
    assert type(blank.get_pipe("attribute_ruler")) is AttributeRuler


def test_an_indexed_ruler_applies_its_patterns_in_order() -> None:
    nlp = Language()
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "talks"}]], {"TAG": "NNS"})
    ruler.add([[{"LOWER": "peace"}, {"LOWER": "talks"}]], {"TAG": "NNP"}, index=1)  # a later rule wins
    ruler.add([[{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}]], {"LEMMA": "you"})
    assert index_attribute_ruler(nlp)
    assert type(nlp.get_pipe("attribute_ruler")) is IndexedAttributeRuler
    doc = nlp("Talks and peace talks, y all")
    assert [t.tag_ for t in doc] == ["NNS", "", "", "NNP", "", "", ""]
    assert doc[5].lemma_ == "you"
