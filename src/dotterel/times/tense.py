"""The tense of the clause a time expression belongs to, from its governing verb.

Only what the normaliser needs: ``"future"`` (the expression points forward: *will*,
*would*, modals, *is to*, *plans/expects/is scheduled to*, *going to*, present progressive,
scheduled simple present such as *the summit begins Monday*), ``"past"`` (simple past,
perfect, past passive, bare past participle) or ``None`` (unknown: reporting verbs in the
present, copulas, no verb at all).
"""

from __future__ import annotations

from spacy.tokens import Token

from dotterel.words import english_words

_WORDS = english_words()
#: modal auxiliaries (``english/words.toml`` [modals]): "will visit", "could meet", "won't" ("wo")
FUTURE_AUX = _WORDS.modals
PERFECT_AUX = {"has", "have", "had", "'ve"}
PAST_AUX = {"did", "was", "were"}
#: heads of a to-infinitive that point forward: "is to visit", "plans to visit", "going to visit"
FUTURE_HEADS = {
    "be", "plan", "expect", "schedule", "set", "due", "intend", "aim", "hope", "want", "prepare",
    "seek", "agree", "promise", "vow", "pledge", "threaten", "go", "decide", "propose", "offer", "wish",
}  # fmt: skip
#: verbs whose present tense is scheduled-future ("the talks are scheduled for Monday")
FUTURE_VERBS = {"plan", "schedule", "expect", "set", "due", "slate"}
#: reporting verbs (``english/words.toml`` [reporting_verbs]): their present tense is not a scheduled future
REPORTING = _WORDS.reporting_verbs


def governing_verb(tok: Token) -> Token | None:
    """The nearest verb at or above ``tok`` in the dependency tree."""
    for _ in range(10):
        if tok.pos_ in ("VERB", "AUX"):
            return tok
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def verb_tense(verb: Token, depth: int = 0) -> str | None:
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if aux & FUTURE_AUX:
        return "past" if aux & {"have", "'ve"} else "future"  # "could have met" is past
    if "to" in aux:  # infinitive: look at what governs it
        head = verb.head
        if head.i == verb.i or head.pos_ in ("NOUN", "PROPN"):
            return "future"  # headline "Xi to visit Russia"
        if head.lemma_ in FUTURE_HEADS:
            return None if head.lemma_ == "be" and head.tag_ == "VBD" else "future"  # "was to visit"
        return verb_tense(head, depth + 1) if depth < 3 else None
    if aux & PERFECT_AUX or aux & PAST_AUX or verb.tag_ == "VBD":
        return "past"
    if verb.lemma_ in FUTURE_VERBS and verb.tag_ in ("VBN", "VBZ", "VBP"):
        return "future"  # "are scheduled for", "talks, set for March 20"
    if verb.tag_ == "VBN" and not aux:
        if verb.dep_ == "conj" and depth < 3:
            return verb_tense(verb.head, depth + 1)
        return "past"  # reduced relative: "a proposal released last month"
    if verb.dep_ in ("conj", "xcomp") and not aux and verb.head.i != verb.i and depth < 3:
        return verb_tense(verb.head, depth + 1)
    if verb.tag_ == "VBG" and aux & {"is", "are", "am", "'re", "'m"}:
        return "future"  # "is hosting Xi on Monday"
    if verb.tag_ in ("VBZ", "VBP") and verb.pos_ == "VERB" and verb.lemma_ not in REPORTING:
        return "future"  # "the summit begins Monday"
    return None


def clause_tense(tok: Token) -> str | None:
    """Tense of the clause governing ``tok`` (see the module docstring)."""
    verb = governing_verb(tok)
    return verb_tense(verb) if verb is not None else None
