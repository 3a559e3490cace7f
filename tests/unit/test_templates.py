"""bot.message.texts and the shipped templates: staff-editable wording, strict about typos, sandboxed."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import pytest

from bot.config.schema import Config
from bot.core.picture import build
from bot.message import replies, texts


def _body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return part.get_content()


def _own_templates(cfg: Config, tmp_path: Path) -> tuple[Config, Path]:
    folder = tmp_path / "my_templates"
    shutil.copytree(texts.SHIPPED, folder)
    return replace(cfg, paths=replace(cfg.paths, templates=folder)), folder


def test_every_shipped_template_renders_in_vietnamese(cfg: Config, now: datetime) -> None:
    ack, _, remind, _, summary, _ = replies.preview(cfg, now)
    assert "Đề nghị đơn vị kiểm tra lại họ tên" in _body(ack)
    assert "Trân trọng,\nLiên đoàn Lao động tỉnh Lai Châu" in _body(ack)
    assert "Còn thiếu: Biên bản họp xét." in _body(remind)
    assert "Chi tiết từng đơn vị:" in _body(summary)
    assert {p.name for p in texts.SHIPPED.glob("*.j2")} >= set(texts.NAMES)


def test_a_reminder_to_a_silent_unit_says_nothing_arrived(cfg: Config, now: datetime) -> None:
    _, _, owing, silent, _, _ = replies.preview(cfg, now)
    assert "Chưa nhận được thư, tài liệu nào của đơn vị." in _body(silent)
    assert "Chưa nhận được thư" not in _body(owing)
    assert "vượt chỉ tiêu 05 cá nhân (chỉ tiêu của đơn vị: tối đa 01 tập thể và 04 cá nhân)" in _body(owing)


def test_the_summary_goes_to_the_staff_with_the_workbook(cfg: Config, now: datetime) -> None:
    dossiers = replies.preview(cfg, now)[4]
    assert dossiers["To"] == "vanphong.ldld@example.org"
    message = replies.summary(build(cfg, [], []), now, b"PK\x03\x04 workbook", "tally.xlsx")
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["tally.xlsx"]
    assert attachments[0].get_content() == b"PK\x03\x04 workbook"
    later = replies.summary(build(cfg, [], []), now.replace(hour=20), b"", "x.xlsx")
    assert message["Message-ID"] == later["Message-ID"]


def test_a_config_folder_overrides_the_shipped_wording(cfg: Config, now: datetime, tmp_path: Path) -> None:
    own, folder = _own_templates(cfg, tmp_path)
    path = folder / texts.REMINDER
    path.write_text(path.read_text(encoding="utf-8").replace("xin nhắc", "trân trọng nhắc lại"), encoding="utf-8")
    remind = replies.preview(own, now)[2]
    assert "trân trọng nhắc lại: hạn gửi hồ sơ" in _body(remind)
    assert "xin nhắc" in _body(replies.preview(cfg, now)[2])


def test_a_misspelt_variable_is_a_clear_error(cfg: Config, now: datetime, tmp_path: Path) -> None:
    own, folder = _own_templates(cfg, tmp_path)
    (folder / texts.ACK).write_text("Kính gửi: {{ unit_nam }},\n", encoding="utf-8")
    with pytest.raises(texts.TextError, match=r"acknowledgement\.txt\.j2.*unit_nam"):
        replies.preview(own, now)


def test_a_missing_template_and_a_syntax_error_are_named(cfg: Config, now: datetime, tmp_path: Path) -> None:
    own, folder = _own_templates(cfg, tmp_path)
    (folder / texts.SUMMARY).unlink()
    with pytest.raises(texts.TextError, match=r"summary\.txt\.j2: not found"):
        replies.preview(own, now)
    (folder / texts.SUMMARY).write_text("{% if x %}never closed\n", encoding="utf-8")
    with pytest.raises(texts.TextError, match=r"summary\.txt\.j2 line \d"):
        replies.preview(own, now)


def test_templates_are_sandboxed(tmp_path: Path) -> None:
    (tmp_path / "evil.j2").write_text("{{ x.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
    with pytest.raises(texts.TextError):
        texts.render(tmp_path, "evil.j2", x="")


def test_paths_templates_is_relative_to_the_config(tmp_path: Path) -> None:
    from bot.config import schema as config_module
    from tests.conftest import write_config

    mailbox = '[mailbox]\nkind = "maildir"\npath = "inbox"\n'
    loaded = config_module.load(write_config(tmp_path, mailbox + '[paths]\ntemplates = "mau_thu"\n'))
    assert loaded.paths.templates == tmp_path / "mau_thu"
    assert config_module.load(write_config(tmp_path, mailbox)).paths.templates is None


def test_a_reminder_is_not_called_an_automatic_reply(cfg: Config, now: datetime) -> None:
    acknowledgement, _, reminder, *_ = replies.preview(cfg, now)
    assert "thư nhắc tự động" in _body(reminder) and "trả lời tự động" not in _body(reminder)
    assert "thư trả lời tự động" in _body(acknowledgement)
