"""The quotes stage: direct, partial and indirect quotations with cue, channel and speaker.

Importing :mod:`dotterel.quotes.component` registers the ``dotterel_quotes`` pipeline factory.
"""

from dotterel.quotes.component import QuoteFinder, make_quotes
from dotterel.quotes.cues import CueRow, Lexicon, load_lexicon
from dotterel.quotes.marks import QuoteSpan, find_quotes

__all__ = ["CueRow", "Lexicon", "QuoteFinder", "QuoteSpan", "find_quotes", "load_lexicon", "make_quotes"]
