"""Loading the spaCy pipeline and registering Dotterel's Doc extensions."""

from dotterel.nlp.extensions import register_extensions
from dotterel.nlp.loader import load_base_pipeline

__all__ = ["load_base_pipeline", "register_extensions"]
