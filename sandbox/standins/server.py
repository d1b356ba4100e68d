"""A tiny threaded JSON HTTP server that a platform stand-in plugs its routes into."""

import base64
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: object | None  # parsed JSON, when the request sent JSON
    raw: bytes = b""

    def bearer_token(self) -> str | None:
        auth = self.headers.get("authorization", "")
        return auth[7:] if auth.lower().startswith("bearer ") else None

    def basic_auth(self) -> tuple[str, str] | None:
        auth = self.headers.get("authorization", "")
        if not auth.lower().startswith("basic "):
            return None
        user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
        return user, password

    def form(self) -> dict[str, str]:
        """A form-encoded body (OAuth token requests)."""
        return {k: v[-1] for k, v in parse_qs(self.raw.decode()).items()}


@dataclass
class Response:
    status: int
    body: object | None = None  # JSON, or text sent as is (CSV results)
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


@dataclass
class Fault:
    """An injected failure returned instead of the real answer for one request."""

    status: int
    body: object | None = None
    headers: dict[str, str] = field(default_factory=dict)


def too_many_requests(retry_after: int = 1) -> Fault:
    return Fault(429, {"message": "Too many requests"}, {"Retry-After": str(retry_after)})


def server_error() -> Fault:
    return Fault(503, {"message": "Service temporarily unavailable"})


class RollingLimit:
    """At most `limit` requests in any `window_seconds`; `refused` counts those turned away."""

    def __init__(self, limit: int, window_seconds: float):
        self.limit = limit
        self.window_seconds = window_seconds
        self.refused = 0
        self._recent: deque[float] = deque()
        self._lock = threading.Lock()

    def allow(self) -> bool:
        with self._lock:
            now = time.monotonic()
            while self._recent and now - self._recent[0] >= self.window_seconds:
                self._recent.popleft()
            if len(self._recent) >= self.limit:
                self.refused += 1
                return False
            self._recent.append(now)
            return True


class StandIn:
    """Base class: subclasses implement `route(request) -> Response`.

    `faults` is a queue: each request pops one fault (if any) and gets it instead of the answer;
    a None in the queue lets that request through (to fail, say, only the second page).
    `requests` logs (method, path) of every request, for tests and benchmarks.
    """

    def __init__(self, token: str):
        self.token = token
        self.faults: deque[Fault | None] = deque()
        self.requests: list[tuple[str, str]] = []
        self.latency = 0.0  # seconds each answer takes to come back, as over a real network
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def route(self, request: Request) -> Response:  # pragma: no cover - abstract
        raise NotImplementedError

    def unauthorized(self, request: Request) -> Response | None:
        """The platform's own answer to a missing or wrong token, or None when it is right."""
        raise NotImplementedError

    @property
    def base_url(self) -> str:
        assert self._server is not None, "stand-in not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "StandIn":
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out at once: no 40 ms stalls

            def log_message(self, *args):  # keep test and demo output quiet
                pass

            def _serve(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                content_type = (self.headers.get("Content-Type") or "application/json").encode()
                request = Request(
                    method=self.command,
                    path=parts.path,
                    query={k: v[-1] for k, v in parse_qs(parts.query).items()},
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=json.loads(raw) if raw and b"json" in content_type else None,
                    raw=raw,
                )
                response = standin.handle(request)
                if response.body is None:
                    payload = b""
                elif isinstance(response.body, str):
                    payload = response.body.encode()
                else:
                    payload = json.dumps(response.body).encode()
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(payload)))
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def handle(self, request: Request) -> Response:
        with self._lock:
            self.requests.append((request.method, request.path))
            fault = self.faults.popleft() if self.faults else None
        if fault is not None:
            return Response(fault.status, fault.body, dict(fault.headers))
        denied = self.unauthorized(request)
        response = denied if denied is not None else self.route(request)
        time.sleep(self.latency)
        return response

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
