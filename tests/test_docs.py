"""The documentation stays true to the code: every CLI command is documented and answers --help,
every stage folder is described in docs/architecture.md, and the Makefile targets the README names exist."""

from __future__ import annotations

import re
from pathlib import Path

from typer.main import get_command
from typer.testing import CliRunner

from dotterel.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ARCH = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    return sorted(get_command(app).commands)  # type: ignore[attr-defined]


def test_expected_commands_exist() -> None:
    assert {"code", "eval", "corpus", "export", "serve"} <= set(_commands())


def test_every_command_is_in_the_readme_and_has_help() -> None:
    runner = CliRunner()
    for name in _commands():
        assert f"dotterel {name}" in README, f"README does not document `dotterel {name}`"
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, result.output
        assert "Usage" in result.output


def test_readme_options_of_code_exist() -> None:
    out = CliRunner().invoke(app, ["code", "--help"], terminal_width=200).output
    for opt in re.findall(r"--[a-z][a-z-]+", README.split("## Command line")[1].split("|", 3)[2]):
        assert opt in out, f"README mentions {opt} for `dotterel code`, but --help does not"


def test_every_stage_folder_is_described() -> None:
    pkg = ROOT / "src" / "dotterel"
    folders = [p.name for p in pkg.iterdir() if p.is_dir() and (p / "__init__.py").exists()]
    for name in folders:
        assert f"{name}/" in ARCH, f"docs/architecture.md does not describe {name}/"


def test_makefile_targets_named_in_readme_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in set(re.findall(r"`make ([a-z-]+)`", README)):
        assert re.search(rf"^{re.escape(target)}:", makefile, re.M), f"make {target} is in the README but not the Makefile"


def test_make_test_runs_lint_and_ci_runs_make_test() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    test_target = re.search(r"^test:(.*)$", makefile, re.M)
    assert test_target and "lint" in test_target.group(1).split(), "make test must run make lint first"
    assert re.search(r"^lint:.*\n\t\S*ruff check src tests bench\n\t\S*mypy", makefile, re.M)
    assert re.search(r"^test-fast:.*\n.*-m \"not slow\"", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
