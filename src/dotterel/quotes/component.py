"""The ``dotterel_quotes`` component: direct, partial and indirect quotations with cue, channel
and speaker, written to ``doc._.quote_mentions`` (a list of :class:`~dotterel.spans.QuoteMention`
in text order).

* **direct**: a quotation set off as a sentence or clause of its own (it opens a sentence, or
  follows a colon, or a cue and a comma). Its cue is looked for after the closing mark in the
  same sentence (“…,” Wang said), else before the opening mark (Wang said: “…”), else a phrase
  cue (“…,” according to the ministry). A quotation continued over paragraphs (see
  :mod:`dotterel.quotes.marks`) gives one QuoteMention per paragraph, all with the same cue and
  speaker. A direct quotation with no cue of its own that comes right after another quotation
  (same or next sentence) continues that quotation's speaker (``cue`` stays None).
* **partial**: quoted words inside the reporter's sentence. The cue is the reporting verb above
  the quoted words in the parse (It said a number of “…” would be signed), else an
  "according to" phrase in the sentence, else the subject of the governing verb is the speaker
  (with no cue: X dismissed it as “pure propaganda”).
* **indirect**: the ``ccomp`` clause of a reporting verb (X said (that) CLAUSE; also
  "CLAUSE, X said" when parsed as parataxis, and a "that"-clause the parser hung on a noun of the
  verb's phrase), the "that"-clause of an attribution noun with an owner (Wang's assertion that
  CLAUSE), or the clause an "according to X" phrase is attached to. "said that A and that B"
  gives two. The text drops "that", a leading dateline, a trailing ", a claim that …"
  appositive and a trailing "according to" phrase. A clause holding a direct quotation, or ending
  in a partial one, is not reported (the quotation already carries it); a partial quotation
  inside the clause stays in its text, marks included ("Indian troops had “knowingly provoked”
  the clash"); one in a later conjunct is cut off. Negated cues ("did not say") yield nothing.

Speakers are ActorMentions from ``doc._.actor_mentions`` (pronouns arrive resolved by the actors
stage); for "X said, according to a readout by Y" the speaker is X and Y only owns the channel.

Sentences inside ``doc._.skip_ranges`` are ignored.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from dotterel.nlp.extensions import doc_text, register_extensions
from dotterel.quotes.cues import (
    ARTICLES,
    CHANNEL_PREPS,
    DETS,
    Cue,
    Lexicon,
    MentionIndex,
    PhraseIndex,
    find_channel,
    is_cue_verb,
    load_lexicon,
    misattached_that_clauses,
    negated,
    owner_of,
    phrase_cue,
    speaker_at,
    subject_token,
    verb_context,
    verb_cue,
)
from dotterel.quotes.marks import QuoteSpan, find_quotes
from dotterel.spans import Actor, ActorMention, QuoteMention
from dotterel.words import english_words

SENT_END = frozenset({".", "!", "?"})
QUOTE_CHARS = "\"“”«»‘„`"
OPENING_PUNCT = frozenset({"—", "–", ":", "(", "["})
#: pronoun speakers and what they can refer to
PRONOUN_SPEAKERS = {"he": "person", "she": "person", "it": "body", "they": "any"}


def _recent(items: list[Any], here: int, window: int) -> Iterator[Any]:
    """Items (tuples starting with a sentence rank, in text order) within ``window`` sentences
    before ``here``, latest first; stops at the first older one, so the scan stays short."""
    for item in reversed(items):
        if here - item[0] > window:
            return
        yield item


def _fits(m: ActorMention, want: str, lex: Lexicon, strict: bool = True) -> bool:
    """Whether a speaker mention can be the referent of a pronoun wanting a person or a body.
    Not ``strict``: a person may be any speaker that is not a state or a body by its head noun
    (named-entity tags often call an unfamiliar person's name an organisation)."""
    if want == "any":
        return True
    kinds = {a.kind for a in m.actors}
    words = m.text.split()
    head = words[-1].lower().strip(".,’'s") if words else ""
    if head in lex.person_nouns or "person" in kinds:
        person = True
    elif head in lex.body_nouns:
        person = False
    elif strict:
        person = not kinds & {"state", "org", "group"}
    else:
        person = "state" not in kinds
    return person if want == "person" else not person


def _as_pronoun(tok: Token, ante: ActorMention) -> ActorMention:
    """A pronoun mention standing for ``ante``; an unnamed antecedent lends its words as the name."""
    name = " ".join(w for w in ante.text.split() if w.lower() not in ARTICLES) or ante.text
    actors = [a if a.name else Actor(a.name or name, a.country, a.sector, a.id, a.kind, a.role) for a in ante.actors]
    return ActorMention(start=tok.i, end=tok.i + 1, start_char=tok.idx, end_char=tok.idx + len(tok.text), text=tok.text,
                        actors=actors, kind="pronoun", head=tok.i, antecedent=ante)


#: a period after these does not end a sentence ("Gen. X said"); english/words.toml [abbreviations]
ABBREVIATIONS = english_words().abbreviations


@functools.lru_cache(maxsize=4)
def cached_lexicon(dirs: tuple[str, ...]) -> Lexicon:
    return load_lexicon(tuple(Path(d) for d in dirs))


@Language.factory(
    "dotterel_quotes",
    requires=["doc._.actor_mentions", "token.dep"],
    assigns=["doc._.quote_mentions"],
    default_config={"resource_dirs": []},
)
def make_quotes(nlp: Language, name: str, resource_dirs: list[str]) -> QuoteFinder:
    register_extensions()
    return QuoteFinder(cached_lexicon(tuple(str(d) for d in resource_dirs)))


class QuoteFinder:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self.keys = phrase_keys(lexicon)  # once per process

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)  # built once per Doc (Doc.text joins every token on each access)
        quotes = might_quote(doc, self.lex, self.keys, text)
        doc._.quote_mentions = _Finder(doc, self.lex, text).run() if quotes else []
        return doc


