"""``dotterel serve``: parse options, call :func:`run_server`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def run_server(db: str, host: str = "127.0.0.1", port: int = 8000, write_token: str | None = None,
               model: str | None = None, max_upload_bytes: int | None = None, rate_limit: int | None = None) -> None:
    """Open the store, build the app and serve it with uvicorn until interrupted."""
    import uvicorn
    from rich.console import Console

    from dotterel.settings import Settings
    from dotterel.store import Store
    from dotterel.web.app import DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_RATE_LIMIT, create_app

    err = Console(stderr=True)
    store = Store(db)
    limit = DEFAULT_RATE_LIMIT if rate_limit is None else ((rate_limit, 60.0) if rate_limit > 0 else None)
    app = create_app(store, Settings.from_env(model=model), write_token=write_token or None,
                     max_upload_bytes=max_upload_bytes or DEFAULT_MAX_UPLOAD_BYTES, rate_limit=limit)
    if host not in LOOPBACK:
        err.print(f"[yellow]warning: serving on {host}, reachable from other machines, without TLS; "
                  "put a TLS reverse proxy in front of it.[/]")
    if write_token:
        if len(write_token) < 16:
            err.print("[yellow]warning: the write token is short; use a long random one "
                      "(python -c 'import secrets; print(secrets.token_urlsafe())').[/]")
        err.print("writing enabled: POST /api/code and /code accept 'Authorization: Bearer <token>'")
    else:
        err.print("read-only (start with --write-token or DOTTEREL_WRITE_TOKEN to allow coding new texts)")
    err.print(f"Dotterel explorer on http://{'[' + host + ']' if ':' in host else host}:{port}/  (store: {store.url})")
    try:
        uvicorn.run(app, host=host, port=port, log_level="info", server_header=False, proxy_headers=False)
    finally:
        store.close()


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_cmd(
        db: Annotated[str, typer.Option(help="The store: a SQLite path or a database URL (sqlite:///…, postgresql://…).")] = "dotterel.db",
        host: Annotated[str, typer.Option(help="Interface to listen on (default: loopback only).")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
        write_token: Annotated[Optional[str], typer.Option(
            envvar="DOTTEREL_WRITE_TOKEN", show_envvar=True,
            help="Enable POST /api/code for clients sending 'Authorization: Bearer <token>'. Off by default.")] = None,
        model: Annotated[Optional[str], typer.Option(help="spaCy pipeline for coding new texts (default en_core_web_md).")] = None,
        max_upload_bytes: Annotated[Optional[int], typer.Option(help="Largest request body accepted (default 2000000).")] = None,
        rate_limit: Annotated[Optional[int], typer.Option(help="POST /api/code requests per minute per client (default 10; 0 = no limit).")] = None,
    ) -> None:
        """Serve the web explorer and JSON API over a store (read-only unless given a write token)."""
        from rich.console import Console
        from rich.text import Text

        from dotterel.errors import DotterelError

        try:
            run_server(db, host, port, write_token, model, max_upload_bytes, rate_limit)
        except DotterelError as exc:
            Console(stderr=True).print(Text(str(exc), style="red"))
            raise typer.Exit(2) from exc
