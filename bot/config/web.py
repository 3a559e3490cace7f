"""``[web]``: the staff console (``mailbot web``, and ``mailbot run`` when ``listen`` is set).

Kept apart from bot/config/schema.py like ``[digest]``; same ``Reader`` conventions. The secret key that
signs the console's forms is never in the file: ``secret_env`` names an environment variable, else
``mailbot web`` creates ``web-secret`` (mode 0600) in the state folder on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.config.reader import Reader

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8080


@dataclass(frozen=True, slots=True)
class WebConfig:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    serve_with_run: bool = False        # ``listen`` written in the file: ``mailbot run`` serves the console too
    public_url: str = ""                # how clerks reach it (behind a TLS reverse proxy): links and cookies
    staff: tuple[str, ...] = ()         # who may sign in (lower case); default campaign.staff_emails
    secret_env: str = "MAILBOT_WEB_SECRET"  # noqa: S105 - the name of a variable, not a secret
    session_hours: float = 12

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def base_url(self) -> str:
        """Where sign-in links point: ``public_url``, else the listen address."""
        return self.public_url.rstrip("/") or f"http://{self.host}:{self.port}"


def parse_listen(text: str) -> tuple[str, int] | None:
    """``HOST:PORT`` (``[::1]:8080`` for IPv6) -> (host, port); None when it is not one."""
    host, sep, port = text.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        return None
    return host, int(port)


def parse_web(sec: Reader, staff_emails: tuple[str, ...]) -> WebConfig:
    sec.no_unknown({"listen", "public_url", "staff", "secret_env", "session_hours"})
    listen_text = sec.str("listen", f"{DEFAULT_HOST}:{DEFAULT_PORT}")
    listen = parse_listen(listen_text)
    if listen is None:
        sec.problem("listen", f"{listen_text!r} is not HOST:PORT like \"127.0.0.1:8080\"")
        listen = (DEFAULT_HOST, DEFAULT_PORT)
    public_url = sec.str("public_url", "").strip()
    if public_url and (urlsplit(public_url).scheme not in ("http", "https") or not urlsplit(public_url).netloc):
        sec.problem("public_url", f"{public_url!r} is not an address like \"https://hoso.ldld.example.vn\"")
        public_url = ""
    staff = tuple(e.strip().casefold() for e in sec.str_list("staff", list(staff_emails)) if e.strip())
    return WebConfig(host=listen[0], port=listen[1], serve_with_run="listen" in sec.data, public_url=public_url,
                     staff=staff, secret_env=sec.str("secret_env", "MAILBOT_WEB_SECRET"),
                     session_hours=sec.number("session_hours", 12, minimum=0.1))
