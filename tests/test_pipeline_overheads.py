"""Issue 15: the coder's own overheads around spaCy (garbage collector, per-stage bookkeeping) — what
they do, not how fast (no timed assertions; bench/throughput.py measures)."""

from __future__ import annotations

import gc

from spacy.language import Language
from spacy.tokens import Doc

from dotterel.ingest import document_from_text
from dotterel.pipeline import Coder

TEXT = "Police arrested 40 protesters in Minsk on Sunday, the interior ministry said."
SEEN: list[bool] = []


@Language.component("test_gc_probe")
def _probe(doc: Doc) -> Doc:
    SEEN.append(gc.isenabled())
    return doc


def _code_with_probe(coder: Coder) -> None:
    coder.nlp.add_pipe("test_gc_probe", name="gc_probe")
    try:
        coded = list(coder.code_documents([document_from_text(TEXT, f"g{k}", coder.settings) for k in range(3)]))
    finally:
        coder.nlp.remove_pipe("gc_probe")
    assert [c.errors for c in coded] == [[], [], []]


def test_collector_is_paused_while_a_batch_is_coded_and_restored_after(coder: Coder) -> None:
    SEEN.clear()
    assert gc.isenabled()
    _code_with_probe(coder)
    assert SEEN == [False, False, False]
    assert gc.isenabled()


def test_a_collector_the_caller_disabled_stays_disabled(coder: Coder) -> None:
    gc.disable()
    try:
        _code_with_probe(coder)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_token_strings_are_the_tokens_strings_read_once_per_doc(coder: Coder) -> None:
    from dotterel.nlp import doc_text, token_strings

    doc = coder.nlp("The Foreign Ministers met in GENEVA on Tuesday.\n\nTalks RESUMED, officials said.")
    text, lower, lemma = token_strings(doc)
    assert text == [t.text for t in doc]
    assert lower == [t.lower_ for t in doc]
    assert lemma == [t.lemma_.lower() for t in doc]
    assert token_strings(doc) is token_strings(doc)  # kept in doc.user_data
    assert doc_text(doc) == doc.text and doc_text(doc) is doc_text(doc)


def test_the_coder_remembers_the_text_a_doc_was_made_from(coder: Coder) -> None:
    """make_doc hands the (debris-masked) text to doc_text: the stages never join the tokens again."""
    from dotterel.nlp import doc_text

    text = "Talks resumed in Geneva on Monday.\nAdvertisement\nThe two sides met again, officials said.\n"
    doc = coder.make_doc(document_from_text(text, "t", coder.settings))
    assert doc.user_data.get("dotterel.text") == doc.text == doc_text(doc)
    assert "Advertisement" not in doc_text(doc) and len(doc_text(doc)) == len(text)


def test_records_built_without_validation_serialise_as_validated_ones(coder: Coder) -> None:
    """The assembly's direct constructor (no validation) gives the same JSON, key order included, as the
    validated model: a guard for the fast path that takes the keywords as the fields."""
    from dotterel.records.models import CodedDocument

    text = ("Chinese Foreign Minister Wang Yi met his Russian counterpart in Moscow on Tuesday. "
            "\u201cWe will deepen our cooperation,\u201d Wang said. Police later detained 12 protesters.")
    coded = coder.code(document_from_text(text, "r", coder.settings, date=None))
    assert coded.events and coded.actors and coded.quotes
    dumped = coded.model_dump_json()
    assert CodedDocument.model_validate_json(dumped).model_dump_json() == dumped
