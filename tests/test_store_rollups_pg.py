"""The rollup and incremental-cluster tests (tests/test_store_rollups.py) against PostgreSQL
(``DOTTEREL_TEST_PG_URL``; skipped without it, like tests/test_store_postgres.py)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.postgres

from test_store_postgres import store  # noqa: E402,F401 - the fixture: a fresh schema per test
from test_store_rollups import (  # noqa: E402,F401 - the same tests, collected here with that fixture
    test_an_older_store_gets_its_rollups_built_when_opened,
    test_events_total_is_capped_and_labelled_when_the_rollups_cannot_count,
    test_incremental_clusters_equal_a_full_recluster,
    test_rollups_answer_like_the_events_after_saves_resaves_and_deletes,
)
