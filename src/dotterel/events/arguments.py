"""Finding an event's recipient and place beyond the lexicon's slots, and recognising noise that uses
the words of conflict (sports results, natural hazards)."""

from __future__ import annotations

import re

from spacy.tokens import Token

from dotterel.events.lexicon import WordClasses
from dotterel.events.roles import MentionIndex
from dotterel.spans import ActorMention, countries_of

DEEP_STOP = {"nsubj", "nsubjpass", "csubj", "ccomp", "advcl", "relcl", "acl", "parataxis", "punct", "cc", "aux",
             "auxpass", "neg", "mark", "npadvmod", "appos", "agent", "dep"}
SCORE = re.compile(r"\b\d{1,3}-\d{1,3}\b")


def deep_recipient(tok: Token, actors: list[ActorMention], index: MentionIndex, place_target: bool,
                   words: WordClasses) -> list[ActorMention]:
    """The nearest other party inside the trigger's own phrase: 'rejected an offer from Afghanistan',
    'threatened to break relations with Russia', 'agreed to US mediation'. Breadth-first through
    objects, prepositions and infinitival complements; not into other clauses, and not into place
    phrases (unless ``place_target``: the event is an attack or coercion, whose place is its target)."""
    mine = countries_of(actors)
    my_sectors = {a.sector for m in actors for a in m.actors}
    my_ids = {a.id for m in actors for a in m.actors if a.id}
    actor_tokens = {i for m in actors for i in range(m.start, m.end)}
    queue = [(c, 1) for c in tok.children]
    while queue:
        node, depth = queue.pop(0)
        if node.dep_ in DEEP_STOP or node.i in actor_tokens or depth > 6:
            continue
        if node.dep_ in {"prep", "agent", "dative"}:
            pobj = next((p for p in node.children if p.dep_ == "pobj"), None)
            place = pobj is not None and (pobj.ent_type_ in {"GPE", "LOC", "FAC", "DATE", "TIME"}
                                          or pobj.lemma_.lower() in words.place_nouns)
            if place_target and node.lower_ in words.location_preps:
                pass  # the place of an attack is its target
            elif place and node.lower_ in words.location_preps:
                continue  # "talks in Geneva": where it happens, not a party
            elif node.lower_ in {"in", "during", "within"} and not place:
                pass  # "in its war with Iraq", "in defiance of the authorities"
            elif node.lower_ not in words.argument_preps:
                continue  # "at the invitation of", "as a result of", places and times: not a party
        m = index.at(node)
        if m is not None and node.pos_ != "PRON":
            theirs = {a.country for a in m.actors if a.country}
            other_side = not theirs <= mine or (
                # a domestic counterpart: the same country, another kind of actor (government vs rebels)
                m.kind in {"group", "title", "name", "org"}
                and not ({a.sector for a in m.actors} & my_sectors) and not ({a.id for a in m.actors} & my_ids))
            if theirs and other_side:
                return [m] + [x for c in node.children if c.dep_ == "conj" for x in index.fillers(c)]
        queue.extend((c, depth + 1) for c in node.children)
    return []


def place_of(tok: Token, obj_noun: Token | None, index: MentionIndex, args: list[ActorMention],
             words: WordClasses) -> ActorMention | None:
    """The place phrase of the trigger's clause ('in Kabul', 'outside the Iraqi city of Basra', 'killed in a
    car bomb explosion in eastern Beirut'): breadth-first through prepositional phrases, no other clauses."""
    heads = [tok] + ([obj_noun] if obj_noun is not None else [])
    if tok.pos_ in {"NOUN", "PROPN"} and tok.head.pos_ in {"VERB", "AUX"}:
        heads.append(tok.head)
    heads += [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"}]  # "met Macron in Paris" (attachment)
    queue = [(c, 1) for h in heads for c in h.children if c.dep_ == "prep"]
    while queue:
        prep, depth = queue.pop(0)
        if depth > 3:
            continue
        for p in prep.children:
            if p.dep_ == "prep":
                queue.append((p, depth))  # "outside of the city"
                continue
            if p.dep_ != "pobj":
                continue
            at = index.at(p)
            if prep.lower_ in words.location_preps and (p.ent_type_ in {"GPE", "LOC", "FAC"} or p.lemma_.lower() in words.place_nouns
                                                  or at is not None and at.kind in {"place", "metonym"}):
                for m in index.fillers(p):
                    if m not in args and any(a.country for a in m.actors):
                        return m
            queue.extend((c, depth + 1) for c in p.children if c.dep_ == "prep")
    return None


def is_noise(tok: Token, sports_type: bool, words: WordClasses) -> bool:
    """Sports results ('Brazil beat Germany 2-1', for a ``sports_type``: an event type whose verbs also
    report sports) and natural hazards ('an earthquake struck Turkey') use the words of conflict
    without being political events."""
    sent = tok.sent
    if sports_type and tok.lemma_.lower() in words.sports_verbs:
        if SCORE.search(sent.text) or any(t.lemma_.lower() in words.sports_words for t in sent):
            return True
    subj = next((c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    return subj is not None and subj.lemma_.lower() in words.natural_hazards
