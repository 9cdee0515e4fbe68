"""Shared fixtures: one coder per test session (the model loads once)."""

from __future__ import annotations

import pytest

from dotterel.pipeline import Coder
from dotterel.settings import Settings


@pytest.fixture(scope="session")
def coder() -> Coder:
    return Coder(Settings())
