"""quotes.cues and quotes.component rules on Docs built by hand (words, tags, dependencies): no model."""

from __future__ import annotations

from docrows import parsed
from spacy.tokens import Doc

from dotterel.nlp.extensions import register_extensions
from dotterel.quotes.component import might_quote, phrase_keys
from dotterel.quotes.cues import (
    MentionIndex,
    PhraseIndex,
    find_phrases,
    is_cue_verb,
    load_lexicon,
    negated,
    subject_token,
    verb_cue,
)
from dotterel.spans import Actor, ActorMention

LEX = load_lexicon()
register_extensions()


# "The minister said in a statement that talks would resume ."
SAID_IN_STATEMENT = """
The DT DET det 1
minister NN NOUN nsubj 2
said VBD VERB ROOT 2 say
in IN ADP prep 2
a DT DET det 5
statement NN NOUN pobj 3
that IN SCONJ mark 9
talks NNS NOUN nsubj 9 talk
would MD AUX aux 9
resume VB VERB ccomp 2
. . PUNCT punct 2
"""
# "The minister did not say it ."
DID_NOT_SAY = """
The DT DET det 1
minister NN NOUN nsubj 4
did VBD AUX aux 4 do
not RB PART neg 4
say VB VERB ROOT 4
it PRP PRON dobj 4
. . PUNCT punct 4
"""
# "Talks will resume , according to the ministry ."
ACCORDING_TO = """
Talks NNS NOUN nsubj 2 talk
will MD AUX aux 2
resume VB VERB ROOT 2
, , PUNCT punct 2
according VBG VERB prep 2
to IN ADP prep 4
the DT DET det 7
ministry NN NOUN pobj 5
. . PUNCT punct 2
"""
# "The envoy , who spoke at a regular briefing , denied it ."
RELATIVE = """
The DT DET det 1
envoy NN NOUN nsubj 10
, , PUNCT punct 1
who WP PRON nsubj 4
spoke VBD VERB relcl 1 speak
at IN ADP prep 4
a DT DET det 8
regular JJ ADJ amod 8
briefing NN NOUN pobj 5
, , PUNCT punct 1
denied VBD VERB ROOT 10 deny
it PRP PRON dobj 10
. . PUNCT punct 10
"""


def _minister(doc: Doc) -> ActorMention:
    span = doc[0:2]
    return ActorMention(start=0, end=2, start_char=span.start_char, end_char=span.end_char, text=span.text,
                        actors=[Actor(name="minister", country="ZZZ", sector="GOV", kind="person")], kind="name", head=1)


def test_reporting_verb_is_a_cue_with_its_subject_and_channel() -> None:
    doc = parsed(SAID_IN_STATEMENT)
    said = doc[2]
    assert is_cue_verb(said, LEX) and not negated(said)
    assert not is_cue_verb(doc[9], LEX)  # "resume"
    subj = subject_token(said)
    assert subj is not None and subj.i == 1
    index = MentionIndex([_minister(doc)])
    cue = verb_cue(said, set(), index, LEX)
    assert cue.text == "said" and cue.token == 2 and cue.channel == "statement"
    assert cue.speaker is not None and cue.speaker.text == "The minister"


def test_negated_cue() -> None:
    doc = parsed(DID_NOT_SAY)
    assert is_cue_verb(doc[4], LEX) and negated(doc[4])


def test_subject_of_a_relative_clause_is_the_noun_it_describes() -> None:
    doc = parsed(RELATIVE)
    subj = subject_token(doc[4])
    assert subj is not None and subj.i == 1  # "who spoke" -> envoy
    spans = find_phrases(doc, LEX, 0, len(doc))
    assert [s.text for s in spans] == ["at a regular briefing"]  # a modifier skipped before the last word


def test_phrase_cues_by_range() -> None:
    doc = parsed(ACCORDING_TO)
    index = PhraseIndex(doc, LEX)
    assert [s.text for s in index.find(0, len(doc))] == ["according to"]
    assert index.find(0, 5) == []  # the phrase does not fit in the range
    assert index.find(5, len(doc)) == []  # nor does it start in it
    assert [s.text for s in index.find(4, 6)] == ["according to"]
    doc2 = parsed(SAID_IN_STATEMENT)
    assert [s.text for s in PhraseIndex(doc2, LEX).find(0, len(doc2))] == ["in a statement"]
    assert find_phrases(doc2, LEX, 0, 5) == []  # "in a" without its noun


def test_might_quote_gate() -> None:
    keys = phrase_keys(LEX)
    assert might_quote(parsed(SAID_IN_STATEMENT), LEX, keys)  # a reporting verb
    assert might_quote(parsed(ACCORDING_TO), LEX, keys)  # a phrase cue's key word
    quiet = parsed("""
Talks NNS NOUN nsubj 2 talk
will MD AUX aux 2
resume VB VERB ROOT 2
. . PUNCT punct 2
""")
    assert not might_quote(quiet, LEX, keys)
    assert might_quote(quiet, LEX, keys, text="“ Talks will resume . ”")  # a quotation mark


def test_capitalised_phrase_words_match_as_written() -> None:
    rows = """
He PRP PRON nsubj 1
wrote VBD VERB ROOT 1 write
on IN ADP prep 1
Twitter NNP PROPN pobj 2
"""
    doc = parsed(rows)
    assert [s.text for s in PhraseIndex(doc, LEX).find(0, len(doc))] == ["on Twitter"]
    lower = parsed(rows.replace("Twitter NNP PROPN", "twitter NN NOUN"))
    assert PhraseIndex(lower, LEX).find(0, len(lower)) == []
