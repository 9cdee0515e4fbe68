"""Shared fixtures: one coder per test session (the model loads once), and the settings a run would
read from the environment (``DOTTEREL_*``)."""

from __future__ import annotations

import pytest

from dotterel.pipeline import Coder
from dotterel.settings import Settings


@pytest.fixture(scope="session")
def coder() -> Coder:
    return Coder(Settings())


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings.from_env()
