"""The how-to sections of docs/architecture.md work as written: each test takes the code and data
blocks of its section and does what the section says, in a temporary folder."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import dotterel.export.formats as formats_package
from dotterel.cli import app
from dotterel.corpus.samples import coded_document, event
from dotterel.errors import DotterelError, ErrorCode
from dotterel.export.registry import registry
from dotterel.store import Store

ARCH = (Path(__file__).resolve().parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = ARCH.index(f"\n## {title}\n")
    end = ARCH.find("\n## ", start + 1)
    return ARCH[start: end if end != -1 else len(ARCH)]


def blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, re.S)


# -- How to add an export format --------------------------------------------------------------
@pytest.fixture
def dyads_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The section's module, dropped into a folder on the formats package's path."""
    (code,) = blocks(section("How to add an export format"), "python")
    folder = tmp_path / "more_formats"
    folder.mkdir()
    (folder / "dyads.py").write_text(code, encoding="utf-8")
    monkeypatch.setattr(formats_package, "__path__", [*formats_package.__path__, str(folder)])
    registry.cache_clear()
    yield
    registry.cache_clear()
    sys.modules.pop("dotterel.export.formats.dyads", None)


def test_the_export_format_section_adds_a_format(dyads_format: None, tmp_path: Path) -> None:
    store = Store(tmp_path / "e.db")
    store.save_many([coded_document("a", [event("a", 0, "CONSULT", "FRA", "CHN", date="2023-04-05"),
                                          event("a", 1, "PROTEST", None, None, date="2023-04-06")])])
    store.close()
    assert "dyads" in registry()
    runner = CliRunner()
    for name in ("d.csv", "d.parquet"):
        result = runner.invoke(app, ["export", "--db", str(tmp_path / "e.db"), "--format", "dyads",
                                     "--out", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        df = pd.read_parquet(tmp_path / name) if name.endswith(".parquet") else \
            pd.read_csv(tmp_path / name, dtype=str, keep_default_na=False)
        assert list(df.columns) == ["event_id", "date", "source_country", "target_country", "event_type", "confidence"]
        assert df["source_country"].tolist()[0] == "FRA" and df["target_country"].tolist()[0] == "CHN"
    assert pd.read_parquet(tmp_path / "d.parquet")["confidence"].dtype == "float64"


def test_without_the_module_the_format_is_unknown(tmp_path: Path) -> None:
    registry.cache_clear()
    Store(tmp_path / "e.db").close()
    result = CliRunner().invoke(app, ["export", "--db", str(tmp_path / "e.db"), "--format", "dyads",
                                      "--out", str(tmp_path / "d.csv")])
    assert result.exit_code == 2 and "E003" in result.output and "plover-jsonl" in result.output


# -- How to add a resource file -----------------------------------------------------------------
def test_the_resource_file_section_reads_and_validates_a_table(tmp_path: Path) -> None:
    text = section("How to add a resource file")
    (table,) = blocks(text, "tsv")
    (code,) = blocks(text, "python")
    relpath = table.splitlines()[0].lstrip("# ").split(":")[0]
    folder = tmp_path / "my-data"
    (folder / relpath).parent.mkdir(parents=True)
    (folder / relpath).write_text(table, encoding="utf-8")
    namespace: dict[str, object] = {"__name__": "howto_resource"}
    exec(compile(code, "docs/architecture.md", "exec"), namespace)  # the section's code, as written
    load = namespace["load_mascots"]
    mascots = load((folder,))  # type: ignore[operator]
    assert mascots["Kiwi"].country == "NZL" and mascots["Kiwi"].aliases == ["kiwi bird", "the kiwi"]
    assert set(mascots) == {"Kiwi", "Gallic rooster"}

    bad = tmp_path / "bad-data"
    (bad / relpath).parent.mkdir(parents=True)
    (bad / relpath).write_text(table + "Bald eagle\tUnited States\t\n", encoding="utf-8")
    with pytest.raises(DotterelError) as err:
        load((bad,))  # type: ignore[operator]
    assert err.value.code == ErrorCode.RESOURCE_INVALID
    assert relpath in str(err.value) and "at line 5" in str(err.value) and "country" in str(err.value)
