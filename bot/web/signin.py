"""Signing in without passwords: one-time links mailed through the outbox, sessions, CSRF tokens.

- A link is for a staff address only (``[web] staff``), single use, 15 minutes; the sign-in page
  answers the same for any address, and requests are limited per address and per client.
- The session cookie carries a random token (the ledger keeps its hash); it is HttpOnly, SameSite=Lax,
  Secure behind HTTPS, and expires after ``[web] session_hours``.
- Every form carries ``HMAC(secret, cookie token)``: a page of another site cannot know it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses

from bot.config.schema import Config
from bot.core.automated import MAILBOT_HEADER
from bot.core.reply_keys import ReplyKey, ReplyKind
from bot.message import replies
from bot.state.signin import LINK_LIFETIME, SignInStore

LINKS_PER_ADDRESS = 3            # in LINK_LIFETIME: enough for a lost mail, too few to flood a mailbox
REQUESTS_PER_CLIENT = 10         # in LINK_LIFETIME, whatever addresses a client tries
SIGNIN_PATH = "/dang-nhap/lien-ket"
SESSION_COOKIE = "mailbot_session"
FORM_COOKIE = "mailbot_form"     # before sign-in: the token the sign-in forms are bound to


class ClientLimiter:
    """At most ``limit`` requests per client in a sliding ``window`` (seconds), in memory."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self._seen: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        now = time.monotonic()
        with self._lock:
            seen = self._seen[client]
            while seen and now - seen[0] > self.window:
                seen.popleft()
            if len(seen) >= self.limit:
                return False
            seen.append(now)
            return True


class SignIn:
    def __init__(self, cfg: Config, store: SignInStore, secret: bytes) -> None:
        self.cfg = cfg
        self.store = store
        self.secret = secret
        self.clients = ClientLimiter(REQUESTS_PER_CLIENT, LINK_LIFETIME.total_seconds())

    @property
    def session_lifetime(self) -> timedelta:
        return timedelta(hours=self.cfg.web.session_hours)

    def is_staff(self, address: str) -> bool:
        return address.strip().casefold() in self.cfg.web.staff

    def link(self, address: str, now: datetime, base: str = "") -> str | None:
        """A new sign-in link for a staff address (no rate limit: the installer's ``web-link``)."""
        if not self.is_staff(address):
            return None
        token = self.store.new_link(address.strip(), now)
        return f"{(base or self.cfg.web.base_url).rstrip('/')}{SIGNIN_PATH}?ma={token}"

    def request(self, address: str, client: str, now: datetime) -> EmailMessage | None:
        """The sign-in mail to queue, or None (not staff, or too many requests): the page says the same."""
        address = address.strip().casefold()
        if not self.clients.allow(client) or not self.is_staff(address):
            return None
        if self.store.links_since(address, now - LINK_LIFETIME) >= LINKS_PER_ADDRESS:
            return None
        url = self.link(address, now)
        return signin_mail(self.cfg, address, url or "", now)

    def csrf(self, cookie_token: str) -> str:
        return hmac.new(self.secret, f"form:{cookie_token}".encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, cookie_token: str, sent: str) -> bool:
        return bool(cookie_token) and hmac.compare_digest(self.csrf(cookie_token), sent or "")


def signin_key(message: EmailMessage) -> ReplyKey:
    """The outbox key of one sign-in mail (each is new: a random part, kept on the message)."""
    if "X-Mailbot-Key" not in message:
        message["X-Mailbot-Key"] = secrets.token_hex(8)
    return ReplyKey(ReplyKind.SIGNIN, str(message["X-Mailbot-Key"]))


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


def signin_mail(cfg: Config, address: str, url: str, now: datetime) -> EmailMessage:
    sender = replies.sender_address(cfg)
    message = EmailMessage()
    message["From"] = sender
    message["To"] = address
    message["Subject"] = "Liên kết đăng nhập trang quản lý hồ sơ khen thưởng"
    message["Date"] = format_datetime(now)
    message["Message-ID"] = replies.message_id_for(signin_key(message), getaddresses([sender])[0][1])
    message["Auto-Submitted"] = "auto-generated"
    message[MAILBOT_HEADER] = str(ReplyKind.SIGNIN)   # if it comes back through the polled inbox: our own
    minutes = int(LINK_LIFETIME.total_seconds() // 60)
    message.set_content(
        "Có người (có thể là đồng chí) vừa đề nghị đăng nhập trang quản lý hồ sơ khen thưởng"
        f" bằng địa chỉ {address}.\n\n"
        f"Mở liên kết dưới đây để đăng nhập (dùng được một lần, trong {minutes} phút):\n\n{url}\n\n"
        "Nếu đồng chí không đề nghị, xin bỏ qua thư này.\n")
    return message
