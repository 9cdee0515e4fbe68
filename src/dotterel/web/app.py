"""The web explorer: a FastAPI app with a JSON API under ``/api`` and server-rendered pages.

Build it with :func:`create_app` (``dotterel serve`` does that and runs it with uvicorn)::

    from dotterel.store import Store
    from dotterel.web import create_app
    app = create_app(Store("dotterel.db"))

Reading is open on loopback (or needs the read token when one is given); coding new text
(``POST /api/code``) is off unless a write token is given, and then needs
``Authorization: Bearer <token>``. Only requests whose ``Host`` header names a loopback name or a
configured host are answered (DNS rebinding).
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from dotterel import __version__
from dotterel.errors import DotterelError, ErrorCode, message
from dotterel.ingest.document import Document
from dotterel.records.models import CodedDocument
from dotterel.settings import Settings
from dotterel.store import Store
from dotterel.web.query import STATUS_FOR, WebError
from dotterel.web.security import (
    BodyLimitMiddleware,
    HostCheckMiddleware,
    RateLimiter,
    ReadTokenMiddleware,
    SecurityHeadersMiddleware,
    error_body,
)

log = logging.getLogger("dotterel.web")

HERE = Path(__file__).parent
DEFAULT_MAX_UPLOAD_BYTES = 2_000_000
DEFAULT_RATE_LIMIT: tuple[int, float] = (10, 60.0)
#: Not a Dotterel error code: an unexpected server fault (see the logs).
INTERNAL_ERROR = "E500"


class WebContext:
    """What the routes share: the store, settings, write token, rate limiter and the lazy coder."""

    def __init__(self, store: Store, settings: Settings, write_token: str | None, max_upload_bytes: int,
                 rate_limit: tuple[int, float] | None, coder=None) -> None:
        self.store = store
        self.settings = settings
        self.write_token = write_token or None
        self.max_upload_bytes = max_upload_bytes
        self.limiter = RateLimiter(*rate_limit) if rate_limit else None
        #: requests with a wrong token are limited on their own, so they never use up the writer's quota
        self.fail_limiter = RateLimiter(*rate_limit) if rate_limit else None
        self._gazetteer = None
        self._names = None
        self._cache: dict[object, tuple[float, object]] = {}
        self._cache_lock = threading.Lock()
        self._coder = coder
        self._coder_lock = threading.Lock()
        self._code_lock = threading.Lock()

    @property
    def write_enabled(self) -> bool:
        return self.write_token is not None

    def coder(self):
        """The server's Coder, loaded on first use (the model load is the slow part)."""
        if self._coder is None:
            with self._coder_lock:
                if self._coder is None:
                    from dotterel.pipeline import get_coder

                    self._coder = get_coder(self.settings)
        return self._coder

    def gazetteer(self):
        """The coder's own gazetteer (names, aliases, office holders), loaded on first use."""
        if self._gazetteer is None:
            with self._coder_lock:
                if self._gazetteer is None:
                    from dotterel.actors.gazetteer import load_gazetteer

                    self._gazetteer = load_gazetteer(tuple(self.settings.resource_dirs))
        return self._gazetteer

    def names(self):
        if self._names is None:
            from dotterel.web.names import NameIndex

            self._names = NameIndex(self.gazetteer())
        return self._names

    def cached(self, key: object, compute, ttl: float = 60.0):
        """``compute()``, remembered for ``ttl`` seconds (lists for forms: countries, sources)."""
        now = time.monotonic()
        with self._cache_lock:
            hit = self._cache.get(key)
            if hit is not None and now - hit[0] < ttl:
                return hit[1]
        value = compute()
        with self._cache_lock:
            if len(self._cache) > 256:
                self._cache.clear()
            self._cache[key] = (now, value)
        return value

    def store_countries(self) -> set[str]:
        from dotterel.store.queries import known_countries

        return self.cached("countries", lambda: known_countries(self.store))

    def resolve_name(self, value: str, sector: str | None = None):
        """An actor filter read through the gazetteer (see :mod:`dotterel.web.names`)."""
        return self.names().resolve(value, self.store_countries, sector)

    def code(self, document: Document) -> CodedDocument:
        coder = self.coder()
        with self._code_lock:  # one spaCy pipeline, one document at a time
            return coder.code(document)


