"""In-document coreference: pronouns, definite descriptions, counterparts, plural references.

Runs after every noun phrase has been resolved. Rules (deliberately simple, each tested):

* ``he/she/his/her`` → the person subject of the verb that governs the pronoun's clause when the
  pronoun sits in a reported clause ("Kuleba said he ..."); a possessive in a fronted phrase
  looks forward to the main-clause subject ("In a call with his counterpart, Qin said");
  otherwise the subject of the previous sentence if it is a person; otherwise the most recent
  person. Candidates inside quotation marks are ignored for pronouns outside them.
* ``it/its/itself`` → the same, for organisations and states.
* ``they/their/them`` → the subject of the governing clause, else the most recent plural or group mention.
* ``the Chinese leader``/``the minister`` (a title with no name) → the most recent person with
  the same country and a compatible office.
* ``his Ukrainian counterpart`` → the holder of the possessor's office in that country on the
  publication date.
* ``the two leaders``/``the two countries``/``both sides`` → the two most recent distinct heads
  of state or government / states.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter

from spacy.symbols import PRON
from spacy.tokens import Doc, Token

from dotterel.actors.docview import DocView
from dotterel.actors.gazetteer import Gazetteer, holder_actor
from dotterel.actors.wordclasses import ActorWords
from dotterel.nlp.paragraphs import unclosed_line
from dotterel.spans import Actor, ActorMention


def _is_person(m: ActorMention) -> bool:
    return any(a.kind == "person" for a in m.actors)


def _is_thing(m: ActorMention) -> bool:
    return not _is_person(m) and any(a.country for a in m.actors)


def _subject_of(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in {"nsubj", "nsubjpass"}:
            return c
    if verb.dep_ == "ccomp" and verb.head.i != verb.i and not any(c.dep_ == "mark" for c in verb.children) and any(
            c.dep_ == "aux" and c.tag_ in {"VBP", "VBZ", "VBD", "MD"} for c in verb.children):
        # a finite clause has a subject: "The US and EU, worried that ..., have warned they ..." parsed as a
        # complement of "worried" is the main clause of their subject
        return next((c for c in verb.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    return None


class _Index:
    """Lookups over one document's mentions, each proportional to what it returns (no scans of the
    whole document per pronoun: cost stays linear in the text)."""

    def __init__(self, view: DocView, mentions: list[ActorMention], words: ActorWords) -> None:
        self.doc = view.doc
        self.words = words
        self.view = view
        self.by_head = {m.head: m for m in mentions}
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.starts = [m.start for m in self.mentions]
        self.sents = view.sents
        self.sent_starts = view.sent_starts

    def quoted(self, char: int) -> bool:
        return self.view.quoted(char)

    def after(self, tok: Token, ok, window: int = 120) -> ActorMention | None:
        """The first mention after ``tok`` (within ``window`` tokens) that passes ``ok``."""
        for m in self.mentions[bisect.bisect_right(self.starts, tok.i):]:
            if m.start > tok.i + window:
                break
            if ok(m):
                return m
        return None

    def before(self, tok: Token, ok, same_quote_only: bool = True) -> ActorMention | None:
        inside = self.quoted(tok.idx)
        best = None
        lo = bisect.bisect_left(self.starts, tok.i - 400)
        for m in self.mentions[lo:]:
            if m.start >= tok.i:
                break
            if same_quote_only and not inside and self.quoted(m.start_char):
                continue
            if ok(m):
                best = m
        return best


#: marker: the pronoun refers to something that is not an actor
NON_ACTOR = ActorMention(0, 0, 0, 0, "", [], "none", -1)


def _governing_subject(tok: Token, idx: _Index, ok) -> ActorMention | None:
    """Subject of the clause that governs ``tok``'s clause (reported speech), or of its own clause for
    possessives and reflexives."""
    verb = tok.head
    if tok.dep_ in {"poss"} or tok.lower_.endswith("self") or tok.lower_.endswith("selves"):
        # possessive: the subject of the nearest verb above, if it precedes or is the main clause subject
        node = tok.head
        while node.pos_ not in {"VERB", "AUX"} and node.head.i != node.i:
            node = node.head
        subj = _subject_of(node)
        if subj is not None and subj.i != tok.i:
            m = idx.by_head.get(subj.i)
            if m is not None and ok(m):
                return m
        if node.dep_ == "ccomp" and node.head.i != node.i and subj is not None and tok in subj.subtree:
            # "Pyongyang warned that if Seoul crossed the line its troops would strike": the possessor of
            # the reported clause's own subject is the speaker, not a state named in a clause on the way
            speaker = _subject_of(node.head)
            if speaker is not None and speaker.i < tok.i:
                m = idx.by_head.get(speaker.i)
                if m is not None and ok(m):
                    return m
        return None
    if tok.dep_ in {"nsubj", "nsubjpass"}:
        # "X said (that) he ...": walk up through ccomp
        clause = verb
        if clause.dep_ in {"ccomp", "xcomp", "advcl", "conj"} and clause.head.i != clause.i:
            subj = _subject_of(clause.head)
            if subj is not None and subj.i < tok.i:
                m = idx.by_head.get(subj.i)
                if m is not None and ok(m):
                    return m
                if m is None and tok.lower_ == "it" and subj.pos_ == "NOUN" and clause.dep_ in {"advcl", "conj"}:
                    return NON_ACTOR  # "the proposal received ..., while it was dismissed": 'it' is the proposal
    return None


def _previous_subject(tok: Token, idx: _Index, ok) -> ActorMention | None:
    sents = idx.sents
    k = bisect.bisect_right(idx.sent_starts, tok.i) - 1
    for s in reversed(sents[max(0, k - 2) : k]):
        if s.text.strip() == "":
            continue
        root = s.root
        subj = _subject_of(root)
        if subj is not None:
            m = idx.by_head.get(subj.i)
            if m is not None and ok(m) and not (not idx.quoted(tok.idx) and idx.quoted(m.start_char)):
                return m
        return None
    return None


def _coordinated_governor(doc: Doc, tok: Token, idx: _Index) -> ActorMention | None:
    """"The US and the EU have warned they could ...": a plural pronoun in a reported clause refers to the
    governing clause's coordinated subject, all its conjuncts together."""
    clause = tok.head
    if clause.dep_ not in {"ccomp", "xcomp", "advcl", "conj"} or clause.head.i == clause.i:
        return None
    subj = _subject_of(clause.head)
    if subj is None or subj.i > tok.i:
        return None
    parts = [m for m in (idx.by_head.get(t.i) for t in (subj, *subj.conjuncts)) if m is not None]
    if len(parts) < 2:
        return None
    parts.sort(key=lambda m: m.start)
    span = doc[parts[0].start:parts[-1].end]
    return ActorMention(span.start, span.end, span.start_char, span.end_char, span.text,
                        [a for m in parts for a in m.actors], "group", subj.i)


