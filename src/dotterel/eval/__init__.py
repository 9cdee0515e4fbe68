"""The accuracy harness: score the coder against sentence gold (PLOVER-GSR format) and
article gold, report the numbers, and gate them against a baseline (``dotterel eval``)."""

from dotterel.eval.score import EvalResult, SetScore, evaluate, score_articles, score_sentences

__all__ = ["EvalResult", "SetScore", "evaluate", "score_articles", "score_sentences"]
