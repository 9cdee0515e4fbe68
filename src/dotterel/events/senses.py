"""Choosing between alternative lexicon rows for one pattern (rows noted ``[alt]`` in triggers.tsv).

Each rule looks at the trigger's dependents: a verbal attack on a policy is ACCUSE, a physical one
ASSAULT; expelling diplomats is SANCTION, expelling journalists COERCE; a vow to retaliate is
THREATEN, a vow to help AGREE; a general strike is PROTEST, an air strike ASSAULT; a police
raid is COERCE, an armed raid ASSAULT.
"""

from __future__ import annotations

from spacy.tokens import Token

from dotterel.events.lexicon import Trigger, WordClasses


def _slot_nouns(tok: Token, slot: str) -> list[Token]:
    """The nouns in ``slot`` of the verb ``tok`` (see senses.tsv for the slot names)."""
    kids = list(tok.children)
    if slot == "pred":
        # the object predicate of a labelling verb: "called the shelling a provocation" (oprd), a second
        # object ("called the protesters' actions treasonous" often parses as two objects), an adjective
        objs = [c for c in kids if c.dep_ == "dobj"]
        out = [c for c in kids if c.dep_ == "oprd" or (c.pos_ == "ADJ" and c.i > tok.i and c.dep_ in {"amod", "acomp", "ccomp", "xcomp", "advmod"})]
        # "called the expulsion order unacceptable": the predicate adjective parsed as a modifier after the object
        out += [a for o in objs for a in o.children if a.dep_ == "amod" and a.pos_ == "ADJ" and a.i > o.i]
        if not out and len(objs) >= 2:
            out = objs[-1:]
        return out
    if slot == "obj":
        out = [c for c in kids if c.dep_ in {"dobj", "nsubjpass"}]
    elif slot == "subj":
        out = [c for c in kids if c.dep_ == "nsubj"]
        if tok.dep_ == "relcl" and any(c.tag_ in {"WP", "WDT"} for c in out):
            out = [tok.head]  # "100 special forces soldiers, who have since left the country"
        out += [p for c in kids if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
        if not out and tok.dep_ in {"xcomp", "conj"} and tok.head.i != tok.i:
            # object control: "ordered the envoy to leave", "forced the troops to pull out": the governor's
            # object is the complement's subject; else the governor's subject ("agreed to pull out")
            told = [c for c in tok.head.children if c.dep_ == "dobj"] if tok.dep_ == "xcomp" else []
            out = told or [c for c in tok.head.children if c.dep_ == "nsubj"]
    else:
        word = slot.split(":", 1)[1]
        out = [p for c in kids if c.dep_ == "prep" and c.lower_ == word for p in c.children if p.dep_ == "pobj"]
    more: list[Token] = []
    for n in out:
        more += [c for c in n.children if c.dep_ == "conj"]
        more += [p for c in n.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"]
    return out + more


def classes_of(noun: Token, lex) -> set[str]:
    """The noun classes of ``noun``: of its lemma, and of a multiword lemma its modifier makes ("high
    commissioner")."""
    lemma = noun.lemma_.lower()
    found = set(lex.noun_classes.get(lemma, ()))
    for m in noun.children:
        if m.dep_ in {"compound", "amod"}:
            found |= lex.noun_classes.get(f"{m.lemma_.lower()} {lemma}", set())
    return found


def sense_by_arguments(tok: Token, lex) -> Trigger | None:
    """The senses.tsv reading of the verb ``tok`` when one of its slots holds a noun of the row's class
    (the first matching row in file order), else None."""
    if tok.pos_ not in {"VERB", "AUX"}:
        return None
    rows = lex.senses.get(tok.lemma_.lower())
    if not rows:
        return None
    if tok.lemma_.lower() in lex.words.order_verbs and any(c.dep_ == "xcomp" for c in tok.children):
        return None  # "ordered troops to withdraw": the complement is the event, the object its subject
    labelled = bool(_slot_nouns(tok, "pred"))
    for slot, cls, trig in rows:
        if labelled and slot != "pred":
            continue  # "called the minister a liar": an object predicate, not a call
        nouns = _slot_nouns(tok, slot)
        if nouns and (cls == "ANY" or any(cls in classes_of(n, lex) for n in nouns)):
            return trig
    return None


def _pick(cands: list[Trigger], event_type: str) -> Trigger:
    return next((c for c in cands if c.event_type == event_type), cands[0])


def choose_sense(tok: Token, cands: list[Trigger], words: WordClasses) -> Trigger:
    lemma = tok.lemma_.lower()
    kids = list(tok.children)
    objs = [c for c in kids if c.dep_ in {"dobj", "nsubjpass"}]
    if lemma == "attack":
        if any(o.lemma_.lower() in words.speech_objects for o in objs):
            return _pick(cands, "ACCUSE")
        return _pick(cands, "ASSAULT")
    if lemma == "expel":
        if any(o.lemma_.lower() in words.diplomats for o in objs):
            return _pick(cands, "SANCTION")
        return _pick(cands, "COERCE")
    if lemma == "vow":
        if any(o.lemma_.lower() in words.hostile_nouns for o in objs) or any(
                c.dep_ == "xcomp" and c.lemma_.lower() in words.hostile_verbs for c in kids):
            return _pick(cands, "THREATEN")
        return _pick(cands, "AGREE")
    if lemma == "strike":
        mods = {c.lemma_.lower() for c in kids if c.dep_ in {"amod", "compound", "nmod"}}
        if mods & words.labour_modifiers or (tok.dep_ == "pobj" and tok.head.head.lemma_.lower() in words.labour_governors) or \
                (tok.dep_ == "dobj" and tok.head.lemma_.lower() in words.labour_governors):
            return _pick(cands, "PROTEST")
        return _pick(cands, "ASSAULT")
    if lemma == "raid":
        agents = [c for c in kids if c.dep_ in {"nsubj", "compound", "poss"}]
        agents += [p for c in kids if c.dep_ == "agent" for p in c.children]
        if any(a.lemma_.lower() in words.police for a in agents):
            return _pick(cands, "COERCE")
        if not agents and any(c.dep_ == "nsubjpass" for c in kids):
            return _pick(cands, "COERCE")  # "the newspaper's offices were raided": a search, by no named force
        return _pick(cands, "ASSAULT")
    return cands[0]




def object_allowed(tok: Token, trig: Trigger, index, words: WordClasses) -> bool:
    lemma = tok.lemma_.lower()
    if lemma not in words.person_object_verbs or trig.extras or tok.pos_ not in {"VERB", "AUX"}:
        return True
    objs = [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"}]
    if tok.dep_ in {"relcl", "acl"} and not objs:
        objs = [tok.head]
    if not objs:
        return True
    for o in objs:
        if index.fillers(o) or o.ent_type_ in {"PERSON", "NORP", "ORG", "GPE"} or o.lemma_.lower() in words.people_nouns \
                or o.lower_ in words.people_nouns or o.pos_ == "PRON":
            return True
        if o.tag_ in {"NNS", "NNPS"} and any(c.dep_ == "nummod" for c in o.children) and lemma in words.counted_people_verbs:
            return True  # "kidnapped 27 schoolboys": people counted, whatever the noun
        # "hundreds of migrants", "a group of journalists"
        if any(p.lemma_.lower() in words.people_nouns for c in o.children if c.dep_ == "prep" and c.lower_ == "of"
               for p in c.children):
            return True
    return False


# -- refinements that need the resolved actors ------------------------------------------------------
CIVIL_SECTORS = {"CVL", "EDU", "OPP", "LAB", "REF", "SOC"}


def refine_type(tok: Token, trig: Trigger, actor_sectors: set[str], lex) -> Trigger:
    """Re-type a matched trigger once its actors are known (documented rules, each generic):

    * conflict verbs done by civilians (students occupying a building, protesters burning cars) are
      PROTEST (CAMEO 144 obstruct / 145 riot);
    * a ban or bar on trade, investment, imports or flights is SANCTION (163), not COERCE;
    * a strike by workers is PROTEST (143), however the strike noun was matched;
    * joint exercises and drills are military COOPERATE (062), not MOBILIZE;
    * protesting *that* something is so ("Amnesty protested that the trials were unfair", "..., a rights
      group protested") is a verbal complaint, ACCUSE (114), not a street protest.
    """
    lemma = tok.lemma_.lower()
    stance = commitment_stance(tok, trig, lex)
    if stance is not None:
        return stance
    if trig.event_type == "PROTEST" and lemma == "protest" and tok.pos_ == "VERB" and any(
            c.dep_ == "ccomp" for c in tok.children):
        return _retype(trig, "ACCUSE", "disapprove", "114", lex)
    if trig.event_type in {"COERCE", "ASSAULT"} and actor_sectors and actor_sectors <= CIVIL_SECTORS:
        if lemma in lex.words.civil_obstruct:
            return _retype(trig, "PROTEST", "obstruct", "144", lex)
        if lemma in lex.words.civil_riot:
            return _retype(trig, "PROTEST", "riot", "145", lex)
    if trig.event_type == "COERCE" and lemma in {"ban", "bar", "prohibit", "halt", "suspend", "block"}:
        objs = [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass", "compound"}]
        objs += [p for c in tok.children if c.dep_ == "prep" and c.lower_ in {"on", "of", "to"} for p in c.children]
        if any(o.lemma_.lower() in lex.words.economic_objects or any(m.lemma_.lower() in lex.words.economic_objects for m in o.children)
               for o in objs):
            return _retype(trig, "SANCTION", "embargo", "163", lex)
    if lemma == "strike" and trig.event_type == "ASSAULT" and (
            actor_sectors & {"LAB"} or any("LABOUR" in lex.noun_classes.get(t.lemma_.lower(), ()) for t in tok.sent)
            or (tok.pos_ == "NOUN" and _labour_story(tok, lex))):
        return _retype(trig, "PROTEST", "strike", "143", lex)
    if trig.event_type == "MOBILIZE" and any(c.lower_ == "joint" and c.dep_ in {"amod", "compound"} for c in tok.children):
        return _retype(trig, "COOPERATE", "", "062", lex, reciprocal=True)
    return trig




def _complement_quad(verb: Token, lex) -> int | None:
    """The quad class (1-4) of the event the complement verb names, from the trigger lexicon."""
    for _ in range(3):
        rows = lex.triggers.get((verb.lemma_.lower(), "VERB")) or []
        sensed = sense_by_arguments(verb, lex)
        cams = [lex.cameo.get(t.cameo) for t in ([sensed] if sensed else []) + rows]
        quads = [c.quad_class for c in cams if c is not None]
        if quads:
            return max(quads, key=quads.count)
        nxt = next((c for c in verb.children if c.dep_ == "xcomp"), None)
        if nxt is None or verb.lemma_.lower() not in lex.words.continuative_verbs:
            return None
        verb = nxt
    return None


def commitment_stance(tok: Token, trig: Trigger, lex) -> Trigger | None:
    """PLOVER's stance from modality: a vow or pledge to do something conflictual is THREATEN (CAMEO 130),
    a vow *not* to do something is REJECT (120); a vow to cooperate stays AGREE. The complement's own
    event is coded separately with its status (planned), as the future rule says."""
    if trig.event_type != "AGREE" or tok.lemma_.lower() not in lex.words.commitment_verbs or tok.pos_ not in {"VERB", "AUX"}:
        return None
    comp = next((c for c in tok.children if c.dep_ == "xcomp" and c.pos_ in {"VERB", "AUX"}), None)
    if comp is None:
        return None
    if any(c.dep_ == "neg" for c in comp.children):
        return _retype(trig, "REJECT", "", "120", lex)
    quad = _complement_quad(comp, lex)
    if quad in {3, 4}:
        return _retype(trig, "THREATEN", "", "130", lex)
    return None


def _labour_story(tok: Token, lex) -> bool:
    """A strike noun in a story about workers and nothing military ("the strike, which began on Nov 24")."""
    sent = {t.lemma_.lower() for t in tok.sent} | {c.lemma_.lower() for c in tok.children}
    if any({"MILITARY", "ATTACKS"} & lex.noun_classes.get(w, set()) for w in sent) or {"air", "missile", "drone"} & sent:
        return False
    cache = tok.doc.user_data  # the document-wide count once per Doc, not once per strike noun
    if "dotterel_labour_words" not in cache:
        cache["dotterel_labour_words"] = sum("LABOUR" in lex.noun_classes.get(t.lemma_.lower(), ()) for t in tok.doc)
    return cache["dotterel_labour_words"] >= 2


def _retype(trig: Trigger, etype: str, mode: str, cameo: str, lex, reciprocal: bool | None = None) -> Trigger:
    from dataclasses import replace

    if cameo not in lex.cameo:
        return trig
    return replace(trig, event_type=etype, mode=mode if mode else trig.mode, cameo=cameo,
                   reciprocal=trig.reciprocal if reciprocal is None else reciprocal)
