"""Big messages are fetched in parts (partial FETCH into a spool file, memory-mapped) on real Dovecot,
and come out byte for byte, and processed, exactly as a whole fetch of the same message."""

from __future__ import annotations

import mmap
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app.pipeline import Runner
from bot.config import schema as config_module
from bot.core.model import MessageRecord
from bot.state.ledger import Ledger
from bot.transport.inbox import ImapSource
from bot.transport.outbox import Outbox
from tests.hostile_samples import big_attachment
from tests.integration.harness import IMAP_ENV, at, make_config, unit_mail
from tests.mailservers import ImapAccount
from tests.samples import SAMPLE_DOSSIERS, danh_sach_xlsx, to_trinh_docx

CHUNK = 256 * 1024
NOW = at(5)


class RecordingSource(ImapSource):
    """The real ImapSource on the real server; it only notes the items of each FETCH it sends."""

    def __init__(self, *args: Any, spool_over: int, chunk: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spool_over, self.spool_chunk = spool_over, chunk
        self.asked: list[list[str]] = []

    def open(self) -> int:
        validity = super().open()
        real = self._client.fetch

        def fetch(uids: list[int], items: list[str], *args: Any) -> Any:
            self.asked.append(list(items))
            return real(uids, items, *args)

        self._client.fetch = fetch
        return validity


def _big_dossier_mail() -> bytes:
    dossier = SAMPLE_DOSSIERS["tam_duong"]
    attachments = [("To trinh.docx", to_trinh_docx(dossier)), ("Danh sach.xlsx", danh_sach_xlsx(dossier)),
                   ("Ban scan.pdf", big_attachment(3))]  # 4 MB of base64: lifted from the mapped bytes
    return unit_mail("tam_duong", attachments, date=at(2))


def _source(setup_config: Path, spool: Path, spool_over: int, chunk: int = CHUNK) -> RecordingSource:
    cfg = config_module.load(setup_config)
    return RecordingSource(cfg.mailbox, spool_dir=spool, spool_over=spool_over, chunk=chunk)


def _parts(source: RecordingSource) -> list[list[str]]:
    return [items for items in source.asked if any(item.startswith("BODY.PEEK[]<") for item in items)]


@pytest.mark.parametrize("chunk", ["small", "exactly the message"])
def test_big_message_comes_in_parts_byte_for_byte(imap_account: ImapAccount, tmp_path: Path, chunk: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN a 4 MB dossier mail on Dovecot and a source whose spool threshold is 1 MB
    WHEN it is fetched with chunks of 256 kB, or of exactly its size (the last part is then empty)
    THEN it arrives memory-mapped from a spool file, with the exact bytes and arrival time of a whole
    fetch, in as many partial FETCHes as the chunks need; the spool file is gone afterwards."""
    raw = _big_dossier_mail()
    uid = imap_account.append(raw)
    setup = make_config(tmp_path / "cfg", imap_account, None)
    monkeypatch.setenv(IMAP_ENV, setup.imap_password)
    size = CHUNK if chunk == "small" else len(raw)
    whole = _source(setup.config, tmp_path / "whole", 1 << 40)
    parted = _source(setup.config, tmp_path / "parted", 1 << 20, size)
    fetched: dict[str, tuple[bytes, datetime, type]] = {}
    for name, source in (("whole", whole), ("parted", parted)):
        source.open()
        try:
            source.candidates(0, set(), [])
            for got_uid, body, stamp in source.fetch([str(uid)]):
                assert got_uid == str(uid)
                fetched[name] = (bytes(body), stamp, type(body))
                spooled = [] if name == "whole" else [tmp_path / name / f"{uid}.eml.part"]
                assert list((tmp_path / name).glob("*")) == spooled
        finally:
            source.close()
    assert fetched["whole"][2] is bytes and fetched["parted"][2] is mmap.mmap
    assert fetched["parted"][:2] == fetched["whole"][:2]
    assert fetched["parted"][0] == raw
    assert len(_parts(parted)) == len(raw) // size + 1 and not _parts(whole)
    assert list((tmp_path / "parted").glob("*")) == []


def _poll(config: Path, source: ImapSource) -> list[MessageRecord]:
    cfg = config_module.load(config)
    ledger = Ledger(cfg.paths.state)
    try:
        Runner(cfg, ledger, Outbox(cfg.paths.outbox)).poll_once(source, NOW)
        return ledger.records()
    finally:
        ledger.close()


def test_parted_fetch_is_processed_like_a_whole_one(imap_account: ImapAccount, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN the same 4 MB dossier mail polled by two installations, one fetching it whole, one in parts
    WHEN each polls once
    THEN both record the same digest, outcome, findings and documents, archive the same raw bytes and
    the same attachment files, and queue the same reply."""
    raw = _big_dossier_mail()
    imap_account.append(raw)
    monkeypatch.setenv(IMAP_ENV, imap_account.password)
    records, sources = {}, {}
    for name, spool_over in (("whole", 1 << 40), ("parted", 1 << 20)):
        setup = make_config(tmp_path / name, imap_account, None)
        sources[name] = _source(setup.config, tmp_path / name / "state" / "spool", spool_over)
        records[name] = _poll(setup.config, sources[name])
    assert _parts(sources["parted"]) and not _parts(sources["whole"])
    (whole,), (parted,) = records["whole"], records["parted"]
    assert parted == whole
    assert whole.documents and whole.unit_id == "tam_duong" and whole.reply.sent
    for name in records:
        assert (tmp_path / name / "state" / "mail" / f"{whole.digest}.eml").read_bytes() == raw
        assert list((tmp_path / name / "state" / "spool").glob("*")) == []
    for doc in whole.documents:
        archived = [(tmp_path / name / doc.archive_path).read_bytes() for name in records]
        assert archived[0] == archived[1]
