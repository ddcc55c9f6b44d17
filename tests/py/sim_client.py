"""Test-only clients for the simulated exchange: a minimal signed REST client (http.client,
keep-alive) and helpers for the WebSocket API and fixtures. Written here, independently of
the engine's own Binance client, so that the simulator is checked against the protocol."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import time
import urllib.parse
from pathlib import Path
from typing import Any, Callable

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "binance"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def eventually(predicate: Callable[[], Any], timeout: float = 5.0, interval: float = 0.01) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(interval)


def sign(secret: str, payload: str) -> str:
    return hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()


def now_ms() -> int:
    return int(time.time() * 1000)


class Response:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body)

    def __repr__(self) -> str:
        return f"<{self.status} {self.body[:200]!r}>"


class RestClient:
    """Signs like Binance: hex HMAC-SHA256 of the query string, sent last as `signature`."""

    def __init__(self, base_url: str, api_key: str = "", secret: str = "") -> None:
        u = urllib.parse.urlparse(base_url)
        self.host, self.port = u.hostname or "127.0.0.1", u.port or 80
        self.api_key, self.secret = api_key, secret
        self.conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.conn:
            self.conn.close()
            self.conn = None

    def raw(self, method: str, target: str, body: str = "", headers: dict[str, str] | None = None) -> Response:
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
            try:
                self.conn.request(method, target, body=body or None, headers=headers or {})
                r = self.conn.getresponse()
                data = r.read()
                resp = Response(r.status, {k.lower(): v for k, v in r.getheaders()}, data)
                if r.getheader("Connection", "").lower() == "close":
                    self.close()
                return resp
            except (ConnectionError, http.client.HTTPException, OSError):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def public(self, method: str, path: str, **params: Any) -> Response:
        q = urllib.parse.urlencode(params)
        return self.raw(method, path + ("?" + q if q else ""))

    def signed(
        self,
        method: str,
        path: str,
        *,
        api_key: str | None = None,
        secret: str | None = None,
        in_body: bool = False,
        **params: Any,
    ) -> Response:
        params.setdefault("timestamp", now_ms())
        q = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        sig = sign(self.secret if secret is None else secret, q)
        headers = {"X-MBX-APIKEY": self.api_key if api_key is None else api_key}
        if in_body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            return self.raw(method, path, body=f"{q}&signature={sig}", headers=headers)
        return self.raw(method, f"{path}?{q}&signature={sig}", headers=headers)


def ws_api_request(method: str, params: dict[str, Any], api_key: str, secret: str, req_id: Any = 1) -> str:
    """A signed WebSocket API request: HMAC over the params sorted by name."""
    p = dict(params)
    p["apiKey"] = api_key
    p.setdefault("timestamp", now_ms())
    payload = "&".join(f"{k}={p[k]}" for k in sorted(p))
    p["signature"] = sign(secret, payload)
    return json.dumps({"id": req_id, "method": method, "params": p})


def assert_conforms(actual: Any, expected: Any, path: str = "$") -> None:
    """Every field of the fixture is present with the same JSON type (null in the fixture
    accepts null or a string, as Binance sends both for commission assets)."""
    if expected is None:
        assert actual is None or isinstance(actual, str), f"{path}: expected null or string, got {actual!r}"
        return
    if isinstance(expected, bool):
        assert isinstance(actual, bool), f"{path}: expected bool, got {actual!r}"
    elif isinstance(expected, int):
        assert isinstance(actual, int) and not isinstance(actual, bool), f"{path}: expected int, got {actual!r}"
    elif isinstance(expected, str):
        assert isinstance(actual, str), f"{path}: expected string, got {actual!r}"
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: expected list, got {actual!r}"
        if expected and actual:
            assert_conforms(actual[0], expected[0], path + "[0]")
            if len({type(e) for e in expected}) > 1:  # positional rows (klines): check every column
                assert len(actual) == len(expected), f"{path}: expected {len(expected)} columns"
                for i, (a, e) in enumerate(zip(actual, expected)):
                    assert_conforms(a, e, f"{path}[{i}]")
    elif isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected object, got {actual!r}"
        missing = [k for k in expected if k not in actual]
        assert not missing, f"{path}: missing fields {missing} in {actual!r}"
        for k, v in expected.items():
            assert_conforms(actual[k], v, f"{path}.{k}")
