"""Serving the explorer: the exposure check and :func:`run_server` (called by ``dotterel serve``)."""

from __future__ import annotations

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


WILDCARDS = {"0.0.0.0", "::", ""}


class ServeRefused(Exception):
    """The options would expose the explorer unsafely; the message says what to add."""


def check_exposure(host: str, read_token: str | None, public: bool, allowed_hosts: tuple[str, ...]) -> tuple[str, ...]:
    """The host names to allow; raise :class:`ServeRefused` when serving off loopback without a
    read token and without an explicit ``--public``, or on all interfaces without ``--allow-host``."""
    if host in LOOPBACK:
        return allowed_hosts
    if not read_token and not public:
        raise ServeRefused(f"serving on {host} would let anyone who can reach it read the store: give --read-token "
                           "(or DOTTEREL_READ_TOKEN), or --public to serve it openly on purpose")
    if host in WILDCARDS:
        if not allowed_hosts:
            raise ServeRefused(f"serving on {host or 'all interfaces'}: name the host names clients use with "
                               "--allow-host NAME (repeatable; '*' accepts any, for use behind a checking proxy)")
        return allowed_hosts
    return (*allowed_hosts, host)


def run_server(db: str, host: str = "127.0.0.1", port: int = 8000, write_token: str | None = None,
               model: str | None = None, max_upload_bytes: int | None = None, rate_limit: int | None = None,
               read_token: str | None = None, public: bool = False, allowed_hosts: tuple[str, ...] = ()) -> None:
    """Open the store, build the app and serve it with uvicorn until interrupted."""
    import uvicorn
    from rich.console import Console

    from dotterel.settings import Settings
    from dotterel.store import Store
    from dotterel.web.app import (
        DEFAULT_MAX_UPLOAD_BYTES,
        DEFAULT_RATE_LIMIT,
        create_app,
    )

    err = Console(stderr=True)
    allowed = check_exposure(host, read_token, public, allowed_hosts)
    store = Store(db)
    limit = DEFAULT_RATE_LIMIT if rate_limit is None else ((rate_limit, 60.0) if rate_limit > 0 else None)
    app = create_app(store, Settings.from_env(model=model), write_token=write_token or None,
                     max_upload_bytes=max_upload_bytes or DEFAULT_MAX_UPLOAD_BYTES, rate_limit=limit,
                     read_token=read_token or None, allowed_hosts=allowed)
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
