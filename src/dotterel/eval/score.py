"""Scoring coded documents against gold. Every definition used by ``dotterel eval`` is here; the
code is split by concern: :mod:`~dotterel.eval.results` (metrics, misses, tallies),
:mod:`~dotterel.eval.matching` (codes, parties, roles, spans), :mod:`~dotterel.eval.sentence_score`,
:mod:`~dotterel.eval.article_score` and :mod:`~dotterel.eval.quote_time_score`; this module loads
gold sets, codes them and scores them (:func:`evaluate`).

Codes. A coder code matches a gold code when they are equal, when ``code_equivalence.tsv``
maps the coder code to the gold code (``UNO`` → ``IGO``, ...), or when the gold code is ``IGO``
and the coder actor is an organisation (mention kind ``org`` or an ``org:`` id) whose code is
not a state's ISO 3166 alpha-3 code. A sentence-gold actor with an ``org`` (the specific body
of an IGO/NGO) is also matched by that code. Sectors compare their first three letters (and
the table's ``sector`` rows: ``HLH`` counts as ``MED``).

Roles (:func:`roles_ok`). Normally the actor is right when any coded actor country matches
any gold source code, and the recipient is right when any coded recipient country matches
any gold target code. When either side says the event is reciprocal, roles are compared on
the union of both sides: the actor is right when at least one gold party is among the coded
parties, the recipient (and the dyad) when at least ``min(2, number of gold parties)`` are.

Sentence gold (PLOVER-GSR; each record is coded as its own document). ``threshold`` = 0.5.

* ``type_found``: for an event record, some coded event in the sentence has the gold type
  (any confidence); for a ``NONE`` record, no coded event has confidence ≥ ``threshold``.
* top type: the type of the coded event with the highest confidence (the first in output
  order among ties) when that confidence is ≥ ``threshold``, otherwise ``NONE``. The
  confusion matrix counts gold type × top type; ``type_accuracy`` = top type == gold type
  (its diagonal over all records, ``NONE`` records included).
* best event: among coded events of the gold type, the one whose trigger overlaps a word of
  ``eventText`` (else any), highest confidence first. The role metrics use it:
  ``actor_accuracy`` (records with source codes), ``recipient_accuracy`` and ``dyad_accuracy``
  (records with target codes), ``status_accuracy`` (records with ``status``),
  ``date_accuracy`` (records with ``eventDate``: equal start and end). These count a record
  whose gold type was not found as wrong (end to end); the ``*_given_type`` variants count
  only records where the type was found.
* per-type precision/recall/F1: for each sentence, P = the set of distinct types of all its
  coded events (any confidence). For type t: TP = sentences whose gold type is t and t ∈ P;
  predicted = sentences with t ∈ P (so every coded type in a sentence counts once, and a type
  coded in a sentence whose gold type differs — including ``NONE`` — is a false positive);
  gold = sentences whose gold type is t. precision = TP/predicted, recall = TP/gold,
  F1 = 2PR/(P+R) (0 for a type with gold but no predictions). ``micro_*`` pool the counts of
  all types; ``macro_f1`` averages F1 over types with gold or predicted support. Per-type
  recall and F1 are also gated (``recall.<TYPE>``, ``f1.<TYPE>`` in :meth:`SetScore.values`),
  so losing a single sentence of a type shows. The GSR codes one event per sentence, so precision
  is a lower bound: a second, real event in a sentence counts as a false positive.
* ``none_accuracy``: ``type_found`` over ``NONE`` records only.
* ``per_trap`` (report only): some of the above restricted to records carrying each ``traps``
  label (negation, passive, metonym, ...).
* actor resolution: every gold source/target actor whose ``actorText`` is found in the
  sentence, against the coded ``actors`` entries whose span overlaps it (any overlapping
  mention): ``resolution_country`` = one of them has a matching country (actors with a gold
  code); ``resolution_sector`` = one of them has the gold sector (actors with a gold sector).

Article gold (each article coded as one document).

* events: a coded event can match a gold event when its type is the gold type or one of the
  gold ``alt_types``, the parties are compatible (non-reciprocal: some coded actor matches a
  gold actor when gold lists actors, and when both list recipients some coded recipient
  matches a gold recipient; reciprocal on either side: the unions share a code) and the
  dates overlap (a missing date on either side does not block). Pairs are matched one to
  one, greedily, preferring a coded trigger in the gold sentence, then the exact type, then
  a trigger overlapping the gold trigger, then confidence. ``event_precision`` = matched
  coded / coded, ``event_recall`` = matched gold / gold. ``typed_event_*``: the same with
  only type + sentence required (a coded trigger inside the gold sentence), to separate
  trigger errors from role errors. On matched pairs: ``status_accuracy``, ``date_accuracy``
  (equal start and end), ``actor_complete`` (every gold actor code is among the coded actors —
  the union of both sides when reciprocal; matching already requires one of them) and
  ``recipient_accuracy`` (by :func:`roles_ok`, so a missing coded recipient is wrong; where gold
  lists recipients, or is reciprocal with two or more parties).
* quotes: a coded quote matches a gold quote when their character spans overlap by at least
  half of the longer one (gold spans are the quote text located in the article);
  one to one, best overlap first. The gold lists direct and partial quotations exhaustively but
  indirect ones only as a sample, so ``quote_precision``/``quote_recall`` count direct and
  partial quotes only (coded and gold); on every match (indirect included),
  ``speaker_accuracy`` (the coded speaker's name or mention text and the gold speaker name
  contain one another, ignoring case and accents, or the speaker's country matches the gold
  ``speaker_country``), ``speaker_name_accuracy`` (the name part alone) and
  ``quote_kind_accuracy``.
* events carrying ``derived_from`` (the AGREE/THREATEN statement of intent that PLOVER's future
  rule derives from a planned event) can match gold events (the gold codes some announced threats
  as THREATEN), but an unmatched one is not counted against precision: it is a second view of a
  planned event that the gold codes with its own type.
* per-type (events): precision = matched coded events of the type / coded events of the
  type; recall = matched gold events of the type / gold events of the type.
* times: by the same span overlap, but not one to one (the gold lists a repeated expression
  once): ``time_precision`` = coded times overlapping an occurrence of some gold time,
  ``time_recall`` = gold times with an overlapping coded time; ``time_value_accuracy`` (on the
  best-overlapping coded time) = equal ``value`` string, or equal ``start`` and ``end``.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dotterel.eval.article_score import score_articles
from dotterel.eval.articles import GoldArticle, load_articles
from dotterel.eval.gsr import GoldFormatError, GoldSentence, sentences_from_json
from dotterel.eval.results import EvalResult, SetScore
from dotterel.eval.sentence_score import score_sentences
from dotterel.ingest.document import Document


# -- running the coder ---------------------------------------------------------------------
def sentence_documents(gold: Sequence[GoldSentence]) -> list[Document]:
    return [Document(id=g.id, text=g.text, published=g.date, published_basis="input" if g.date else "unknown")
            for g in gold]


def article_documents(gold: Sequence[GoldArticle]) -> list[Document]:
    return [Document(id=a.id, text=a.text, published=a.published, published_basis="input" if a.published else "unknown",
                     title=a.title, source=a.source) for a in gold]


@dataclass(slots=True)
class GoldSet:
    name: str
    path: str
    kind: str  # "sentences" | "articles"
    items: list  # list[GoldSentence] | list[GoldArticle]


#: share of the project's own gold (in tenths) held out as the frozen test part
FROZEN_TENTHS = 3


def frozen_part(item_id: str) -> str:
    """``"test"`` for the frozen test part of the project's gold, ``"dev"`` for the rest.

    The split is a fixed rule on the item id (sentence record id or article id), so it never
    depends on what the coder gets right: ``sha1(id)`` modulo 10 below :data:`FROZEN_TENTHS`.
    Rules are changed while reading misses of the dev part only (``dotterel eval --errors``
    on ``gold/sentences.json#dev``); the test part is only ever scored.
    """
    import hashlib

    return "test" if int(hashlib.sha1(item_id.encode("utf-8")).hexdigest(), 16) % 10 < FROZEN_TENTHS else "dev"


def load_gold(path: str | Path, limit: int | None = None) -> GoldSet:
    """A GSR file (sentences), an article directory, or one article file.

    A ``#dev`` or ``#test`` suffix (``gold/sentences.json#test``) keeps only that part of the
    split made by :func:`frozen_part`; the set is then named ``<stem>-<part>``.
    """
    spath = str(path)
    if spath.endswith(("#dev", "#test")):
        base, part = spath.rsplit("#", 1)
        whole = load_gold(base, None)
        items = [it for it in whole.items if frozen_part(it.id) == part][:limit]
        return GoldSet(f"{whole.name}-{part}", spath, whole.kind, items)
    import json

    from dotterel.eval.articles import article_from_json, is_article

    p = Path(path)
    if p.is_dir():
        return GoldSet(p.name or str(p), str(p), "articles", load_articles(p, limit))
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GoldFormatError(f"{p}: {exc}") from exc
    if is_article(data):
        return GoldSet(p.stem, str(p), "articles", [article_from_json(data, str(p))])
    try:
        return GoldSet(p.stem, str(p), "sentences", sentences_from_json(data, limit))
    except GoldFormatError as exc:
        raise GoldFormatError(f"{p}: {exc}") from exc


def score_set(gold: GoldSet, coder: object) -> SetScore:
    """Code a gold set with ``coder`` (a :class:`dotterel.pipeline.Coder`) and score it."""
    t0 = time.perf_counter()
    if gold.kind == "sentences":
        coded = list(coder.code_documents(sentence_documents(gold.items)))  # type: ignore[attr-defined]
        result = score_sentences(gold.items, coded, name=gold.name, path=gold.path)
    else:
        coded = list(coder.code_documents(article_documents(gold.items)))  # type: ignore[attr-defined]
        result = score_articles(gold.items, coded, name=gold.name, path=gold.path)
    result.seconds = time.perf_counter() - t0
    return result


def evaluate(paths: Sequence[str | Path], *, settings: object | None = None, coder: object | None = None,
             limit: int | None = None) -> EvalResult:
    """Load every gold path, code it with one coder, and score it. Set names are the file stem
    or directory name (made unique with ``#2``, ``#3``...)."""
    from dotterel.pipeline import Coder
    from dotterel.settings import Settings

    t0 = time.perf_counter()
    sets = [load_gold(p, limit) for p in paths]
    seen: Counter[str] = Counter()
    for s in sets:
        seen[s.name] += 1
        if seen[s.name] > 1:
            s.name = f"{s.name}#{seen[s.name]}"
    if coder is None:
        coder = Coder(settings if isinstance(settings, Settings) else Settings())
    scores = [score_set(s, coder) for s in sets]
    model = getattr(getattr(coder, "settings", None), "model", "?")
    return EvalResult(scores, str(model), time.perf_counter() - t0)
