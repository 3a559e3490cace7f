"""Several mailbox folders and the spam folder, pure parts: the config keys, what mail in the spam folder
becomes, and how it shows for review."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import schema as config_module
from bot.config.schema import Config, ConfigError
from bot.core.model import AuthResults, IncomingMail, MessageKey, Outcome
from bot.core.picture import build
from bot.core.spam import spam_verdict
from bot.core.views import review_items
from tests.conftest import write_config
from tests.unit.builders import at, message

IMAP = '[mailbox]\nkind = "imap"\nuser = "hoso@example.org"\npassword_env = "X"\n'


def _mailbox(tmp_path: Path, extra: str) -> config_module.MailboxConfig:
    return config_module.load(write_config(tmp_path, IMAP + extra)).mailbox


def test_folder_is_the_single_folder_form_of_folders(tmp_path: Path) -> None:
    assert _mailbox(tmp_path, 'host = "imap.example.org"\nfolder = "Hồ sơ"\n').folders == ("Hồ sơ",)
    box = _mailbox(tmp_path, 'host = "imap.example.org"\nfolders = ["INBOX", "Archive", "INBOX"]\n')
    assert box.folders == ("INBOX", "Archive") and box.folder == "INBOX"
    assert _mailbox(tmp_path, 'host = "imap.example.org"\n').folders == ("INBOX",)


def test_the_spam_folder_defaults_to_gmails_on_gmail_only(tmp_path: Path) -> None:
    assert _mailbox(tmp_path, "").spam_folder == "[Gmail]/Spam"   # host defaults to imap.gmail.com
    assert _mailbox(tmp_path, 'spam_folder = ""\n').spam_folder is None
    assert _mailbox(tmp_path, 'host = "imap.example.org"\n').spam_folder is None
    assert _mailbox(tmp_path, 'host = "imap.example.org"\nspam_folder = "Junk"\n').spam_folder == "Junk"


@pytest.mark.parametrize(("extra", "key"), [
    ('folders = []\n', "mailbox.folders"),
    ('folder = "Hồ sơ"\nfolders = ["INBOX"]\n', "mailbox.folder"),
    ('folders = ["INBOX", "[Gmail]/Spam"]\n', "mailbox.spam_folder"),
])
def test_contradictory_folder_keys_are_errors(tmp_path: Path, extra: str, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _mailbox(tmp_path, extra)
    assert any(f"{key}:" in problem for problem in caught.value.problems), caught.value.problems


def _mail(sender: str, **headers: str) -> IncomingMail:
    return IncomingMail("<s@x>", sender, "", "Hồ sơ khen thưởng", None, (), "", (), headers, "text/plain",
                        AuthResults())


def test_a_units_mail_in_the_spam_folder_is_for_review_anything_else_is_spam(cfg: Config) -> None:
    verdict = spam_verdict(_mail("LDLD.TamDuong@example.vn"), cfg)
    assert verdict.outcome == Outcome.IN_SPAM and verdict.unit_id == "tam_duong"
    assert spam_verdict(_mail("khuyenmai@example.com"), cfg).outcome == Outcome.SPAM
    bounce = spam_verdict(_mail("ldld.tamduong@example.vn", **{"auto-submitted": "auto-replied"}), cfg)
    assert bounce.outcome == Outcome.SPAM and bounce.unit_id is None


def test_spam_review_item_goes_once_the_message_was_processed_from_another_folder() -> None:
    """GIVEN a unit's mail recorded in the spam folder
    THEN it is a review item (reason in_spam, the note as detail) until the same message is processed
    from another folder (staff moved it to the inbox)."""
    spam = replace(message("tam_duong", at(15), outcome=Outcome.IN_SPAM, counted=False, message_id="<m@x>"),
                   key=MessageKey("imap:hoso@example.org@imap.example.org/[Gmail]/Spam", 7, "3"))
    items = review_items([spam])
    assert [(i.reason, i.record.unit_id) for i in items] == [("in_spam", "tam_duong")]
    assert items[0].detail.startswith("thư nằm trong thư mục «[Gmail]/Spam»: chưa tính, chưa trả lời")
    moved = message("tam_duong", at(15), message_id="<m@x>")
    assert all(i.reason != "in_spam" for i in review_items([spam, moved]))


def test_the_workbook_shows_a_units_spam_mail_for_review_and_hides_ads_and_copies(cfg: Config) -> None:
    """GIVEN a unit's dossier, its copy met in another folder (recorded unfetched), an ad and a unit's mail in
    the spam folder
    THEN «Thư đến» lists the dossier and the unit's spam mail only; «Cần xem xét» has the spam mail, in words."""
    import openpyxl

    from bot.workbook import tally

    dossier = message("tam_duong", at(14), message_id="<d@x>")
    copy = replace(dossier, outcome=Outcome.DUPLICATE, counted=False, digest="unfetched:<d@x>",
                          from_addr="", subject="")
    ad = message(None, at(14), outcome=Outcome.SPAM, counted=False, subject="Giảm giá 50%")
    spam = message("sin_ho", at(15), outcome=Outcome.IN_SPAM, counted=False, subject="Hồ sơ Sìn Hồ")
    assert tally.write_workbook(build(cfg, [dossier, copy, ad, spam], []), at(16))
    book = openpyxl.load_workbook(cfg.paths.tally)
    subjects = [row[2] for row in book["Thư đến"].iter_rows(min_row=2, values_only=True)]
    assert subjects == ["Hồ sơ đề nghị khen thưởng", "Hồ sơ Sìn Hồ"]
    review = "\n".join(str(v) for row in book["Cần xem xét"].iter_rows(values_only=True) for v in row if v)
    assert "Thư của đơn vị nằm trong thư mục Spam" in review and "Hồ sơ Sìn Hồ" in review
