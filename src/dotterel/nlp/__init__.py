"""Loading the spaCy pipeline and registering Dotterel's Doc extensions."""

from dotterel.nlp.extensions import doc_text, made_from, register_extensions, token_strings
from dotterel.nlp.loader import load_base_pipeline

__all__ = ["doc_text", "load_base_pipeline", "made_from", "register_extensions", "token_strings"]
