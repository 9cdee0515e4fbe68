"""Request-size limit, per-client rate limit, bearer-token check and security headers."""

from __future__ import annotations

import hmac
import json
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

from dotterel.errors import ErrorCode, message

#: Sent with every response. No inline scripts or styles anywhere, nothing from other origins.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                 b"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
)

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def error_body(code: ErrorCode | str, msg: str) -> dict:
    return {"error": {"code": str(code), "message": msg}}


async def _send_json(send, status: int, body: dict, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    data = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
                            (b"connection", b"close"), *(headers or [])]})
    await send({"type": "http.response.body", "body": data})


class BodyLimitMiddleware:
    """Refuse request bodies larger than ``max_bytes`` with 413 / E204.

    A declared Content-Length above the limit is refused before anything is read; otherwise the
    body is read (at most ``max_bytes`` + one chunk) and replayed to the app, so chunked uploads
    cannot get past the limit either."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = error_body(ErrorCode.PAYLOAD_TOO_LARGE, message(ErrorCode.PAYLOAD_TOO_LARGE, limit=self.max_bytes))
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await _send_json(send, 400, error_body(ErrorCode.BAD_QUERY, message(
                    ErrorCode.BAD_QUERY, name="Content-Length", reason="not a number")))
                return
            if int(declared) > self.max_bytes:
                await _send_json(send, 413, too_large)
                return
        if scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        total = 0
        while True:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                return
            chunk = msg.get("body", b"")
            total += len(chunk)
            if total > self.max_bytes:
                await _send_json(send, 413, too_large)
                return
            chunks.append(chunk)
            if not msg.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> dict:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class SecurityHeadersMiddleware:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(msg: dict) -> None:
            if msg["type"] == "http.response.start":
                present = {k.lower() for k, _ in msg.get("headers", [])}
                msg["headers"] = [*msg.get("headers", []), *((k, v) for k, v in SECURITY_HEADERS if k not in present)]
            await send(msg)

        await self.app(scope, receive, send_with_headers)


class RateLimiter:
    """At most ``max_requests`` per ``per_seconds`` for each client key (sliding window, in memory)."""

    def __init__(self, max_requests: int, per_seconds: float, *, clock: Callable[[], float] = time.monotonic,
                 max_clients: int = 10_000) -> None:
        if max_requests < 1 or per_seconds <= 0:
            raise ValueError("rate limit needs max_requests >= 1 and per_seconds > 0")
        self.max_requests = max_requests
        self.per_seconds = per_seconds
        self.clock = clock
        self.max_clients = max_clients
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str) -> float | None:
        """Record a request; None if allowed, else the seconds until the next one would be."""
        now = self.clock()
        with self._lock:
            hits = self._hits.pop(key, None) or deque()
            while hits and hits[0] <= now - self.per_seconds:
                hits.popleft()
            self._hits[key] = hits  # most recently seen clients last
            while len(self._hits) > self.max_clients:
                self._hits.popitem(last=False)
            if len(hits) >= self.max_requests:
                return max(0.0, hits[0] + self.per_seconds - now)
            hits.append(now)
            return None


def token_matches(header: str | None, token: str) -> bool:
    """Constant-time check of an ``Authorization: Bearer <token>`` header."""
    if not header:
        return False
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(value.strip().encode(), token.encode())


#: Host names always accepted: the loopback interface under its usual names.
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]", "localhost.localdomain"})
READ_COOKIE = "dotterel_read"


def host_name(header: str) -> str:
    """The host part of a ``Host`` header, lower-cased, without the port (``[::1]:8000`` → ``::1``)."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class HostCheckMiddleware:
    """Answer 400 (E202) unless the ``Host`` header names an allowed host.

    Against DNS rebinding: a web page from evil.example whose name is re-pointed at 127.0.0.1
    still sends ``Host: evil.example``, so it cannot read the local API. ``allowed`` holds host
    names (no ports); ``*`` allows every name (only for deployments behind a proxy that checks)."""

    def __init__(self, app, allowed: frozenset[str]) -> None:
        self.app = app
        self.allow_all = "*" in allowed
        self.allowed = frozenset(host_name(h) for h in allowed if h != "*") | {host_name(h) for h in LOOPBACK_HOSTS}

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or self.allow_all:
            await self.app(scope, receive, send)
            return
        raw = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
        if host_name(raw) not in self.allowed:
            await _send_json(send, 400, error_body(ErrorCode.BAD_QUERY, message(
                ErrorCode.BAD_QUERY, name="Host", reason=f"{raw[:60]!r} is not a host this server answers to "
                                                         "(start it with --allow-host NAME)")))
            return
        await self.app(scope, receive, send)


class ReadTokenMiddleware:
    """Every request needs the read token (or the write token): ``Authorization: Bearer <token>``
    or the ``dotterel_read`` cookie. A browser gets the cookie by opening any page once with
    ``?read_token=<token>``; it is then redirected to the same page without it."""

    def __init__(self, app, tokens: tuple[str, ...]) -> None:
        self.app = app
        self.tokens = tuple(t for t in tokens if t)

    def _ok(self, value: str | None) -> bool:
        return value is not None and bool(value) and any(hmac.compare_digest(value.encode(), t.encode())
                                                         for t in self.tokens)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from http.cookies import SimpleCookie
        from urllib.parse import parse_qsl, quote, unquote, urlencode

        headers = dict(scope.get("headers") or [])
        if any(token_matches(headers.get(b"authorization", b"").decode("latin-1"), t) for t in self.tokens):
            await self.app(scope, receive, send)
            return
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get(b"cookie", b"").decode("latin-1"))
        except Exception:
            cookie = SimpleCookie()
        if READ_COOKIE in cookie and self._ok(unquote(cookie[READ_COOKIE].value)):
            await self.app(scope, receive, send)
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = next((v for k, v in query if k == "read_token"), None)
        if given is not None and self._ok(given) and scope["method"] == "GET":
            rest = urlencode([(k, v) for k, v in query if k != "read_token"])
            location = scope.get("path", "/") + ("?" + rest if rest else "")
            await send({"type": "http.response.start", "status": 303, "headers": [
                (b"location", location.encode()), (b"content-length", b"0"),
                (b"set-cookie", f"{READ_COOKIE}={quote(given, safe='')}; HttpOnly; SameSite=Strict; Path=/".encode())]})
            await send({"type": "http.response.body", "body": b""})
            return
        await _send_json(send, 401, error_body(ErrorCode.WRITE_DISABLED,
                                               "this server needs a read token: send 'Authorization: Bearer <token>' "
                                               "or open a page once with ?read_token=<token>"),
                         [(b"www-authenticate", b"Bearer")])
