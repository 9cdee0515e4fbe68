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


async def _send_json(send, status: int, body: dict, headers: list[tuple[bytes, bytes]] | None = None) -> None:  # noqa: ANN001
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

    def __init__(self, app, max_bytes: int) -> None:  # noqa: ANN001
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
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
    def __init__(self, app) -> None:  # noqa: ANN001
        self.app = app

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
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
