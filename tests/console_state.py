"""A small installation for the staff console's tests and bench: a config with a Maildir inbox, mail that
covers every page (a full dossier, an unknown sender, hostile names, an executable), polled in-process."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.app.pipeline import Runner
from bot.config import schema as config_module
from bot.config.schema import Config
from bot.core.reply_keys import ReplyKey
from bot.state.ledger import Ledger
from bot.transport.inbox import open_sources
from bot.transport.outbox import Outbox
from bot.web.serve import Background
from tests.conftest import TEST_AUTHSERV_ID, write_config
from tests.integration.harness import UNIT_EMAIL, at, unit_mail, wait_until
from tests.mailservers import HOST, free_port
from tests.samples import SAMPLE_DOSSIERS, Person, eml, full_dossier, to_trinh_docx, tom_tat_docx

STAFF = "vanphong.ldld@example.org"
CLERK = "thuky.canhan@gmail.example"
HOSTILE = "<script>alert(1)</script>"
HOSTILE_NOMINEE = "Lò Văn <script>x</script>Pâng"
NO_ISSUER = dataclasses.replace(SAMPLE_DOSSIERS["sin_ho"], issuer="CÔNG ĐOÀN CƠ SỞ XÃ NẬM TĂM")


def hostile_dossier() -> list[tuple[str, bytes]]:
    d = SAMPLE_DOSSIERS["tam_duong"]
    people = (Person(HOSTILE_NOMINEE, d.individuals[0].position), *d.individuals[1:])
    hostile = dataclasses.replace(d, individuals=people)
    return [("Tờ trình đề nghị khen thưởng.docx", to_trinh_docx(hostile)),
            (f"{HOSTILE}.docx", tom_tat_docx(hostile)),
            ("cai_dat.exe", b"MZ\x90\x00 not really a program")]


def mails() -> dict[str, bytes]:
    return {
        "full": unit_mail("tp_laichau", full_dossier(SAMPLE_DOSSIERS["tp_laichau"]), date=at(3, 9)),
        "clerk": eml(sender=CLERK, sender_name="Thư ký", subject="Gửi hồ sơ khen thưởng VHCS 2020",
                     attachments=full_dossier(NO_ISSUER), date=at(4, 10),
                     body="Kính gửi Ban CSPL&QHLĐ,\nem gửi hồ sơ của LĐLĐ huyện Sìn Hồ giúp đơn vị.\nTrân trọng."),
        "hostile": unit_mail("tam_duong", hostile_dossier(), date=at(5, 11),
                             subject=f"{HOSTILE} Hồ sơ đề nghị khen thưởng VHCS 2020"),
    }


def build(folder: Path, *, mailbox_extra: str = "", web_extra: str = "") -> Config:
    """The installation in ``folder`` with its mail processed (no SMTP: replies wait in outbox/pending)."""
    inbox = folder / "inbox"
    for sub in ("new", "cur", "tmp"):
        (inbox / sub).mkdir(parents=True, exist_ok=True)
    for name, raw in mails().items():
        (inbox / "new" / f"{name}.eml").write_bytes(raw)
    cfg = config_module.load(write_config(folder, (
        f'[mailbox]\nkind = "maildir"\npath = "inbox"\nauthserv_id = "{TEST_AUTHSERV_ID}"\n{mailbox_extra}\n'
        f'[web]\nstaff = ["{STAFF}"]\n{web_extra}\n')))
    runner = Runner(cfg, Ledger(cfg.paths.state), Outbox(cfg.paths.outbox))
    try:
        runner.poll_all(open_sources(cfg.mailbox, spool_dir=cfg.paths.state_dir / "spool"), at(6, 8))
    finally:
        runner.pool.close()
        runner.ledger.close()
    return cfg


def message_id(name: str) -> str:
    """The Message-ID of one of :func:`mails`."""
    match = re.search(rb"^Message-ID: (<[^>]+>)", mails()[name], re.MULTILINE | re.IGNORECASE)
    assert match
    return match.group(1).decode()


def acknowledgement_files(cfg: Config, message: str) -> list[Path]:
    """The late acknowledgement a decision about ``message`` queued, wherever the outbox moved it."""
    name = Outbox.file_name(ReplyKey.late_ack(message))
    return [path for path in cfg.paths.outbox.rglob(name)]


@contextmanager
def serving(cfg: Config, *, freeze_gc: bool = False) -> Iterator[str]:
    """The console on a free loopback port, on a thread of this process; yields its base URL."""
    port = free_port()
    background = Background(dataclasses.replace(cfg, web=dataclasses.replace(cfg.web, host=HOST, port=port)),
                            freeze_gc=freeze_gc)
    background.start()
    try:
        assert wait_until(lambda: background.server.started, 20), "the console did not start"
        yield f"http://{HOST}:{port}"
    finally:
        background.stop()


__all__ = ["CLERK", "HOSTILE", "HOSTILE_NOMINEE", "STAFF", "UNIT_EMAIL", "acknowledgement_files", "build",
           "message_id", "serving"]
