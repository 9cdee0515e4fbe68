"""Issue 12 items 9 and 11 (and 3 end to end): the exit status of ``dotterel code`` says what happened,
usage errors go to stderr before the model loads, and a duplicate id never overwrites a stored document."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dotterel.cli import app
from dotterel.errors import ExitCode

GOOD = "Police arrested 40 protesters in the capital on Sunday, witnesses said."


def run(*args: str):
    return CliRunner().invoke(app, ["code", *args])


def test_exit_code_values_are_stable() -> None:
    assert [int(c) for c in ExitCode] == [0, 1, 2, 3]
    assert [c.name for c in ExitCode] == ["OK", "DOCUMENTS_FAILED", "USAGE", "INTERNAL"]


def test_help_states_the_exit_codes() -> None:
    result = CliRunner().invoke(app, ["code", "--help"], terminal_width=200)
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for phrase in ("0 every document coded", "1 the run finished but some documents failed",
                   "2 usage or setup error", "3 internal error"):
        assert phrase in text, phrase


def test_missing_input_is_a_usage_error_before_the_model_loads(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    db = tmp_path / "out.db"
    # a model that does not exist: had it been loaded first, the error would be E001, not E005
    result = run("--format", "jsonl", "--model", "no_such_pipeline_xyz", "--db", str(db),
                 str(good), str(tmp_path / "nope.txt"))
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert "E005" in result.stderr and "nope.txt" in result.stderr and "E001" not in result.stderr
    assert not db.exists(), "nothing is stored"


def test_missing_input_in_a_real_process(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "dotterel"
    proc = subprocess.run([str(script), "code", "--format", "jsonl", str(tmp_path / "missing.jsonl")],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == "" and "E005" in proc.stderr


@pytest.mark.parametrize("args", [["--date", "17/03/2023"], ["--time-budget", "-1"], ["--format", "xml"]])
def test_bad_options_are_usage_errors(tmp_path: Path, args: list[str]) -> None:
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    result = run(*args, str(good))
    assert result.exit_code == ExitCode.USAGE, result.output


def test_all_good_is_0_and_some_failed_is_1(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    assert run("--format", "jsonl", "--date", "2021-05-02", str(good)).exit_code == ExitCode.OK
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = run("--format", "jsonl", "--date", "2021-05-02", str(good), str(empty))
    assert result.exit_code == ExitCode.DOCUMENTS_FAILED
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [[e["code"] for e in r["errors"]] for r in rows] == [[], ["E101"]]


def test_an_internal_error_is_3_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dotterel.batch

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("something inside broke")

    monkeypatch.setattr(dotterel.batch, "code_inputs", broken)
    monkeypatch.delenv("DOTTEREL_DEBUG", raising=False)
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    result = run(str(good))
    assert result.exit_code == ExitCode.INTERNAL
    assert "internal error: RuntimeError: something inside broke" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) <= 2


def test_duplicate_ids_are_reported_and_never_overwrite(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in [
        {"id": "wire-1", "text": GOOD, "date": "2021-05-02", "source": "First Wire"},
        {"id": "wire-1", "text": "Troops shelled the border town overnight, officials said.", "date": "2021-05-03",
         "source": "Second Wire"},
    ]), encoding="utf-8")
    db = tmp_path / "out.db"
    result = run("--format", "jsonl", "--db", str(db), str(feed))
    assert result.exit_code == ExitCode.DOCUMENTS_FAILED
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [[e["code"] for e in r["errors"]] for r in rows] == [[], ["E112"]]
    from dotterel.store import Store

    store = Store(db)
    assert store.count("documents") == 1
    stored = store.document("wire-1")
    assert stored is not None and stored[0].doc.source == "First Wire" and stored[1] == GOOD


def test_readme_states_the_same_exit_codes() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Exit codes", 1)[1].split("\n## ", 1)[0]
    for code in ExitCode:
        assert f"| {int(code)} |" in section, code

