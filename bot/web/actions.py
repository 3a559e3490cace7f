"""What a click does: sign-in (request a link, redeem it, sign out) and the staff decisions.

Every POST is checked for its CSRF token first (403, nothing changed, without it). A decision is the
same use case as the command line's (bot/app/decide.py), recorded with the signed-in address as who.
"""

from __future__ import annotations

import logging
import unicodedata
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.app import decide
from bot.config.schema import Config
from bot.core.decisions import DecisionKind, Source, StaffDecision, message_ref
from bot.web import views
from bot.web.signin import FORM_COOKIE, SESSION_COOKIE, signin_key
from parsers.nominees import NomineeKind

if TYPE_CHECKING:
    from bot.web.routes import Pages

log = logging.getLogger(__name__)
SENT_TEXT = ("Nếu địa chỉ này được phép đăng nhập, một thư có liên kết đăng nhập vừa được gửi tới. "
             "Liên kết dùng được một lần, trong 15 phút.")
MAX_FIELD = 500


class Actions:
    def __init__(self, pages: Pages) -> None:
        self.pages = pages
        self.console = pages.console

    async def _form(self, request: Request, cookie: str) -> FormData | None:
        """The posted form when its CSRF token matches the cookie it is bound to, else None."""
        form = await request.form(max_files=0, max_fields=40)
        token = request.cookies.get(cookie, "")
        return form if self.console.signin.csrf_ok(token, str(form.get("csrf", ""))) else None

    def _forbidden(self, request: Request, who: str | None = None) -> Response:
        return self.pages.refuse(request, 403, "Biểu mẫu đã hết hạn hoặc không hợp lệ. Xin tải lại trang và làm lại.",
                                 who)

    # --- signing in ----------------------------------------------------------------------------

    async def signin_page(self, request: Request) -> Response:
        if self.pages.who(request):
            return RedirectResponse("/", status_code=303)
        return self.pages.render(request, "signin.html")

    async def request_link(self, request: Request) -> Response:
        form = await self._form(request, FORM_COOKIE)
        if form is None:
            return self._forbidden(request)
        address = str(form.get("email", ""))[:MAX_FIELD]
        client = request.client.host if request.client else "?"
        with self.console.lock:
            mail = self.console.signin.request(address, client, datetime.now(UTC))
            if mail is not None:
                self.console.outbox.enqueue(mail, signin_key(mail))
        if mail is not None:
            self.console.worker.request()   # sends it when no poll holds the state lock
        return self.pages.render(request, "message.html", title="Đã nhận yêu cầu", text=SENT_TEXT)

    async def link_page(self, request: Request) -> Response:
        token = request.query_params.get("ma", "")[:MAX_FIELD]
        return self.pages.render(request, "link.html", token=token)

    async def redeem(self, request: Request) -> Response:
        form = await self._form(request, FORM_COOKIE)
        if form is None:
            return self._forbidden(request)
        now = datetime.now(UTC)
        signin = self.console.signin
        with self.console.lock:
            address = signin.store.redeem(str(form.get("ma", ""))[:MAX_FIELD], now)
            if address is None or not signin.is_staff(address):
                address = None
            token = signin.store.open_session(address, now, signin.session_lifetime) if address else ""
        if not token:
            return self.pages.refuse(request, 403, "Liên kết đăng nhập không dùng được: đã dùng rồi, đã hết hạn "
                                     "hoặc không đúng. Xin đề nghị một liên kết mới.")
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(SESSION_COOKIE, token, max_age=int(signin.session_lifetime.total_seconds()),
                            httponly=True, samesite="lax", secure=self.console.cfg.web.secure_cookies)
        log.info("console: %s signed in", address)
        return response

    async def sign_out(self, request: Request) -> Response:
        form = await self._form(request, SESSION_COOKIE)
        if form is None:
            return self._forbidden(request)
        with self.console.lock:
            self.console.signin.store.end_session(request.cookies.get(SESSION_COOKIE, ""), datetime.now(UTC))
        response = RedirectResponse("/dang-nhap", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    # --- decisions -----------------------------------------------------------------------------

    async def _signed_form(self, request: Request) -> tuple[str, FormData] | Response:
        """Who is signed in and their form, or the answer that refuses it (sign in first, or 403)."""
        who, away = self.pages.signed_in(request)
        if away or who is None:
            return away or self._forbidden(request)
        form = await self._form(request, SESSION_COOKIE)
        return self._forbidden(request, who) if form is None else (who, form)

    async def decide(self, request: Request) -> Response:
        signed = await self._signed_form(request)
        if isinstance(signed, Response):
            return signed
        who, form = signed
        now = datetime.now(UTC)
        try:
            decision = _decision(form, who, now, self.console.cfg)
        except ValueError as exc:
            return self.pages.refuse(request, 400, str(exc), who)
        picture = self.console.pictures.get()    # the ledger as it is now, read once for the check
        with self.console.lock:
            stored = decide.decide(self.console.cfg, self.console.ledger, decision, picture.core)
        if isinstance(stored, str):
            return self.pages.refuse(request, 400, views.plain(stored), who)
        self.console.worker.request()
        return RedirectResponse(_back(form, f"da-luu={stored.id}"), status_code=303)

    async def undo(self, request: Request) -> Response:
        signed = await self._signed_form(request)
        if isinstance(signed, Response):
            return signed
        who, form = signed
        with self.console.lock:
            undone = decide.undo(self.console.ledger, request.path_params["decision_id"], who, datetime.now(UTC))
        if undone is None:
            return self.pages.refuse(request, 400, "Quyết định này không còn hiệu lực (đã huỷ trước đó).", who)
        self.console.worker.request()
        return RedirectResponse(_back(form, f"da-huy={undone.id}"), status_code=303)


def _text(form: FormData, name: str) -> str:
    return str(form.get(name, "")).strip()[:MAX_FIELD]


def _unit_named(name: str, cfg: Config) -> str:
    """The id of the unit a clerk typed by name (or by one of its aliases)."""
    if not name:
        raise ValueError("Xin chọn đơn vị.")
    wanted = unicodedata.normalize("NFC", " ".join(name.split())).casefold()
    for unit in cfg.units:
        if wanted in {unicodedata.normalize("NFC", n).casefold() for n in (unit.name, *unit.aliases)}:
            return unit.id
    raise ValueError(f"Không có đơn vị tên «{name}». Xin chọn một tên trong danh sách gợi ý.")


def _decision(form: FormData, who: str, now: datetime, cfg: Config) -> StaffDecision:
    """The decision a form asks for; ValueError (in Vietnamese) when a field is missing or wrong."""
    kinds = {"assign": DecisionKind.ASSIGN, "ignore": DecisionKind.IGNORE, "kind": DecisionKind.KIND,
             "receive": DecisionKind.RECEIVE, "nominee": DecisionKind.NOMINEE, "settle": DecisionKind.SETTLE}
    kind = kinds.get(_text(form, "kind"))
    if kind is None:
        raise ValueError("Không rõ việc cần làm.")
    fields: dict[str, Any] = {"kind": kind, "by": who, "at": now, "source": Source.CONSOLE, "why": _text(form, "why")}
    if kind in (DecisionKind.ASSIGN, DecisionKind.IGNORE, DecisionKind.KIND, DecisionKind.SETTLE):
        fields["message_id"] = message_ref(_text(form, "message_id"))
    if kind == DecisionKind.SETTLE:
        fields["item"] = _text(form, "reason")
    if kind in (DecisionKind.ASSIGN, DecisionKind.RECEIVE, DecisionKind.NOMINEE):
        fields["unit_id"] = _text(form, "unit_id") or _unit_named(_text(form, "unit_name"), cfg)
    if kind == DecisionKind.ASSIGN:
        fields["remember"] = _text(form, "remember") == "1"
    if kind == DecisionKind.KIND:
        fields.update(filename=_text(form, "filename"), item=_text(form, "item"))
    if kind == DecisionKind.RECEIVE:
        fields.update(item=_text(form, "item"), note=_text(form, "note"), on=_day(_text(form, "on")))
    if kind == DecisionKind.NOMINEE:
        fields.update(_nominee_change(form))
    return StaffDecision(**fields)


def _nominee_change(form: FormData) -> dict[str, Any]:
    change = _text(form, "change")
    fields: dict[str, Any] = {"name": _text(form, "name")}
    if change == "remove":
        fields["remove"] = True
    elif change == "kind" and _text(form, "new_kind") in set(NomineeKind):
        fields["new_kind"] = NomineeKind(_text(form, "new_kind"))
    elif change == "rename" and _text(form, "new_name"):
        fields["new_name"] = _text(form, "new_name")
    else:
        raise ValueError("Xin ghi tên mới, hoặc chọn loại, hoặc chọn bỏ khỏi danh sách.")
    return fields


def _day(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"Ngày «{text}» không hợp lệ.") from None


def _back(form: FormData, note: str) -> str:
    """Back to the page the form was on (a local path only), with what happened."""
    back = _text(form, "back")
    if not back.startswith("/") or back.startswith("//") or "\\" in back:
        back = "/"
    return f"{back}{'&' if '?' in back else '?'}{note}"
