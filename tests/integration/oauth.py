"""Test doubles that are real servers: an OAuth2 token endpoint (http.server) and an SMTP sink that
accepts AUTH XOAUTH2 (aiosmtpd). Google is not reachable from the tests; these speak the same protocol."""

from __future__ import annotations

import base64
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.smtp import SMTP, AuthResult

from tests.mailservers import SmtpSink, _SinkHandler


class TokenEndpoint:
    """POST grant_type=refresh_token → a fresh access token (``access-N``), or 400 invalid_grant when
    the refresh token is not ``good_refresh``. Keeps every form it received in ``requests``."""

    def __init__(self, good_refresh: str = "refresh-1", expires_in: int = 3600) -> None:
        self.good_refresh = good_refresh
        self.expires_in = expires_in
        self.requests: list[dict[str, str]] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                endpoint.requests.append(form)
                if form.get("grant_type") == "refresh_token" and form.get("refresh_token") == endpoint.good_refresh:
                    self._answer(200, {"access_token": f"access-{len(endpoint.requests)}",
                                       "expires_in": endpoint.expires_in, "token_type": "Bearer"})
                else:
                    self._answer(400, {"error": "invalid_grant", "error_description": "Token has been expired"})

            def _answer(self, code: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def uri(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/token"

    def __enter__(self) -> TokenEndpoint:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class XOAuthSink(SmtpSink):
    """An `SmtpSink` that also offers AUTH XOAUTH2 and accepts ``user`` with one of ``tokens``."""

    def __init__(self, *args: Any, tokens: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tokens = tokens
        self.xoauth2: list[str] = []

    def start(self) -> XOAuthSink:
        super().start()
        assert self._controller is not None
        self._controller.handler = _XOAuthHandler(self)
        return self


class _XOAuthHandler(_SinkHandler):
    def __init__(self, sink: XOAuthSink) -> None:
        super().__init__(sink)
        self._xoauth = sink

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:  # noqa: N802 - aiosmtpd naming
        raw = args[1] if len(args) > 1 else ""
        text = base64.b64decode(raw).decode() if raw else ""
        self._xoauth.xoauth2.append(text)
        fields = dict(part.split("=", 1) for part in text.split("\x01") if "=" in part)
        token = fields.get("auth", "").removeprefix("Bearer ")
        ok = fields.get("user") == self._xoauth.user and token in self._xoauth.tokens
        return AuthResult(success=ok, handled=False)
