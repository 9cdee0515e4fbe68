"""The ``dotterel`` command line: one module per command, each parsing its options and calling
one library function (``code`` → :func:`dotterel.batch.code_inputs`, ``eval`` →
:func:`dotterel.eval.report.run_eval`, ``corpus`` → :func:`dotterel.corpus.runner.run_corpus`,
``export`` → :func:`dotterel.export.export_events`, ``serve`` →
:func:`dotterel.web.serve.run_server`). Shared options live in :mod:`dotterel.cli.options`.

Command modules import the library inside the command, so ``dotterel --help`` loads neither
spaCy nor the web stack.
"""

from __future__ import annotations

import sys

import typer

from dotterel.cli import code, corpus, export, serve
from dotterel.cli import eval as evaluate  # the module; not the builtin

app = typer.Typer(help="Dotterel: political event data (PLOVER/CAMEO) from English news text.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False)

#: The commands, in the order ``dotterel --help`` lists them.
COMMANDS = (code, evaluate, corpus, export, serve)
for _command in COMMANDS:
    _command.register(app)


def main() -> None:  # pragma: no cover
    sys.exit(app())
