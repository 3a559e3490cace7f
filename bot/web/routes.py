"""The console's HTTP face: the Starlette application, its pages (GET) and the security headers.

Every page but sign-in needs a session; every POST form carries the CSRF token (bot/web/actions.py).
Mail HTML is never rendered; files go out as downloads only (bot/web/files.py).
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.config.doc_kinds import ItemKind
from bot.state import mail_pages
from bot.web import actions, mail_view, views
from bot.web.console import Console
from bot.web.picture import Picture
from bot.web.signin import FORM_COOKIE, SESSION_COOKIE, new_form_token

HERE = Path(__file__).parent
MAIL_PER_PAGE = 50
REVIEW_PER_PAGE = 60
DONE_SHOWN = 100
SELECT_UNITS = 40    # more units than this: picked by typing the name (one shared list, not one per item)
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none';"
       " base-uri 'none'")
SECURITY_HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY"),
                    (b"cache-control", b"no-store")]


class SecurityHeaders:
    """Adds the headers above to every response (a sign-in link in the address bar never leaks as Referer)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *((n, v) for n, v in SECURITY_HEADERS if n not in names)]
            await send(message)

        await self.app(scope, receive, with_headers if scope["type"] == "http" else send)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["q"] = lambda text: quote(str(text), safe="")
    return env


