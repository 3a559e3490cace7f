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

from tests.mailservers import Dovecot, SmtpSink, _SinkHandler


class TokenEndpoint:
    """POST grant_type=refresh_token → a fresh access token (``access-N``), or 400 invalid_grant when
    the refresh token is not ``good_refresh``. Keeps every form it received in ``requests``.

    GET /introspect with ``Authorization: Bearer T`` answers whether T was issued here, for ``email``:
    what Dovecot's oauth2 passdb asks (``introspection_mode = auth``)."""

    def __init__(self, good_refresh: str = "refresh-1", expires_in: int = 3600, email: str = "") -> None:
        self.good_refresh = good_refresh
        self.expires_in = expires_in
        self.email = email
        self.requests: list[dict[str, str]] = []
        self.issued: set[str] = set()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                if token in endpoint.issued:
                    self._answer(200, {"active": "true", "email": endpoint.email})
                else:
                    self._answer(401, {"active": "false", "error": "invalid_token"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                endpoint.requests.append(form)
                if form.get("grant_type") == "refresh_token" and form.get("refresh_token") == endpoint.good_refresh:
                    token = f"access-{len(endpoint.requests)}"
                    endpoint.issued.add(token)
                    self._answer(200, {"access_token": token, "expires_in": endpoint.expires_in,
                                       "token_type": "Bearer"})
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

    @property
    def introspection_uri(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/introspect"

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


class DovecotWithOAuth2(Dovecot):
    """A private Dovecot that also accepts AUTH=XOAUTH2, checking bearer tokens at ``introspection_url``
    (Dovecot's oauth2 passdb), besides the usual passwords."""

    def __init__(self, introspection_url: str) -> None:
        super().__init__()
        self.introspection_url = introspection_url

    def _prepare(self) -> None:
        super()._prepare()
        settings = f"{self.dir}/oauth2.conf.ext"
        with open(settings, "w") as fh:
            fh.write(f"introspection_mode = auth\nintrospection_url = {self.introspection_url}\n"
                     "username_attribute = email\nactive_attribute = active\nactive_value = true\n")
        with open(self.conf_path) as fh:
            conf = fh.read().replace("auth_mechanisms = plain login", "auth_mechanisms = plain login xoauth2")
        conf += f"passdb {{\n  driver = oauth2\n  mechanisms = xoauth2\n  args = {settings}\n}}\n"
        with open(self.conf_path, "w") as fh:
            fh.write(conf)