def _pronoun(doc: Doc, tok: Token, idx: _Index) -> ActorMention | None:
    low, words = tok.lower_, idx.words
    if low in words.person_pronouns:
        ok = _is_person
    elif low in words.thing_pronouns:
        def ok(m: ActorMention) -> bool:
            # "sanctions imposed by Western countries over its annexation": a body named by a plural noun is not "it"
            return _is_thing(m) and not (m.kind == "org" and doc[m.head].tag_ == "NNS")
    elif low in words.plural_pronouns:
        def ok(m: ActorMention) -> bool:
            return len(m.actors) > 1 or m.kind in {"group", "title", "demonym"} or doc[m.head].tag_ in {"NNS", "NNPS"}
    else:
        return None
    ante = _governing_subject(tok, idx, ok)
    if ante is NON_ACTOR:
        return None
    if ante is None and low in words.plural_pronouns and tok.dep_ in {"nsubj", "nsubjpass"}:
        ante = _coordinated_governor(doc, tok, idx)
    if ante is None and tok.dep_ == "poss":
        # cataphora: "In a call with his counterpart, China's foreign minister said"
        root = tok.sent.root
        subj = _subject_of(root)
        if subj is not None and subj.i > tok.i and tok.i < root.i:
            m = idx.by_head.get(subj.i)
            if m is not None and ok(m):
                ante = m
    if ante is None:
        ante = _previous_subject(tok, idx, ok) if tok.dep_ in {"nsubj", "nsubjpass"} else None
    if ante is None:
        ante = idx.before(tok, ok)
    if ante is None:
        return None
    return ActorMention(start=tok.i, end=tok.i + 1, start_char=tok.idx, end_char=tok.idx + len(tok.text), text=tok.text,
                        actors=list(ante.actors), kind="pronoun", head=tok.i, antecedent=ante)