_OPENING_SINGLE = re.compile(r"(?:^|[\s(\[{—–/-])'\w")


def phrase_keys(lex: Lexicon) -> frozenset[str]:
    """Words one of which every phrase cue contains: its first word ("according") unless that is a
    preposition, and its last ("statement", "briefing", "Twitter")."""
    keys = {words[-1] for words in lex.phrases}
    keys |= {words[0] for words in lex.phrases if words[0] not in CHANNEL_PREPS and words[0] not in DETS}
    return frozenset(keys | {k.lower() for k in keys})


def might_quote(doc: Doc, lex: Lexicon, keys: frozenset[str] | None = None, text: str | None = None) -> bool:
    """Whether ``doc`` can hold a quotation at all: a quotation mark (a straight ' only where it
    can open a quotation, not as an apostrophe) or a reporting cue (a verb or noun lemma, or a
    key word of a phrase cue). One pass over the text and the tokens; ``text`` is ``doc.text``
    when the caller has it."""
    text = doc.text if text is None else text
    if any(c in text for c in QUOTE_CHARS) or _OPENING_SINGLE.search(text):
        return True
    verbs, nouns = lex.verbs, lex.nouns
    keys = phrase_keys(lex) if keys is None else keys
    for tok in doc:
        lemma = tok.lemma_.lower()
        if lemma in verbs or lemma in nouns or tok.lower_ in keys or tok.text in keys or lemma in keys:
            return True
    return False


@dataclass(slots=True)
class _Part:
    span: QuoteSpan
    first: int  # token of the opening mark
    last: int | None  # token of the closing mark
    tokens: list[Token]  # the quoted words
    kind: str = "partial"

    @property
    def end(self) -> int:
        """Token after the closing mark (or after the words when the paragraph ended the quotation)."""
        return (self.last if self.last is not None else self.tokens[-1].i) + 1