class Pages:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.env = _environment()
        self._rows: tuple[Any, list[dict[str, Any]]] | None = None

    # --- plumbing ------------------------------------------------------------------------------

    def who(self, request: Request) -> str | None:
        token = request.cookies.get(SESSION_COOKIE, "")
        if not token:
            return None
        with self.console.lock:
            return self.console.signin.store.session(token, datetime.now(UTC))

    def render(self, request: Request, template: str, code: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("who", None)
        context.setdefault("notice", _notice(request))
        context.setdefault("stale", False)
        # signed-in pages' forms are bound to the session, the sign-in forms to a cookie of their own
        token = request.cookies.get(SESSION_COOKIE if context["who"] else FORM_COOKIE, "")
        fresh = "" if token else new_form_token()
        context.setdefault("open_count", None)
        html = self.env.get_template(template).render(
            csrf=self.console.signin.csrf(token or fresh), campaign=self.console.cfg.campaign,
            path=request.url.path, **context)
        response = HTMLResponse(html, status_code=code)
        if fresh:
            response.set_cookie(FORM_COOKIE, fresh, httponly=True, samesite="strict",
                                secure=self.console.cfg.web.secure_cookies)
        return response

    def refuse(self, request: Request, status: int, text: str, who: str | None = None) -> HTMLResponse:
        return self.render(request, "message.html", code=status, title="Không thực hiện được", text=text, who=who)

    def signed_in(self, request: Request) -> tuple[str | None, Response | None]:
        who = self.who(request)
        if who is None:
            return None, RedirectResponse("/dang-nhap", status_code=303)
        return who, None

    def picture(self, request: Request) -> tuple[Picture, bool]:
        """The picture for this request: the newest (waiting for it) on the page after a click."""
        fresh = any(key in request.query_params for key in ("da-luu", "da-huy")) or request.method != "GET"
        return self.console.pictures.current(fresh)

    def _unit_rows(self, picture: Any) -> list[dict[str, Any]]:
        """Tổng quan's rows, built once per picture (200 units: most of the page's cost)."""
        cached = self._rows
        if cached is None or cached[0] is not picture:
            cached = self._rows = (picture, views.unit_rows(picture))
        return cached[1]

    # --- pages ---------------------------------------------------------------------------------

    async def overview(self, request: Request) -> Response:
        who, away = self.signed_in(request)
        if away:
            return away
        picture, stale = self.picture(request)
        cfg = picture.cfg
        today = datetime.now(cfg.campaign.tz).date()
        return self.render(request, "overview.html", who=who, stale=stale, open_count=len(picture.open_items),
                           rows=self._unit_rows(picture), days_left=views.days_left(cfg, today),
                           deadline=views.local(cfg.campaign.deadline, cfg), status=picture.status,
                           tally_name=cfg.paths.tally.name)

    async def unit(self, request: Request) -> Response:
        who, away = self.signed_in(request)
        if away:
            return away
        unit_id = request.path_params["unit_id"]
        picture, stale = self.picture(request)
        unit = picture.cfg.unit(unit_id)
        if unit is None:
            return self.refuse(request, 404, "Không có đơn vị này.", who)
        page = max(1, _int(request.query_params.get("trang"), 1))
        with self.console.lock:
            mails, total = mail_view.unit_mails(self.console, picture, unit_id, MAIL_PER_PAGE,
                                                (page - 1) * MAIL_PER_PAGE)
            decisions = mail_view.decision_rows(self.console, picture, mail_view.unit_decisions(picture, unit_id))
        return self.render(request, "unit.html", who=who, stale=stale, open_count=len(picture.open_items), unit=unit,
                           facts=views.dossier_facts(picture.dossiers[unit_id], picture.cfg), mails=mails,
                           page=page, pages=max(1, -(-total // MAIL_PER_PAGE)), total=total,
                           decisions=decisions, kinds=_kinds(picture.cfg),
                           today=datetime.now(picture.cfg.campaign.tz).date().isoformat())

    async def review(self, request: Request) -> Response:
        who, away = self.signed_in(request)
        if away:
            return away
        picture, stale = self.picture(request)
        page = max(1, _int(request.query_params.get("trang"), 1))
        start = (page - 1) * REVIEW_PER_PAGE
        with self.console.lock:
            items = mail_view.review_rows(self.console, picture, picture.open_items[start:start + REVIEW_PER_PAGE])
            done = mail_view.done_rows(self.console, picture, picture.done_items[-DONE_SHOWN:][::-1])
        units = [{"id": u.id, "name": u.name} for u in picture.cfg.units]
        return self.render(request, "review.html", who=who, stale=stale, open_count=len(picture.open_items),
                           items=items, SELECT_UNITS=SELECT_UNITS,
                           done=done, units=units, kinds=_kinds(picture.cfg), page=page,
                           pages=max(1, -(-len(picture.open_items) // REVIEW_PER_PAGE)))

    async def decisions(self, request: Request) -> Response:
        who, away = self.signed_in(request)
        if away:
            return away
        picture, stale = self.picture(request)
        with self.console.lock:
            rows = mail_view.decision_rows(self.console, picture, picture.decisions[::-1])
        return self.render(request, "decisions.html", who=who, stale=stale, open_count=len(picture.open_items),
                           rows=rows)

    async def mail(self, request: Request) -> Response:
        who, away = self.signed_in(request)
        if away:
            return away
        picture, stale = self.picture(request)
        with self.console.lock:
            shown = mail_view.one_mail(self.console, picture, request.path_params["n"])
        if shown is None:
            return self.refuse(request, 404, "Không có thư này.", who)
        return self.render(request, "mail.html", who=who, stale=stale, open_count=len(picture.open_items), mail=shown)

    async def file(self, request: Request) -> Response:
        who, away = self.signed_in(request)
        if away:
            return away
        with self.console.lock:
            record = mail_pages.message_at(self.console.ledger, request.path_params["n"])
        found = mail_view.file_of(record, request.path_params["name"], self.console.cfg) if record else None
        if found is None:
            return self.refuse(request, 404, "Không có tệp này, hoặc tệp không được phép tải về.", who)
        doc, path = found
        return FileResponse(path, media_type="application/octet-stream", filename=Path(doc.filename).name,
                            content_disposition_type="attachment")

    async def workbook(self, request: Request) -> Response:
        _who, away = self.signed_in(request)
        if away:
            return away
        from bot.app.workbook_decisions import sent_replies
        from bot.workbook.decision_view import DecisionView
        from bot.workbook.tally import DOWNLOAD_NOTICE, mail_copy

        # A read-only copy, like the one mailed to staff: decisions are made here, and its «Mở» links would
        # lead to files on the server; replies read «Đã gửi» or «Chờ gửi» as the outbox says.
        picture = self.console.pictures.get()
        view = DecisionView(picture.decisions, picture.stored, {})
        data = mail_copy(picture.core, datetime.now(UTC), view, sent_replies(self.console.outbox.sent),
                         notice=DOWNLOAD_NOTICE)
        return _download(data, picture.cfg.paths.tally.name,
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    async def export(self, request: Request) -> Response:
        _who, away = self.signed_in(request)
        if away:
            return away
        from bot.workbook.export import export_annex

        picture = self.console.pictures.get()
        name = picture.cfg.export.output.name if picture.cfg.export else "danh-sach-khen-thuong.docx"
        with tempfile.TemporaryDirectory(prefix="mailbot-web-") as folder:
            done = export_annex(picture.core, Path(folder) / name)
            data = done.path.read_bytes()
        return _download(data, name, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def _download(data: bytes, name: str, media_type: str) -> Response:
    return Response(data, media_type=media_type,
                    headers={"content-disposition": f"attachment; filename*=utf-8''{quote(name)}"})


def _notice(request: Request) -> str:
    """What the last click did (the redirect after a decision says it in the query)."""
    saved, undone = request.query_params.get("da-luu", ""), request.query_params.get("da-huy", "")
    if saved.isdigit():
        return f"Đã lưu quyết định số {saved}. Hồ sơ đã được cập nhật."
    if undone.isdigit():
        return f"Đã huỷ quyết định số {undone}. Hồ sơ trở lại như trước quyết định đó."
    return ""


def _int(text: str | None, default: int) -> int:
    return int(text) if text and text.isdigit() and len(text) < 7 else default


def _kinds(cfg: Any) -> list[dict[str, str]]:
    return [*({"id": k.id, "label": k.label} for k in cfg.documents), {"id": ItemKind.OTHER, "label": "Tài liệu khác"}]


def create_app(console: Console) -> Starlette:
    pages = Pages(console)
    posts = actions.Actions(pages)
    routes = [
        Route("/", pages.overview),
        Route("/don-vi/{unit_id}", pages.unit),
        Route("/can-xem-xet", pages.review),
        Route("/quyet-dinh", pages.decisions),
        Route("/thu/{n:int}", pages.mail),
        Route("/thu/{n:int}/tep/{name:path}", pages.file),
        Route("/tai/bang-tong-hop", pages.workbook),
        Route("/tai/danh-sach", pages.export),
        Route("/dang-nhap", posts.signin_page),
        Route("/dang-nhap", posts.request_link, methods=["POST"]),
        Route("/dang-nhap/lien-ket", posts.link_page),
        Route("/dang-nhap/lien-ket", posts.redeem, methods=["POST"]),
        Route("/dang-xuat", posts.sign_out, methods=["POST"]),
        Route("/quyet-dinh/moi", posts.decide, methods=["POST"]),
        Route("/quyet-dinh/{decision_id:int}/huy", posts.undo, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes)
    app.add_middleware(SecurityHeaders)
    return app