#: how many sentences back a pair of states named together ("Peru and Ecuador") can be the pair that
#: "both countries" refers to, and how many sentences back states are counted for the story's pair
PAIR_SENTENCES = 5
COUNT_SENTENCES = 12


def _pair_words(head: Token) -> set[str]:
    return {c.lower_ for c in head.children if c.dep_ in {"nummod", "det", "predet", "amod"}}


def _pair_inside(head: Token, words: ActorWords) -> Token | None:
    """"the leaders of both countries", "the foreign ministers of the two nations": the pair noun inside
    a plural people noun's of-phrase."""
    if head.lemma_.lower() not in words.plural_people:
        return None
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for obj in prep.children:
                if obj.dep_ == "pobj" and obj.lemma_.lower() in words.plural_states and words.pair & _pair_words(obj) \
                        and obj.tag_ in {"NNS", "NNPS"}:
                    return obj
    return None


def _states(m: ActorMention | None, g: Gazetteer) -> list[str]:
    if m is None:
        return []
    return list(dict.fromkeys(a.country for a in m.actors if a.country in g.countries and a.kind != "group"))


def _story_pair(m: ActorMention, idx: _Index, doc: Doc, g: Gazetteer) -> list[Actor] | None:
    """The pair of states "the two countries" / "both sides" refers to: of the pairs the text named
    together in the last :data:`PAIR_SENTENCES` sentences ("fighting between Peru and Ecuador") and the
    two states named most often in the last :data:`COUNT_SENTENCES` ("Trump ... Washington ... Beijing
    ... Xi ... The two countries"), the one named most often; a pair named together wins a tie, then
    the later pair."""
    sent_no = bisect.bisect_right(idx.sent_starts, m.start)
    lo_pair = idx.sent_starts[max(0, sent_no - 1 - PAIR_SENTENCES)]
    lo_count = idx.sent_starts[max(0, sent_no - 1 - COUNT_SENTENCES)]
    counts: Counter[str] = Counter()
    together: list[tuple[str, str]] = []
    for other in idx.mentions[bisect.bisect_left(idx.starts, lo_count):bisect.bisect_left(idx.starts, m.start)]:
        if other is m:
            continue
        own = _states(other, g)
        counts.update(own)
        if other.start < lo_pair:
            continue
        h = doc[other.head]
        if len(own) >= 2:
            together.append((own[0], own[1]))
        elif own and h.dep_ == "conj" and h.head.i != h.i:
            first = _states(idx.by_head.get(h.head.i), g)
            if first and first[0] != own[0]:
                together.append((first[0], own[0]))
    if len(counts) < 2:
        return None
    top = sorted(counts, key=lambda c: -counts[c])[:2]
    candidates = [((top[0], top[1]), False, -1)] + [(p, True, k) for k, p in enumerate(together)]
    best = max(candidates, key=lambda c: (counts[c[0][0]] + counts[c[0][1]], c[1], c[2]))[0]
    return [g.country_actor(best[0], "GOV"), g.country_actor(best[1], "GOV")]


