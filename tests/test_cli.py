"""The ``dotterel`` command line as a package: one module per command, shared options declared once,
and nothing heavy imported to show ``--help``."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from dotterel.cli import COMMANDS, app


def _option_help(command: str, option: str) -> str:
    click_command = get_command(app).commands[command]  # type: ignore[attr-defined]
    (param,) = [p for p in click_command.params if option in p.opts]
    return param.help


@pytest.mark.parametrize(("option", "commands"), [
    ("--model", ("code", "corpus", "eval")),
    ("--resource-dir", ("code", "corpus", "eval")),
    ("--min-confidence", ("code", "corpus", "eval")),
    ("--date", ("code", "corpus")),
])
def test_shared_options_have_one_definition(option: str, commands: tuple[str, ...]) -> None:
    helps = {_option_help(c, option) for c in commands}
    assert len(helps) == 1, helps


def test_every_command_module_registers_its_command() -> None:
    names = set(get_command(app).commands)  # type: ignore[attr-defined]
    assert names == {m.__name__.rsplit(".", 1)[1] for m in COMMANDS}


@pytest.mark.parametrize("command", ["code", "eval", "corpus", "export", "serve"])
def test_help_needs_neither_spacy_nor_the_web_stack(command: str) -> None:
    """``dotterel COMMAND --help`` must stay fast: the command modules import the library inside
    the command, so showing help loads neither spaCy, pandas nor FastAPI."""
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom dotterel.cli import app\n"
            f"r = CliRunner().invoke(app, [{command!r}, '--help'])\nassert r.exit_code == 0, r.output\n"
            "heavy = sorted(m for m in ('spacy', 'pandas', 'fastapi', 'sqlalchemy', 'pyarrow') if m in sys.modules)\n"
            "print(','.join(heavy))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"`dotterel {command} --help` imported {proc.stdout.strip()}"


def test_the_package_api_is_still_there() -> None:
    import dotterel

    assert callable(dotterel.code_text) and dotterel.Settings().model
    with pytest.raises(AttributeError):
        dotterel.no_such_name  # noqa: B018  (the attribute access is the test)
    assert CliRunner().invoke(app, ["--help"]).exit_code == 0
