"""Events: the trigger lexicon, argument roles, status, and the ``dotterel_events`` component."""

from dotterel.events.lexicon import Lexicon, load_lexicon

__all__ = ["Lexicon", "load_lexicon"]
