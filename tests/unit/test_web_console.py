"""The console's pieces without a server: [web] config, sign-in links and sessions, what may be downloaded."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import schema as config_module
from bot.config.schema import Config
from bot.config.web import parse_listen
from bot.core.model import DocumentRecord, MessageKey, MessageRecord, Outcome
from bot.errors import ConfigError
from bot.state.ledger import Ledger
from bot.state.signin import SignInStore
from bot.web import files
from bot.web.secret import load_secret
from bot.web.signin import LINKS_PER_ADDRESS, SignIn
from bot.web.views import plain
from tests.conftest import write_config

NOW = datetime(2020, 12, 10, 2, 0, tzinfo=UTC)
STAFF = "vanphong.ldld@example.org"


def _cfg(tmp_path: Path, web: str = "") -> Config:
    mailbox = '[mailbox]\nkind = "maildir"\npath = "inbox"\n'
    return config_module.load(write_config(tmp_path, mailbox + (f"[web]\n{web}\n" if web else "")))


def test_web_defaults_follow_the_campaign(tmp_path: Path) -> None:
    cfg = _cfg(tmp_path)
    assert (cfg.web.host, cfg.web.port, cfg.web.staff) == ("127.0.0.1", 8080, (STAFF,))
    assert not cfg.web.serve_with_run and not cfg.web.secure_cookies
    assert cfg.web.base_url == "http://127.0.0.1:8080"


def test_web_section_read_and_checked(tmp_path: Path) -> None:
    cfg = _cfg(tmp_path, 'listen = "192.168.1.10:9000"\npublic_url = "https://hoso.example.vn/"\nstaff = ["A@X.VN"]')
    assert (cfg.web.host, cfg.web.port, cfg.web.serve_with_run) == ("192.168.1.10", 9000, True)
    assert cfg.web.secure_cookies and cfg.web.base_url == "https://hoso.example.vn"
    assert cfg.web.staff == ("a@x.vn",)
    with pytest.raises(ConfigError) as caught:
        _cfg(tmp_path, 'listen = "localhost"\npublic_url = "hoso"\ncolour = "red"')
    text = "\n".join(caught.value.problems)
    assert "web.listen" in text and "web.public_url" in text and "web.colour" in text


@pytest.mark.parametrize(("text", "expected"), [
    ("127.0.0.1:8080", ("127.0.0.1", 8080)), ("[::1]:80", ("::1", 80)), ("host:0", None), (":80", None),
    ("host", None), ("host:http", None)])
def test_listen_addresses(text: str, expected: tuple[str, int] | None) -> None:
    assert parse_listen(text) == expected


def test_a_link_is_used_once_and_expires(ledger: Ledger) -> None:
    store = SignInStore(ledger.db)
    token = store.new_link(STAFF, NOW)
    assert store.redeem(token, NOW + timedelta(minutes=1)) == STAFF
    assert store.redeem(token, NOW + timedelta(minutes=2)) is None
    late = store.new_link(STAFF, NOW)
    assert store.redeem(late, NOW + timedelta(minutes=16)) is None
    assert store.redeem("made-up", NOW) is None
    stored = [row[0] for row in ledger.db.execute("SELECT token_hash FROM web_links")]
    assert token not in stored and late not in stored


def test_sessions_expire_and_end(ledger: Ledger) -> None:
    store = SignInStore(ledger.db)
    token = store.open_session(STAFF, NOW, timedelta(hours=12))
    assert store.session(token, NOW + timedelta(hours=11)) == STAFF
    assert store.session(token, NOW + timedelta(hours=13)) is None
    store.end_session(token, NOW)
    assert store.session(token, NOW + timedelta(minutes=1)) is None


def test_links_only_for_staff_and_limited(tmp_path: Path, ledger: Ledger) -> None:
    cfg = replace(_cfg(tmp_path), paths=replace(_cfg(tmp_path).paths, state=ledger.path))
    signin = SignIn(cfg, SignInStore(ledger.db), b"k" * 32)
    assert signin.link("nguoi.la@example.com", NOW) is None
    assert signin.request("nguoi.la@example.com", "10.0.0.1", NOW) is None
    sent = [signin.request(STAFF.upper(), "10.0.0.2", NOW) for _ in range(LINKS_PER_ADDRESS + 2)]
    assert sum(mail is not None for mail in sent) == LINKS_PER_ADDRESS
    mail = sent[0]
    assert mail is not None and mail["To"] == STAFF and "/dang-nhap/lien-ket?ma=" in mail.get_content()
    assert signin.csrf_ok("cookie", signin.csrf("cookie"))
    assert not signin.csrf_ok("cookie", signin.csrf("other")) and not signin.csrf_ok("", signin.csrf(""))


def test_the_secret_file_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = _cfg(tmp_path)
    monkeypatch.delenv(cfg.web.secret_env, raising=False)
    first = load_secret(cfg)
    path = cfg.paths.state_dir / "web-secret"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_secret(cfg) == first
    monkeypatch.setenv(cfg.web.secret_env, "from-the-environment-0123456789")
    assert load_secret(cfg) == b"from-the-environment-0123456789"


def _record(*docs: DocumentRecord) -> MessageRecord:
    return MessageRecord(MessageKey("maildir", 0, "1"), "<m@x>", "d", NOW, "a@x.vn", "", "s", "cdvc", True,
                         Outcome.ACCEPTED, documents=docs)


def test_only_archived_documents_that_are_not_programs_are_served(tmp_path: Path) -> None:
    cfg = _cfg(tmp_path)
    archive = cfg.paths.archive.resolve()
    (archive / "cdvc").mkdir(parents=True)
    (archive / "cdvc" / "a_to_trinh.docx").write_bytes(b"PK")
    (archive / "cdvc" / "b_setup.exe").write_bytes(b"MZ")
    (tmp_path / "secret.txt").write_text("x")
    good = DocumentRecord("Tờ trình.docx", "to_trinh", "docx", "ok", 2, "", archive_path="archive/cdvc/a_to_trinh.docx")
    program = DocumentRecord("setup.exe", "other", "", "unsupported_format", 2, "",
                             archive_path="archive/cdvc/b_setup.exe")
    climbing = DocumentRecord("x.docx", "other", "", "ok", 1, "", archive_path="archive/../secret.txt")
    record = _record(good, program, climbing)
    assert files.downloadable(record, "Tờ trình.docx", cfg) is not None
    assert files.downloadable(record, "setup.exe", cfg) is None
    assert files.downloadable(record, "x.docx", cfg) is None
    assert files.downloadable(record, "../secret.txt", cfg) is None
    assert files.downloadable(record, "nothing.docx", cfg) is None


def test_reasons_lose_their_english_gloss() -> None:
    assert plain("không tìm thấy thư <x> (unknown message)") == "không tìm thấy thư <x>"
    assert plain("Đơn vị (CĐVC tỉnh)") == "Đơn vị (CĐVC tỉnh)"


def test_the_integrity_check_never_opens_the_state_file_outside_sqlite(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The console keeps a connection open while each follow-up opens the ledger again in the same process:
    a plain open() and close() of the file would drop that connection's POSIX locks (a corrupted ledger)."""
    from bot.state import integrity

    state = tmp_path / "state" / "mailbot.sqlite3"
    Ledger(state).close()
    opened: list[str] = []
    real_open = Path.open

    def watching(self: Path, *args: object, **kwargs: object) -> object:
        opened.append(str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", watching)
    monkeypatch.setattr("builtins.open", lambda *a, **k: opened.append(str(a[0])) or real_open(Path(a[0]), *a[1:], **k))
    integrity.check(state)
    assert str(state) not in opened


def test_a_unit_typed_by_name_or_alias(tmp_path: Path) -> None:
    from bot.web.actions import _unit_named

    cfg = _cfg(tmp_path)
    assert _unit_named("  liên đoàn lao động huyện  Sìn Hồ ", cfg) == "sin_ho"
    assert _unit_named("CĐVC tỉnh", cfg) == "cdvc"
    with pytest.raises(ValueError, match="Không có đơn vị"):
        _unit_named("Sìn", cfg)


def test_the_picture_is_rebuilt_after_a_change_and_served_stale_only_when_slow(ledger: Ledger) -> None:
    """GIVEN a console's picture cache
    WHEN the ledger changes
    THEN the next request gets a new picture; only where builds are slow does a request that need not show
         the change get the old one (marked stale) while the new one is built in the background."""
    import threading
    from types import SimpleNamespace

    from bot.web.picture import PictureCache
    from tests.integration.harness import wait_until

    built: list[int] = []

    def builder(reader: Ledger, cfg: object) -> object:
        built.append(reader.generation())
        return SimpleNamespace(generation=reader.generation())

    def change() -> None:
        ledger.set_meta("generation", str(ledger.generation() + 1))

    cache = PictureCache(ledger, None, threading.Lock(), builder)  # type: ignore[arg-type]
    first = cache.get()
    assert cache.current(fresh=False) == (first, False) and len(built) == 1
    change()
    second, stale = cache.current(fresh=False)
    assert not stale and second.generation == ledger.generation()
    cache._seconds = 5.0   # a big ledger: builds are slow
    change()
    old, stale = cache.current(fresh=False)
    assert stale and old is second
    assert wait_until(lambda: cache.current(fresh=False)[1] is False, 10)
    change()
    newest, stale = cache.current(fresh=True)
    assert not stale and newest.generation == ledger.generation()
    cache.close()