def _two_of(m: ActorMention, idx: _Index, doc: Doc, g: Gazetteer) -> list[Actor] | None:
    head = doc[m.head]
    words = g.words
    inner = _pair_inside(head, words)
    if inner is not None:
        head = inner
    lemma = head.lemma_.lower()
    nums = _pair_words(head)
    if not (words.pair & nums) or head.tag_ not in {"NNS", "NNPS"}:
        return None
    if lemma in words.plural_states:
        together = _story_pair(m, idx, doc, g)
        if together is not None:
            return together
    found: list[Actor] = []
    candidates: list[Actor] = []
    for other in reversed(idx.mentions):
        if other.start >= m.start or other is m:
            continue
        for a in other.actors:
            if lemma in words.plural_people:
                good = a.kind == "person" and (lemma not in words.plural_leader or a.role in words.leader_role or a.role is None)
            elif lemma in words.plural_states:
                # the states of the parties last named: "Putin ... Xi ... the two countries" -> Russia, China
                good = a.country is not None and (a.country in g.countries or (a.kind == "group" and lemma in {"side", "party"}))
                if good and a.kind != "group" and a.country is not None:
                    a = g.country_actor(a.country, "GOV")
            else:
                good = False
            key = a.id or a.name or a.country
            if good and all((b.id or b.name or b.country) != key and (lemma not in words.plural_states or b.country != a.country) for b in found):
                if lemma in words.plural_people and found and found[0].country == a.country and len(candidates) < 6:
                    candidates.append(a)  # "the two leaders" of a bilateral story: prefer two countries
                    continue
                found.append(a)
            if len(found) == 2:
                return found
    if len(found) == 1 and candidates:
        return [found[0], candidates[0]]
    return None


def _counterpart(m: ActorMention, head: Token, idx: _Index, g: Gazetteer, day: dt.date | None, doc: Doc) -> None:
    """"his Ukrainian counterpart": the holder, in the mention's country on ``day``, of the office of the
    possessor (a mention or a pronoun resolved here); else that country's government in that role."""
    a = m.actor
    poss = next((c for c in head.children if c.dep_ == "poss"), None)
    owner = idx.by_head.get(poss.i) if poss is not None else None
    if owner is None and poss is not None and poss.pos_ == "PRON":
        owner = _pronoun(doc, poss, idx)
    role = next((x.role for x in owner.actors if x.role), None) if owner else None
    if role and a.country:
        holder = g.holder(a.country, role, day)
        if holder is not None:
            m.actors = [holder_actor(holder)]
            return
    if a.country:
        m.actors = [Actor(None, a.country, "GOV", None, "generic", role)]


def _definite(m: ActorMention, idx: _Index, g: Gazetteer, day: dt.date | None, doc: Doc) -> None:
    """Fill a title mention without a name from earlier mentions or the office table."""
    a = m.actor
    head = doc[m.head]
    if head.lemma_.lower() == "counterpart":
        _counterpart(m, head, idx, g, day, doc)
        return
    if a.kind == "person" and a.name:
        return
    if not any(t.lower_ == "the" for t in doc[max(0, m.start - 1) : m.start + 1]):
        return
    row_role = a.role
    if row_role is None and head.lemma_.lower() not in {"leader"}:
        return

    def ok(other: ActorMention) -> bool:
        if other is m:
            return False
        for x in other.actors:
            if x.kind != "person" or not x.name:
                continue
            if a.country and x.country != a.country:
                continue
            if x.role in g.words.compatible_roles(row_role):
                return True
        return False

    ante = idx.before(head, ok, same_quote_only=False)
    if ante is not None:
        m.actors = [x for x in ante.actors if x.kind == "person"][:1]
        m.antecedent = ante
        m.kind = "coref"


