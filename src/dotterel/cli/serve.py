"""``dotterel serve``: parse options, call :func:`dotterel.web.serve.run_server`."""

from __future__ import annotations

from typing import Annotated

import typer


def serve(
    db: Annotated[str, typer.Option(help="The store: a SQLite path or a database URL (sqlite:///…, postgresql://…).")] = "dotterel.db",
    host: Annotated[str, typer.Option(help="Interface to listen on (default: loopback only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    write_token: Annotated[str | None, typer.Option(
        envvar="DOTTEREL_WRITE_TOKEN", show_envvar=True,
        help="Enable POST /api/code for clients sending 'Authorization: Bearer <token>'. Off by default.")] = None,
    model: Annotated[str | None, typer.Option(help="spaCy pipeline for coding new texts (default en_core_web_md).")] = None,
    max_upload_bytes: Annotated[int | None, typer.Option(help="Largest request body accepted (default 2000000).")] = None,
    rate_limit: Annotated[int | None, typer.Option(help="POST /api/code requests per minute per client (default 10; 0 = no limit).")] = None,
    read_token: Annotated[str | None, typer.Option(
        envvar="DOTTEREL_READ_TOKEN", show_envvar=True,
        help="Every request needs this token (Bearer header, or open a page once with ?read_token=…). "
             "Required off loopback unless --public.")] = None,
    public: Annotated[bool, typer.Option("--public", help="Serve off loopback without a read token, on purpose.")] = False,
    allow_host: Annotated[list[str] | None, typer.Option(
        help="A host name clients use (Host header), besides the loopback names; repeatable.")] = None,
) -> None:
    """Serve the web explorer and JSON API over a store (read-only unless given a write token)."""
    from rich.console import Console
    from rich.text import Text

    from dotterel.errors import DotterelError
    from dotterel.web.serve import ServeRefused, run_server

    try:
        run_server(db, host, port, write_token, model, max_upload_bytes, rate_limit, read_token, public,
                   tuple(allow_host or ()))
    except ServeRefused as exc:
        Console(stderr=True).print(Text(f"refused: {exc}", style="red"))
        raise typer.Exit(2) from exc
    except DotterelError as exc:
        Console(stderr=True).print(Text(str(exc), style="red"))
        raise typer.Exit(2) from exc


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
