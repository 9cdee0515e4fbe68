"""Exports: every format loads back (pandas / json) with exactly its documented columns."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from dotterel.cli import app
from dotterel.corpus.runner import write_parquet
from dotterel.corpus.samples import coded_document, event
from dotterel.export import export_events
from dotterel.export.formats import COLUMNS, FORMATS, container_for
from dotterel.export.registry import ExportFormat, registry
from dotterel.export.writers import csv_cell
from dotterel.store import Store
from dotterel.store.clusters import update_clusters

SUFFIX = {"plover-jsonl": "jsonl", "csv": "csv", "parquet": "parquet", "gdelt": "csv", "icews": "tsv",
          "polecat": "parquet", "phoenix": "txt"}


def docs() -> list:
    return [
        coded_document("a", [event("a", 0, "CONSULT", "FRA", "CHN", date="2023-04-05", sentence_text="Macron visited China."),
                             event("a", 1, "SANCTION", "USA", "RUS", date="2023-04-06", cameo="163", quad_class=4,
                                   intensity=-8.0, sentence_text="The US sanctioned Russia.")],
                       published="2023-04-06", source="Wire A"),
        coded_document("b", [event("b", 0, "CONSULT", "FRA", "CHN", date="2023-04-06", sentence_text="Macron in Beijing.")],
                       published="2023-04-07", source="Paper B"),
        coded_document("c", [event("c", 0, "AGREE", "IND", "PAK", date="2023-05-02", cameo="057", reciprocal=True,
                                   sentence_text="India and Pakistan agreed.")], published="2023-05-02", source=None),
        coded_document("x", [], errors=[("E101", "empty")], text=""),
    ]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "e.db")
    s.save_many(docs())
    update_clusters(s, ["a", "b", "c", "x"])
    return s


def load(fmt: str, path: Path) -> tuple[list[str], list[dict]]:
    kind = container_for(fmt, path)
    if kind == "jsonl":
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        return (list(rows[0]) if rows else []), rows
    if kind == "parquet":
        df = pd.read_parquet(path)
    else:
        df = pd.read_csv(path, sep="\t" if kind == "tsv" else ",", dtype=str, keep_default_na=False)
    return list(df.columns), df.to_dict("records")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("clusters", [False, True])
def test_every_format_loads_back_with_its_columns(store: Store, tmp_path: Path, fmt: str, clusters: bool) -> None:
    out = tmp_path / f"out.{SUFFIX[fmt]}"
    n = export_events(store, fmt, out, clusters=clusters)
    assert n == (3 if clusters else 4)
    columns, rows = load(fmt, out)
    assert columns == list(COLUMNS[fmt])
    assert len(rows) == n


def test_values_per_format(store: Store, tmp_path: Path) -> None:
    export_events(store, "csv", tmp_path / "e.csv")
    flat = pd.read_csv(tmp_path / "e.csv", dtype=str, keep_default_na=False)
    row = flat[flat["event_type"] == "SANCTION"].iloc[0]
    assert (row["date"], row["cameo"], row["quad_class"], row["actor_country"], row["recipient_country"]) == \
        ("2023-04-06", "163", "4", "USA", "RUS")
    assert flat[flat["event_type"] == "AGREE"].iloc[0]["reciprocal"] == "true"

    export_events(store, "parquet", tmp_path / "e.parquet")
    pq = pd.read_parquet(tmp_path / "e.parquet")
    assert pq["cameo"].tolist() == flat["cameo"].tolist() and pq["intensity"].dtype == "float64"

    export_events(store, "gdelt", tmp_path / "g.tsv", clusters=True)
    g = pd.read_csv(tmp_path / "g.tsv", sep="\t", dtype=str, keep_default_na=False)
    visit = g[g["EventCode"] == "042"].iloc[0]
    assert (visit["SQLDATE"], visit["Actor1CountryCode"], visit["Actor2CountryCode"], visit["EventRootCode"],
            visit["NumMentions"], visit["NumArticles"], visit["NumSources"]) == ("20230405", "FRA", "CHN", "04", "2", "2", "2")

    export_events(store, "icews", tmp_path / "i.csv")
    i = pd.read_csv(tmp_path / "i.csv", dtype=str, keep_default_na=False)
    assert set(i["Source Country"]) >= {"France", "United States", "India"}
    assert i[i["CAMEO Code"] == "163"].iloc[0]["Target Country"] == "Russian Federation"

    export_events(store, "polecat", tmp_path / "p.csv")
    p = pd.read_csv(tmp_path / "p.csv", dtype=str, keep_default_na=False)
    assert set(p["Event Type"]) == {"CONSULT", "SANCTION", "AGREE"}
    assert p[p["Event Type"] == "AGREE"].iloc[0]["Actor Country"] == "IND"

    export_events(store, "phoenix", tmp_path / "x.csv")
    x = pd.read_csv(tmp_path / "x.csv", dtype=str, keep_default_na=False)
    s = x[x["code"] == "163"].iloc[0]
    assert (s["source"], s["source_root"], s["source_agent"], s["target_root"], s["root_code"], s["story_date"]) == \
        ("USAGOV", "USA", "GOV", "RUS", "16", "2023-04-06")

    export_events(store, "plover-jsonl", tmp_path / "p.jsonl", clusters=True)
    recs = [json.loads(line) for line in (tmp_path / "p.jsonl").read_text().splitlines()]
    visit = next(r for r in recs if r["event"] == ["CONSULT"])
    assert visit["source"][0]["code"] == "FRA" and visit["recipient"][0]["code"] == "CHN"
    assert (visit["date"], visit["enddate"], visit["num_mentions"], visit["link"]) == ("2023-04-05", "2023-04-06", 2, visit["id"])


def test_cli_export_and_corpus_out_folder(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "ev.jsonl"
    result = CliRunner().invoke(app, ["export", "--db", str(tmp_path / "e.db"), "--format", "plover-jsonl", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == 4
    result = CliRunner().invoke(app, ["export", "--db", str(tmp_path / "e.db"), "--format", "nope", "--out", str(out)])
    assert result.exit_code == 2 and "E003" in result.output
    # a `dotterel corpus --out` folder (Parquet shards) can be exported directly
    folder = tmp_path / "corpus-out"
    write_parquet(folder / "shards" / "s1.parquet", docs())
    result = CliRunner().invoke(app, ["export", "--db", str(folder), "--format", "csv", "--out", str(tmp_path / "f.csv"),
                                      "--clusters"])
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(tmp_path / "f.csv")) == 3


FORMULA = '=HYPERLINK("http://example.invalid") marched.'


@pytest.mark.parametrize(("fmt", "name", "column", "expected"), [
    ("csv", "f.csv", "sentence_text", "'" + FORMULA),  # CSV: a spreadsheet would run it
    ("parquet", "f.parquet", "sentence_text", FORMULA),  # typed containers keep the text as it is
    ("plover-jsonl", "p.jsonl", "event_text", [FORMULA]),
])
def test_text_that_a_spreadsheet_would_run_is_escaped_in_csv(tmp_path: Path, fmt: str, name: str, column: str,
                                                             expected: object) -> None:
    s = Store(tmp_path / "f.db")
    s.save_many([coded_document("f", [event("f", 0, "PROTEST", "GBR", None, intensity=-6.5, sentence_text=FORMULA)])])
    export_events(s, fmt, tmp_path / name)
    _, rows = load(fmt, tmp_path / name)
    assert rows[0][column] == expected
    assert float(rows[0].get("intensity", -6.5)) == -6.5  # numbers are never escaped


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+1", "'=1+1"), ("+44 20", "'+44 20"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("Paris", "Paris"), (-6.5, -6.5), (None, ""), (True, "true"), (False, "false"),
])
def test_csv_cells(value: object, cell: object) -> None:
    assert csv_cell(value) == cell


def test_registry_lists_each_format_once_with_valid_types() -> None:
    formats = registry()
    assert tuple(formats) == FORMATS == ("plover-jsonl", "csv", "parquet", "gdelt", "icews", "polecat", "phoenix")
    for fmt in formats.values():
        assert set(fmt.types) <= set(fmt.columns) and len(set(fmt.columns)) == len(fmt.columns)
    with pytest.raises(ValueError, match="unknown columns"):
        ExportFormat("broken", ("a",), dict, {"b": "int"})