def _organisation_descriptions(doc: Doc, idx: _Index, words: ActorWords, states: frozenset[str],
                               skip: list[tuple[int, int]]) -> list[ActorMention]:
    """"The council", "the bloc", "the alliance" that no name resolved: the last organisation named
    before (within :meth:`_Index.before`'s window) whose name has the word ("the council" → the Security
    Council, "the union" → the European Union), or for a word of any body ("bloc", "alliance", "the
    body") the last intergovernmental body; in a headline, the first such body the story names after it
    ("West African bloc suspends Guinea"). One pass over the tokens with set lookups."""
    covered = {i for m in idx.mentions for i in range(m.start, m.end)}
    out: list[ActorMention] = []
    for tok in doc:
        lemma = tok.lemma_.lower()
        if tok.pos_ != "NOUN" or tok.i in covered or tok.tag_ != "NN" or (lemma not in words.org_word
                                                                         and lemma not in words.bloc_word):
            continue
        headline = bool(idx.sents) and len(idx.sents) > 1 and tok.i < idx.sents[0].end and unclosed_line(idx.sents[0])
        if not (headline or any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)) or any(
                s <= tok.idx < e for s, e in skip):
            continue

        def ok(m: ActorMention, lemma: str = lemma) -> bool:
            return any(a.kind == "org" and a.country and (
                (lemma in words.org_word and lemma in (a.name or "").lower().split())
                or (lemma in words.bloc_word and a.country not in states and a.country not in {"NGO", "MNC"}))
                for a in m.actors)

        # a headline describes the body its story names next ("West African bloc suspends Guinea")
        ante = idx.after(tok, ok) if headline else idx.before(tok, ok, same_quote_only=False)
        if ante is None:
            continue
        first = min((c.i for c in tok.children if c.i < tok.i and c.dep_ in {"det", "amod", "compound", "nummod"}),
                    default=tok.i)
        span = doc[first:tok.i + 1]
        out.append(ActorMention(span.start, span.end, span.start_char, span.end_char, span.text,
                                [a for a in ante.actors if a.kind == "org"], "coref", tok.i, ante))
    return out


def resolve_references(doc: Doc, mentions: list[ActorMention], g: Gazetteer, day: dt.date | None,
                       view: DocView | None = None) -> list[ActorMention]:
    view = view or DocView.of(doc)
    skip = doc._.skip_ranges or []
    idx = _Index(view, mentions, g.words)
    for m in list(idx.mentions):
        if m.kind == "title":
            pair = _two_of(m, idx, doc, g)
            if pair:
                m.actors = pair
                m.kind = "coref"
                continue
            _definite(m, idx, g, day, doc)
    out = [m for m in mentions if any(a.country or a.name for a in m.actors) or m.kind == "title"]
    idx = _Index(view, out, g.words)
    for om in _organisation_descriptions(doc, idx, g.words, frozenset(g.countries), skip):
        out.append(om)
        idx.by_head[om.head] = om
        bisect.insort(idx.mentions, om, key=lambda x: x.start)
    for i, p in enumerate(view.pos):
        if p != PRON or any(s <= view.offset[i] < e for s, e in skip):
            continue
        tok = doc[i]
        pm = _pronoun(doc, tok, idx)
        if pm is not None:
            out.append(pm)
            idx.by_head[tok.i] = pm
            bisect.insort(idx.mentions, pm, key=lambda x: x.start)  # after equal starts, as a stable sort
    # "its troops", "their forces": a title owned by a resolved pronoun takes the owner's country
    for m in out:
        if m.kind != "title" or any(a.country for a in m.actors):
            continue
        poss = next((c for c in doc[m.head].children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
        owner = idx.by_head.get(poss.i) if poss is not None else None
        if owner is not None:
            countries = list(dict.fromkeys(a.country for a in owner.actors if a.country))
            a = m.actor
            m.actors = [Actor(a.name, c, a.sector, f"{c}:{(a.name or '').lower().replace(' ', '-')}", "state", a.role)
                        for c in countries] or m.actors
            m.antecedent = owner
    return out
