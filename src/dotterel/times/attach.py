"""Which time mention dates a clause, from the dependency tree.

A time mention *anchors* on the token it modifies: climb out of the mention and through
its preposition ("met **on** Thursday" → *met*; "a call on Thursday" → *call*; "pay a visit
from Monday to Wednesday" → *pay*; npadvmod/tmod such as "said Friday" → *said*).
:func:`time_for_token` looks for mentions anchored on the token itself, then on the words
of its clause: up from a noun to its verb, the verb's objects and prepositional nouns, its
xcomp, and the verb it is coordinated with or controlled by. It never enters another clause
(ccomp, advcl, relcl), so *said* in "Xi will visit from Monday to Wednesday, the ministry
said Friday" gets *Friday*, and *visit* gets *from Monday to Wednesday*.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from spacy.tokens import Doc, Token

from dotterel.spans import TimeMention
from dotterel.times.tense import REPORTING, governing_verb, verb_tense

#: "a day after X", "two weeks before X": the measure words and their length in days
_MEASURE_UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7}
_MEASURE_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                   "eight": 8, "nine": 9, "ten": 10}

#: links followed upwards from a word to the verb of its clause
CLIMB_DEPS = {"dobj", "pobj", "prep", "nsubj", "nsubjpass", "attr", "compound", "amod", "appos", "dative", "oprd", "agent"}
OBJECT_DEPS = {"dobj", "attr", "nsubjpass", "oprd", "dative"}
#: verbs of an event's phase: a relative clause with one of them dates the noun it describes
#: ("the strike, which began Nov 24"; "the talks that ended on Monday")
PHASE_VERBS = frozenset({"begin", "start", "end", "finish", "conclude", "resume", "erupt", "occur", "happen",
                         "open", "close", "break", "take"})
RELATIVE_PRONOUNS = frozenset({"which", "that"})


def anchor(doc: Doc, start: int, end: int) -> Token:
    """The token the mention ``doc[start:end]`` modifies (its own root if it modifies nothing)."""
    tok = doc[start:end].root
    for _ in range(len(doc)):  # bounded: a parse tree is never deeper than the document
        head = tok.head
        if head.i == tok.i:
            break
        if start <= head.i < end or (tok.dep_ in ("pobj", "pcomp") and head.pos_ == "ADP"):
            tok = head
            continue
        return head
    return tok


def _clause_tokens(tok: Token) -> list[Token]:
    """``tok`` and the words of its clause, in the order their time mentions are preferred."""
    return list(_clause_order(tok))


def _clause_order(tok: Token) -> Iterator[Token]:
    """:func:`_clause_tokens` one at a time, each token once: a caller that stops at the first token
    with a time mention does not walk the rest of the clause."""
    seen: set[int] = set()
    for t in _clause_walk(tok):
        if t.i not in seen:
            seen.add(t.i)
            yield t


def _clause_walk(tok: Token) -> Iterator[Token]:
    """The words of the clause in preference order, repeats included."""
    yield tok
    if tok.pos_ in ("NOUN", "PROPN"):
        yield from (c for c in tok.children if _describes_noun(c))
    t = tok
    for _ in range(len(tok.doc)):
        if t.pos_ in ("VERB", "AUX") or t.head.i == t.i or t.dep_ not in CLIMB_DEPS:
            break
        t = t.head
        yield t
    verb = t if t.pos_ in ("VERB", "AUX") else None
    if verb is None:
        return
    heads = [verb]
    if verb.dep_ in ("xcomp", "conj") and verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX"):
        heads.append(verb.head)
    for v in heads:
        yield v
        for c in v.children:
            if c.dep_ in OBJECT_DEPS or c.dep_ == "xcomp":
                yield c
            elif c.dep_ == "prep":
                yield from (p for p in c.children if p.dep_ == "pobj" and p.pos_ == "NOUN")
    for v in heads:  # last: a dated subject event ("the unrest on Tuesday led the cabinet to deploy")
        yield from (c for c in v.children if c.dep_ == "nsubj" and c.pos_ == "NOUN")


def _describes_noun(c: Token) -> bool:
    """A clause telling when the noun it hangs off happened: a reduced relative ("a blacklist announced
    last week", also when the participle is tagged as a past tense) or a relative clause whose relative
    pronoun is the subject of a verb of the event's phase ("the strike, which began Nov 24")."""
    if c.dep_ not in ("acl", "relcl"):
        return False
    if c.tag_ == "VBN" or (c.dep_ == "acl" and c.tag_ == "VBD" and not any(k.dep_ == "nsubj" for k in c.children)):
        return True
    return c.lemma_.lower() in PHASE_VERBS and any(
        k.dep_ in ("nsubj", "nsubjpass") and k.lower_ in RELATIVE_PRONOUNS for k in c.children)


_CACHE_KEY = "dotterel.time_anchors"


def anchors(doc: Doc, mentions: list[TimeMention]) -> dict[int, list[TimeMention]]:
    """Time mentions by the token they anchor on; computed once per Doc and list of mentions
    (kept in ``doc.user_data``), so dating every event costs one pass, not one per event."""
    cached = doc.user_data.get(_CACHE_KEY)
    if cached is not None and cached[0] is mentions and cached[1] == len(mentions):
        found: dict[int, list[TimeMention]] = cached[2]
        return found
    by_anchor: dict[int, list[TimeMention]] = {}
    for m in mentions:
        by_anchor.setdefault(anchor(doc, m.start, m.end).i, []).append(m)
    doc.user_data[_CACHE_KEY] = (mentions, len(mentions), by_anchor)
    return by_anchor


def _best(mentions: list[TimeMention], token_i: int) -> TimeMention:
    def key(m: TimeMention) -> tuple[int, int, int]:
        width = (m.last - m.first).days if m.first and m.last else 10**6
        return (m.first is None, width, abs(m.start - token_i))

    return min(mentions, key=key)


def time_for_token(doc: Doc, token_i: int) -> TimeMention | None:
    """The time mention that dates the clause of ``doc[token_i]`` (None if there is none).

    Reads ``doc._.time_mentions`` (written by the ``dotterel_times`` component). When several
    mentions hang off the same word, the narrowest resolved one wins, then the nearest.
    A clause with no time of its own borrows one (see :func:`_borrowed`).
    """
    mentions = doc._.time_mentions or []
    if not mentions:
        return None
    return _time_for(doc, token_i, anchors(doc, mentions), 0)


def _time_for(doc: Doc, token_i: int, by_anchor: dict[int, list[TimeMention]], depth: int) -> TimeMention | None:
    for cand in _clause_order(doc[token_i]):
        found = [m for m in by_anchor.get(cand.i, []) if not m.start <= token_i < m.end]
        if found:
            return _best(found, token_i)
    return _borrowed(doc, token_i, by_anchor, depth) if depth < 3 else None


def _measure(verb: Token) -> tuple[int, list[Token]] | None:
    """Signed days of "a day after X" / "two weeks before X" on the clause of X, and its words."""
    mark = next((c for c in verb.children if c.dep_ == "mark" and c.lower_ in ("after", "before")), None)
    if mark is None:
        return None
    unit = next((c for c in verb.children if c.dep_ == "npadvmod" and c.lower_ in _MEASURE_UNITS and c.i < mark.i), None)
    if unit is None:
        return None
    count = next((c for c in unit.children if c.lower_ in _MEASURE_COUNTS or c.like_num), None)
    if count is None:
        return None
    n = _MEASURE_COUNTS.get(count.lower_) or (int(count.text) if count.text.isdigit() else 0)
    if n <= 0:
        return None
    days = n * _MEASURE_UNITS[unit.lower_]
    # X happened `days` before the main clause ("a day after X") or after it ("a day before X")
    return (-days if mark.lower_ == "after" else days), [count, unit, mark]


def _borrowed(doc: Doc, token_i: int, by_anchor: dict[int, list[TimeMention]], depth: int) -> TimeMention | None:
    """The time of a clause that names none, from the clause above it:

    * "…, a day after protesters stormed parliament": the main clause's day shifted by the measure;
    * a reported clause in the past ("announced on Monday that he had signed"): the report's time
      (the event happened by then); the complement of a verb that is not a reporting verb
      ("feared on Monday that …") likewise, unless it points forward.
    """
    verb = governing_verb(doc[token_i])
    if verb is None or verb.head.i == verb.i:
        return None
    measured = _measure(verb)
    if measured is not None:
        days, words = measured
        ref = None
        head = verb.head
        for _ in range(4):  # the nearest dated clause above: "said Wednesday he would veto …, a day after X"
            ref = _time_for(doc, head.i, by_anchor, 3)  # its own clause only
            if ref is not None or head.head.i == head.i:
                break
            head = head.head
        if ref is None or ref.first is None or ref.granularity not in ("day", "part"):
            return None
        d = ref.first + dt.timedelta(days=days)
        lo, hi = min(w.i for w in words), max(w.i for w in words) + 1
        span = doc[lo:hi]
        return TimeMention(start=lo, end=hi, start_char=span.start_char, end_char=span.end_char, text=span.text,
                           first=d, last=d, value=d.isoformat(), granularity="day")
    if verb.dep_ == "ccomp":
        tense = verb_tense(verb)
        reported = verb.head.lemma_ in REPORTING or verb.head.lemma_ in ("announce", "reveal", "admit")
        if (reported and tense == "past") or (not reported and tense != "future"):
            return _time_for(doc, verb.head.i, by_anchor, depth + 1)
    return None
