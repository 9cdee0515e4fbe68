"""pandas views of the store: events_frame and dyad_series."""

from __future__ import annotations

from pathlib import Path

import pytest

from dotterel.analysis import DYAD_COLUMNS, dyad_series, events_frame
from dotterel.corpus.samples import coded_document, event
from dotterel.errors import DotterelError
from dotterel.export.formats import FLAT_COLUMNS
from dotterel.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "a.db")
    evs = [event("d1", k, "ASSAULT", "RUS", "UKR", date=f"2023-0{m}-0{k + 1}", cameo="190", quad_class=4,
                 intensity=-10.0 + k) for k, m in ((0, 1), (1, 1), (2, 2))]
    evs += [event("d1", 3, "CONSULT", "UKR", "RUS", date="2023-01-20", intensity=2.0),
            event("d1", 4, "CONSULT", "FRA", "CHN", date="2023-02-02")]
    s.save(*coded_document("d1", evs, published="2023-03-01", source="wire"))
    return s


def test_events_frame(store: Store) -> None:
    df = events_frame(store)
    assert list(df.columns) == list(FLAT_COLUMNS) and len(df) == 5
    assert str(df["date"].dtype).startswith("datetime64") and df["intensity"].dtype == "float64"
    assert df["cameo"].tolist().count("190") == 3  # codes stay strings
    assert len(events_frame(store, actor="RUS")) == 3
    assert len(events_frame(store, actor="RUS", date_from="2023-01-02")) == 2
    assert len(events_frame(store, event_type="CONSULT", recipient="CHN")) == 1
    assert len(events_frame(store, limit=2)) == 2
    with pytest.raises(DotterelError):
        events_frame(store, colour="red")
    with pytest.raises(DotterelError):
        events_frame(store, date_from="yesterday")


def test_dyad_series(store: Store) -> None:
    df = dyad_series(store, "RUS", "UKR", period="month")
    assert list(df.columns) == list(DYAD_COLUMNS)
    assert df.values.tolist() == [["2023-01", 1, 1, 2.0], ["2023-01", 4, 2, -9.5], ["2023-02", 4, 1, -8.0]]
    one_way = dyad_series(store, "RUS", "UKR", period="year", both_directions=False)
    assert one_way.values.tolist() == [["2023", 4, 3, -9.0]]
    assert dyad_series(store, "FRA", "USA").empty