class _Finder:
    def __init__(self, doc: Doc, lex: Lexicon, text: str | None = None) -> None:
        self.doc, self.lex = doc, lex
        self.text = doc.text if text is None else text  # built once: Doc.text joins every token on each access
        self.index = MentionIndex(doc._.actor_mentions or [])
        self.skip = list(doc._.skip_ranges or [])
        self.phrases = PhraseIndex(doc, lex)  # also the tokens' strings, read once
        self.starts: list[int] = doc.to_array("IDX").tolist()
        self.sent_starts = [s.start for s in doc.sents]
        self.parts: list[_Part] = []
        for sp in find_quotes(self.text):
            if self._skipped(sp.open, sp.outer_end):
                continue
            first = self._token_at(sp.open)
            last = self._token_at(sp.close) if sp.close is not None else None
            words = doc.char_span(sp.start, sp.end, alignment_mode="expand")
            if words is None or len(words) == 0:
                continue
            self.parts.append(_Part(sp, first, last, [t for t in words if not t.is_space]))
        # parts are in text order and do not overlap: their first and end tokens both increase
        self.part_firsts = [p.first for p in self.parts]
        self.part_ends = [p.end for p in self.parts]
        self.quoted: set[int] = set()
        for p in self.parts:
            self.quoted.update(range(p.first, p.end))

    # -- helpers ----------------------------------------------------------------------------
    def _skipped(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.skip)

    def _sent_of(self, i: int) -> int:
        """Index of the sentence holding token ``i``."""
        return bisect.bisect_right(self.sent_starts, i) - 1

    def _token_at(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.starts, char) - 1)

    def _boundary(self, tok: Token) -> bool:
        if tok.text == "." and tok.i > 0 and not self.doc[tok.i - 1].whitespace_ \
                and self.doc[tok.i - 1].lower_ in ABBREVIATIONS:
            return False  # "Brig. Gen. Sani Usman said"
        return tok.text in SENT_END or (tok.is_space and "\n" in tok.text) or tok.i in self.quoted

    def _post(self, part: _Part) -> list[Token]:
        out: list[Token] = []
        if part.last is None:
            return out
        for tok in self.doc[part.last + 1 :]:
            if self._boundary(tok):
                break
            if not tok.is_space:
                out.append(tok)
        return out

    def _pre(self, part: _Part) -> list[Token]:
        out: list[Token] = []
        i = part.first - 1
        while i >= 0 and not self._boundary(self.doc[i]):
            if not self.doc[i].is_space:
                out.append(self.doc[i])
            i -= 1
        if not out:  # "The ministry said in a statement:\n\n“…”"
            j = i
            while j >= 0 and self.doc[j].is_space:
                j -= 1
            if j >= 0 and self.doc[j].text == ":":
                i = j - 1
                while i >= 0 and not self._boundary(self.doc[i]):
                    if not self.doc[i].is_space:
                        out.append(self.doc[i])
                    i -= 1
        return out[::-1]

    def _prev_token(self, i: int) -> tuple[Token | None, bool]:
        """The previous non-space token and whether a line break lies in between."""
        brk = False
        i -= 1
        while i >= 0 and self.doc[i].is_space:
            brk = brk or "\n" in self.doc[i].text
            i -= 1
        return (self.doc[i] if i >= 0 else None), brk

    def _sentences(self, tokens: list[Token]) -> list[int]:
        return sorted({self._sent_of(t.i) for t in tokens})

    def _mention(self, part: _Part, kind: str, cue: Cue | None) -> QuoteMention:
        sp = part.span
        return QuoteMention(start_char=sp.start, end_char=sp.end, text=self.text[sp.start : sp.end], kind=kind,
                            cue=cue.text if cue else None, cue_token=cue.token if cue else None,
                            channel=cue.channel if cue else None, speaker=cue.speaker if cue else None,
                            sentences=self._sentences(part.tokens))

    # -- direct and partial -----------------------------------------------------------------
    def _is_direct(self, part: _Part, pre: list[Token]) -> bool:
        prev, brk = self._prev_token(part.first)
        if prev is None or brk or prev.text in SENT_END or prev.text in OPENING_PUNCT or prev.i in self.quoted:
            return True
        if prev.text == "," and any(is_cue_verb(t, self.lex) for t in pre):
            return True  # He said, “We …”  /  “A,” he said, “and B.”
        first_word = part.tokens[0].text
        return is_cue_verb(prev, self.lex) and first_word[:1].isupper()  # He said “We …”

    def _pick(self, verbs: list[Token], last: bool) -> Token:
        roots = [v for v in verbs if v.dep_ == "ROOT" or v.head.i in self.quoted]
        pool = roots or verbs
        return pool[-1] if last else pool[0]

    def _direct_cue(self, group: list[_Part]) -> Cue | None:
        first, last = group[0], group[-1]
        post = self._post(last)
        verbs = [t for t in post if is_cue_verb(t, self.lex)]
        if verbs:
            verb = self._pick(verbs, last=False)
            tail = self.text[last.span.end : last.span.close].strip()
            ended = tail[-1:] in SENT_END if tail else False
            if not ended or self._attribution_only(verb, post):
                return verb_cue(verb, self.quoted, self.index, self.lex)
        pre = self._pre(first)
        verbs = [t for t in pre if is_cue_verb(t, self.lex)]
        if verbs:
            return verb_cue(self._pick(verbs, last=True), self.quoted, self.index, self.lex)
        for stretch in (post, pre):
            if stretch:
                spans = self.phrases.find(stretch[0].i, stretch[-1].i + 1)
                if spans:
                    return phrase_cue(spans[0], stretch, self.index, self.lex)
        prev, _ = self._prev_token(first.first)
        if prev is not None and prev.text == ":" and prev.i > 0:
            who = self.index.at(self.doc[prev.i - 1])  # headline style: "Kuleba: “…”"
            if who is not None and who.start == (pre[0].i if pre else who.start):
                return Cue(None, None, who, None)
        return None

    def _attribution_only(self, verb: Token, post: list[Token]) -> bool:
        """After “….” a new sentence may start; accept "Wang said." / "asked Wang." but not
        "Kuleba said he …" or "The visit was confirmed by …"."""
        ids = {t.i for t in post}
        has_subject = any(c.dep_ == "nsubj" and c.i in ids for c in verb.children)
        own_clause = any(c.dep_ == "ccomp" and c.i not in self.quoted for c in verb.children)
        return has_subject and not own_clause and post.index(verb) < 5

    def _partial_cue(self, part: _Part) -> Cue | None:
        inside = {t.i for t in part.tokens}
        roots = [t for t in part.tokens if t.head.i not in inside or t.head.i == t.i]
        node = max(roots, key=lambda t: len(list(t.subtree)))
        fallback: Token | None = None
        while node.head.i != node.i:
            node = node.head
            if node.i in inside:
                continue
            if is_cue_verb(node, self.lex) and not negated(node):
                return verb_cue(node, self.quoted, self.index, self.lex)
            if node.pos_ in {"VERB", "AUX"} and fallback is None:
                subj = subject_token(node)
                if subj is not None and speaker_at(subj, self.index, self.lex) is not None:
                    fallback = node
                    if node.dep_ in {"relcl", "acl"}:
                        break  # "a claim that the minister dismissed as “…”": the minister's words
        sent = self.doc[part.first].sent
        for span in self.phrases.find(sent.start, sent.end):
            if span[0].lower_ == "according" and span.start not in self.quoted:
                return phrase_cue(span, [], self.index, self.lex)
        if fallback is not None:
            speaker = speaker_at(subject_token(fallback), self.index, self.lex)
            if speaker is not None:
                found = find_channel(verb_context(fallback, self.quoted), self.lex)
                return Cue(None, None, speaker, found[0] if found else None)
        return None

    def quotations(self) -> list[QuoteMention]:
        groups: list[list[_Part]] = []
        for p in self.parts:
            if groups and groups[-1][-1].span.group == p.span.group:
                groups[-1].append(p)
            else:
                groups.append([p])
        out: list[QuoteMention] = []
        for group in groups:
            pre = self._pre(group[0])
            direct = len(group) > 1 or self._is_direct(group[0], pre)
            if direct:
                for p in group:
                    p.kind = "direct"
                cue = self._direct_cue(group)
                out.extend(self._mention(p, "direct", cue) for p in group)
            else:
                out.append(self._mention(group[0], "partial", self._partial_cue(group[0])))
        return out

    # -- indirect ---------------------------------------------------------------------------
    def _clause(self, head: Token, lo: int | None = None, hi: int | None = None) -> tuple[int, int] | None:
        """Token range of a reported clause (default: ``head``'s subtree) without its complementizer,
        dateline, trailing appositive ("…, a claim that …") and edge punctuation. A clause holding a
        direct quotation, or ending in a partial one, is None (the quotation already reports it);
        a quotation in a later conjunct is cut off ("said X but would not accept a “…”")."""
        doc = self.doc
        lo = head.left_edge.i if lo is None else lo
        hi = self._without_tail(head, lo, head.right_edge.i + 1 if hi is None else hi)
        cut = self._quotation_cut(head, lo, hi)
        if cut is None:
            return None
        lo, hi = self._trim_edges(lo, cut)
        if hi - lo < 2 or not any(t.pos_ in {"VERB", "AUX"} for t in doc[lo:hi]):
            return None
        return lo, hi

    def _without_tail(self, head: Token, lo: int, hi: int) -> int:
        """End of the clause before a trailing "according to" phrase hanging off it, and before a
        trailing appositive ("…, a claim that …", a long gloss "…, the candidate of the party …")."""
        doc = self.doc
        for t in doc[lo:hi]:
            if t.lower_ == "according" and t.i > head.i and t.head.i in range(lo, hi):
                hi = min(hi, t.left_edge.i)  # ", according to …" hanging off the clause
        for k in range(hi - 2, lo, -1):
            if doc[k].text != ",":
                continue
            nxt = doc[k + 1]
            if nxt.lower_ in {"a", "an"} and nxt.head.right_edge.i >= hi - 2:
                return k  # "…, a claim that …", "…, a bill the White House had resisted"
            app = next((t for t in doc[k + 1 : min(hi, k + 4)] if t.dep_ == "appos" and t.left_edge.i == k + 1), None)
            if app is not None and app.pos_ == "NOUN" and app.right_edge.i >= hi - 2 and app.right_edge.i - k >= 6:
                return k  # a long gloss: "…, the candidate of the party that has governed since 1975"
        return hi

    def _quotation_cut(self, head: Token, lo: int, hi: int) -> int | None:
        """End of the clause once quotations are accounted for: a quotation in a later conjunct of
        ``head`` cuts the clause before that conjunct (and its conjunction); a direct quotation
        inside, a partial one that ends it, or one reaching before ``lo`` gives None."""
        doc = self.doc
        for k in range(bisect.bisect_right(self.part_ends, lo), len(self.parts)):  # the parts ending after lo
            p = self.parts[k]
            if p.first >= hi:
                break  # and every later one (hi only shrinks)
            cut = None
            for c in head.children:
                if c.dep_ == "conj" and c.i > head.i and c.left_edge.i <= p.first <= c.right_edge.i:
                    cc = [x.i for x in head.children if x.dep_ == "cc" and head.i < x.i < c.i]
                    cut = min([*cc, c.left_edge.i])
            if cut is not None:
                hi = min(hi, cut)
                continue
            rest = [t for t in doc[p.end : hi] if not (t.is_punct or t.is_space or t.dep_ == "cc")]
            if p.kind == "direct" or not rest or p.first < lo:
                return None
        return hi

    def _trim_edges(self, lo: int, hi: int) -> tuple[int, int]:
        """Drop leading punctuation, space, the complementizer "that" and a dateline ("NEW DELHI —"),
        and trailing punctuation, space and conjunctions."""
        doc = self.doc
        while lo < hi and (doc[lo].is_punct or doc[lo].is_space or (doc[lo].dep_ == "mark" and doc[lo].lower_ == "that")):
            lo += 1
        dash = next((t.i for t in doc[lo : min(hi, lo + 6)] if t.text in {"—", "–", "--"}), None)
        if dash is not None and all(t.is_upper or t.is_punct or t.is_space for t in doc[lo:dash]):
            lo = dash + 1  # "NEW DELHI — …"
        while lo < hi and (doc[lo].is_punct or doc[lo].is_space):
            lo += 1
        while hi > lo and (doc[hi - 1].is_punct or doc[hi - 1].is_space or doc[hi - 1].dep_ == "cc"):
            hi -= 1
        return lo, hi

    def _that_clauses(self, head: Token) -> list[tuple[int, int] | None]:
        """"said that A and that B": A and B are reported separately."""
        thats = [c for c in head.children if c.dep_ == "conj" and c.i > head.i
                 and any(x.dep_ == "mark" and x.lower_ == "that" for x in c.children)]
        if not thats:
            return [self._clause(head)]
        first_hi = thats[0].left_edge.i
        out = [self._clause(head, head.left_edge.i, first_hi)]
        out += [self._clause(c, c.left_edge.i, c.right_edge.i + 1) for c in thats]
        return out

    def _indirect(self, lo: int, hi: int, cue: Cue) -> QuoteMention:
        span = self.doc[lo:hi]
        return QuoteMention(start_char=span.start_char, end_char=span.end_char, text=span.text, kind="indirect",
                            cue=cue.text, cue_token=cue.token, channel=cue.channel, speaker=cue.speaker,
                            sentences=self._sentences(list(span)))

    def indirect(self) -> list[QuoteMention]:
        out: list[QuoteMention] = []
        lemmas, verbs, nouns = self.phrases.lemma, self.lex.verbs, self.lex.nouns
        for i in range(len(self.doc)):
            if lemmas[i] not in verbs and lemmas[i] not in nouns:
                continue  # neither a cue verb nor a cue noun: most tokens
            tok = self.doc[i]
            if tok.i in self.quoted or self._skipped(tok.idx, tok.idx + len(tok.text)) or negated(tok):
                continue
            if is_cue_verb(tok, self.lex):
                clauses = [rng for c in tok.children if c.dep_ == "ccomp" for rng in self._that_clauses(c)]
                if not clauses:
                    clauses = [self._clause(c) for c in misattached_that_clauses(tok, self.lex)]
                if tok.dep_ == "parataxis" and tok.i > tok.head.i and not clauses:
                    # "CLAUSE, Shehu said, without giving details."
                    clauses = [self._clause(tok.head, tok.head.left_edge.i, tok.left_edge.i)]
                for rng in clauses:
                    if rng is not None:
                        out.append(self._indirect(*rng, verb_cue(tok, self.quoted, self.index, self.lex)))
            elif tok.pos_ == "NOUN" and tok.lemma_.lower() in self.lex.nouns:
                owner = owner_of(tok, self.index)
                for c in tok.children:
                    that = any(x.dep_ == "mark" and x.lower_ == "that" for x in c.children)
                    if owner is not None and c.dep_ in {"acl", "ccomp"} and that and (rng := self._clause(c)):
                        out.append(self._indirect(*rng, Cue(tok.text, tok.i, owner, None)))
        out.extend(self._according())
        return out

    def _according(self) -> list[QuoteMention]:
        """"X will happen, according to the ministry": the clause the phrase attaches to."""
        out: list[QuoteMention] = []
        for span in self.phrases.find(0, len(self.doc)):
            first = span[0]
            if span[-1].pos_ != "ADP" or first.dep_ != "prep" or first.i in self.quoted:
                continue
            if self._skipped(span.start_char, span.end_char) or is_cue_verb(first.head, self.lex):
                continue
            sent = first.sent
            k = bisect.bisect_left(self.part_firsts, sent.start)
            if k < len(self.parts) and self.part_firsts[k] < sent.end:
                continue  # a quotation in the sentence owns the phrase
            cue = phrase_cue(span, [], self.index, self.lex)
            if cue.speaker is None and cue.channel is None:
                continue
            a_lo, a_hi = first.left_edge.i, first.right_edge.i + 1
            best: tuple[int, int] | None = None
            for lo, hi in ((sent.start, a_lo), (a_hi, sent.end)):
                while lo < hi and (self.doc[lo].is_punct or self.doc[lo].is_space):
                    lo += 1
                while hi > lo and (self.doc[hi - 1].is_punct or self.doc[hi - 1].is_space):
                    hi -= 1
                if hi - lo >= 2 and (best is None or hi - lo > best[1] - best[0]):
                    best = (lo, hi)
            if best is not None:
                out.append(self._indirect(*best, cue))
        return out

    # -- all ----------------------------------------------------------------------------------
    def run(self) -> list[QuoteMention]:
        found = sorted(self.quotations() + self.indirect(), key=lambda q: (q.start_char, q.end_char))
        rank: dict[int, int] = {}  # sentence index -> position among non-blank sentences
        for k, s in enumerate(self.doc.sents):
            if self.text[s.start_char : s.end_char].strip():  # Span.text without building it
                rank[k] = len(rank)
        self._pronoun_speakers(found, rank)
        self._share_sentence_speakers(found)
        self._continue_speakers(found, rank)
        return found

    def _cue_rank(self, q: QuoteMention, rank: dict[int, int]) -> int:
        sents = list(q.sentences) + ([self._sent_of(q.cue_token)] if q.cue_token is not None else [])
        return max((rank.get(s, -1) for s in sents), default=-1)

    def _pronoun_speakers(self, found: list[QuoteMention], rank: dict[int, int]) -> None:
        """A pronoun speaker ("it said", "she added") is the speaker of the latest earlier quotation
        within two sentences when that speaker fits the pronoun (he/she: a person, it: a body) and
        is nearer than the antecedent the actors stage chose (or it chose none). A name inside a
        quotation is never a candidate: speakers are only taken from cues."""
        recent: list[tuple[int, ActorMention, int]] = []  # (sentence rank of the cue, speaker, cue token)
        channels: list[tuple[int, str, ActorMention]] = []  # (rank, channel, speaker)
        for q in found:
            subj = self._cue_subject(q)
            here = self._cue_rank(q, rank)
            if q.speaker is None and q.channel is not None and q.cue is not None and q.cue.lower().startswith("according"):
                # "according to the statement": the body that made the statement a few sentences before
                q.speaker = next((m for r, ch, m in _recent(channels, here, 3) if ch == q.channel), None)
            if subj is not None and subj.lower_ in PRONOUN_SPEAKERS:
                want = PRONOUN_SPEAKERS[subj.lower_]
                near = [(m, at) for _, m, at in _recent(recent, here, 2)]
                pick: tuple[ActorMention, int] | None = next(((m, at) for m, at in near if _fits(m, want, self.lex)), None) or next(
                    ((m, at) for m, at in near if _fits(m, want, self.lex, strict=False)), None)
                current = q.speaker
                ante = current.antecedent if current is not None else None
                # the last speaker wins over a mention the actors stage chose unless that one comes
                # after the last speech act ("“…,” said X. Y arrived. “…,” he said": Y)
                same_act = pick is not None and ante is not None and current is not None \
                    and _fits(current, want, self.lex) and self._in_subject(ante, pick[0])  # same person, better named
                if pick is not None and not same_act and (current is None or ante is None or ante.start <= pick[1]
                                                           or not _fits(current, want, self.lex)):
                    q.speaker = _as_pronoun(subj, pick[0])
            if q.speaker is not None and q.cue is not None:
                sp = q.speaker
                sp = sp.antecedent if sp.kind == "pronoun" and sp.antecedent is not None else sp
                recent.append((here, sp, q.cue_token if q.cue_token is not None else sp.start))
                if q.channel is not None:
                    channels.append((here, q.channel, sp))

    def _in_subject(self, m: ActorMention, speaker: ActorMention) -> bool:
        """Whether ``m`` lies in the noun phrase of ``speaker`` ("a spokesman for the junta, Col. X")."""
        if not 0 <= speaker.head < len(self.doc):
            return False
        head = self.doc[speaker.head]
        return head.left_edge.i <= m.head <= head.right_edge.i

    def _cue_subject(self, q: QuoteMention) -> Token | None:
        if q.cue_token is None:
            return None
        verb = self.doc[q.cue_token]
        return subject_token(verb, self.quoted) if verb.pos_ in {"VERB", "AUX"} else None

    def _share_sentence_speakers(self, found: list[QuoteMention]) -> None:
        """Quoted segments of one sentence with one cue ("“A” and “B,” said X"): a direct
        segment with no cue takes the speaker of the next segment in its sentence."""
        for k, q in enumerate(found[:-1]):
            if q.kind != "direct" or q.cue is not None or q.speaker is not None:
                continue
            nxt = next((found[j] for j in range(k + 1, len(found)) if found[j].kind != "indirect"), None)
            if nxt is not None and nxt.speaker is not None and set(nxt.sentences) & set(q.sentences):
                q.cue, q.cue_token, q.speaker, q.channel = nxt.cue, nxt.cue_token, nxt.speaker, nxt.channel

    def _continue_speakers(self, found: list[QuoteMention], rank: dict[int, int]) -> None:
        """A direct quotation with no cue of its own, in the sentence right after another quotation
        (or the same one), continues that quotation's speaker and channel."""
        prev: QuoteMention | None = None
        for q in found:
            if q.kind == "direct" and q.cue is None and q.speaker is None and prev is not None:
                before = list(prev.sentences) + ([self._sent_of(prev.cue_token)] if prev.cue_token is not None else [])
                last = max(rank.get(s, -1) for s in before)
                first = min(rank.get(s, 1 << 30) for s in q.sentences)
                if first - last <= 1:
                    q.speaker, q.channel = prev.speaker, prev.channel
            if q.speaker is not None:
                prev = q