def _templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["seg"] = lambda v: quote(str(v), safe="")
    env.filters["qs"] = lambda d: urlencode({k: v for k, v in d.items() if v not in (None, "")})
    env.globals["version"] = __version__
    return Jinja2Templates(env=env)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request, code: str, msg: str, status: int, headers: dict[str, str] | None = None):
    if wants_json(request):
        return JSONResponse(error_body(code, msg), status_code=status, headers=headers)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html", {"code": code, "message": msg, "status": status,
                                                              "write_enabled": request.app.state.web.write_enabled},
                                      status_code=status, headers=headers)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(WebError)
    async def _web_error(request: Request, exc: WebError):
        return error_response(request, exc.code, exc.message, exc.status, exc.headers)

    @app.exception_handler(DotterelError)
    async def _dotterel_error(request: Request, exc: DotterelError):
        return error_response(request, exc.code.value, message(exc.code, **exc.fields), STATUS_FOR.get(exc.code, 400))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        first = (exc.errors() or [{}])[0]
        loc = [str(x) for x in first.get("loc", ()) if x not in ("query", "path", "body", "header")]
        name = ".".join(loc) or "request"
        return error_response(request, ErrorCode.BAD_QUERY.value,
                              message(ErrorCode.BAD_QUERY, name=name, reason=first.get("msg", "invalid")), 400)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            return error_response(request, ErrorCode.NOT_FOUND.value,
                                  message(ErrorCode.NOT_FOUND, what="path", key=request.url.path), 404)
        return error_response(request, ErrorCode.BAD_QUERY.value, str(exc.detail), exc.status_code,
                              dict(exc.headers or {}))

    @app.exception_handler(SQLAlchemyError)
    async def _store_error(request: Request, exc: SQLAlchemyError):
        log.exception("store error on %s", request.url.path)
        return error_response(request, ErrorCode.STORE_UNAVAILABLE.value,
                              message(ErrorCode.STORE_UNAVAILABLE, url="(server store)", reason=type(exc).__name__), 503)

    @app.exception_handler(Exception)
    async def _internal_error(request: Request, exc: Exception):
        log.exception("unhandled error on %s", request.url.path)
        return error_response(request, INTERNAL_ERROR, "internal server error", 500)


def _fix_openapi(app: FastAPI) -> None:
    """FastAPI advertises 422 for parameter errors; this app answers them with 400 (E202)."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        for ops in schema.get("paths", {}).values():
            for op in ops.values():
                responses = op.get("responses", {})
                if responses.get("422", {}).get("description") == "Validation Error":
                    del responses["422"]
        comps = schema.get("components", {}).get("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            comps.pop(name, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(store: Store, settings: Settings | None = None, write_token: str | None = None,
               max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
               rate_limit: tuple[int, float] | None = DEFAULT_RATE_LIMIT, coder=None,
               read_token: str | None = None, allowed_hosts: tuple[str, ...] = ()) -> FastAPI:
    """The explorer app over ``store``.

    ``write_token``: enables ``POST /api/code`` (clients send ``Authorization: Bearer <token>``).
    ``max_upload_bytes``: larger request bodies get 413 (E204).
    ``rate_limit``: ``(requests, seconds)`` per client for ``POST /api/code`` (429, E205); None = off.
    ``coder``: a ready :class:`dotterel.pipeline.Coder` (otherwise one is loaded on the first write).
    ``read_token``: every request then needs it (or the write token), as a Bearer header or cookie.
    ``allowed_hosts``: host names answered besides the loopback names (``*``: any).
    """
    from dotterel.web.api import router as api_router
    from dotterel.web.pages import router as page_router

    app = FastAPI(title="Dotterel explorer", version=__version__,
                  description="Political events (PLOVER/CAMEO) coded from news text: documents, events, actors, "
                              "dyad timelines and the actor network. Errors are `{\"error\": {\"code\", \"message\"}}`.",
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    _fix_openapi(app)
    app.state.web = WebContext(store, settings or Settings(), write_token, max_upload_bytes, rate_limit, coder)
    app.state.templates = _templates()
    _install_error_handlers(app)
    app.include_router(api_router)
    app.include_router(page_router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(BodyLimitMiddleware, max_bytes=max_upload_bytes)
    if read_token:
        app.add_middleware(ReadTokenMiddleware, tokens=(read_token, write_token or ""))
    app.add_middleware(HostCheckMiddleware, allowed=frozenset(allowed_hosts))
    app.add_middleware(SecurityHeadersMiddleware)
    from dotterel.store.queries import ensure_indexes

    ensure_indexes(store)
    return app
