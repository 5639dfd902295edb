"""A real HTTP server on 127.0.0.1 for tests: serves recordings and misbehaves on purpose.

Each route is a ``Route`` (status, body, headers, an optional ETag honoured with 304, a delay) or a
function ``handler(request) -> (status, headers, body)`` for anything stranger. Every request is
logged with its headers so tests can assert what the client sent.
"""

from __future__ import annotations

import gzip
import io
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    content_type: str = "application/xml; charset=utf-8"

    @classmethod
    def file(cls, path: str | Path, **kwargs) -> Route:
        return cls(body=Path(path).read_bytes(), **kwargs)


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]


# A handler returns (status, headers, body), or None when it wrote (or broke) the response itself.
Handler = Callable[["_RequestHandler"], tuple[int, dict[str, str], bytes] | None]


class LocalServer:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route | Handler] = {}
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        server = self

        class Bound(_RequestHandler):
            owner = server

        self.httpd = ThreadingHTTPServer((host, 0), Bound)
        self.httpd.daemon_threads = True
        # A client hanging up on a misbehaving route is expected, not worth a traceback.
        self.httpd.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def hits(self, path: str) -> list[Seen]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def start(self) -> LocalServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _RequestHandler(BaseHTTPRequestHandler):
    owner: LocalServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        with self.owner._lock:
            self.owner.requests.append(
                Seen("GET", self.path, {k.lower(): v for k, v in self.headers.items()})
            )
        route = self.owner.routes.get(self.path) or self.owner.routes.get(self.path.split("?")[0])
        if route is None:
            self._send(404, {"Content-Type": "text/plain"}, b"not found")
            return
        if callable(route):
            answer = route(self)
            if answer is not None:
                self._send(*answer)
            return
        if route.delay:
            time.sleep(route.delay)
        headers = {"Content-Type": route.content_type, **route.headers}
        if route.etag:
            headers["ETag"] = route.etag
        if route.last_modified:
            headers["Last-Modified"] = route.last_modified
        if route.etag and self.headers.get("If-None-Match") == route.etag:
            self._send(304, headers, b"")
            return
        self._send(route.status, headers, route.body)

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers and status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304 and body:
            self.wfile.write(body)


# --- handlers that misbehave on purpose ----------------------------------------------------------


def reset_connection(request: _RequestHandler) -> None:
    """Close the socket with a TCP reset instead of an answer."""
    request.wfile.flush()
    request.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    request.connection.close()
    request.close_connection = True


def truncated(body: bytes, announced: int | None = None) -> Handler:
    """Announce ``announced`` bytes (default: twice the body), send ``body``, hang up."""

    def handler(request: _RequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "application/xml")
        request.send_header("Content-Length", str(announced or 2 * len(body)))
        request.end_headers()
        request.wfile.write(body)
        request.wfile.flush()
        request.close_connection = True

    return handler


def streamed(size: int, chunk: bytes = b"<!-- padding -->" * 4096) -> Handler:
    """A ``size``-byte body written chunk by chunk (no need to hold it in memory)."""

    def handler(request: _RequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "application/xml")
        request.send_header("Content-Length", str(size))
        request.end_headers()
        sent = 0
        try:
            while sent < size:
                piece = chunk[: size - sent]
                request.wfile.write(piece)
                sent += len(piece)
        except OSError:
            pass  # the client hung up once it had enough: that is the point
        request.close_connection = True

    return handler


def sequence(*answers: tuple[int, dict[str, str], bytes]) -> Handler:
    """Answer with each of ``answers`` in turn, then repeat the last one."""
    remaining = list(answers)

    def handler(request: _RequestHandler) -> tuple[int, dict[str, str], bytes]:
        return remaining.pop(0) if len(remaining) > 1 else remaining[0]

    return handler


def gzip_bomb(decompressed: int) -> bytes:
    """A gzip body of a few kilobytes per megabyte that inflates to ``decompressed`` zero bytes."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as f:
        block = b"\0" * (1024 * 1024)
        for _ in range(decompressed // len(block)):
            f.write(block)
    return out.getvalue()
