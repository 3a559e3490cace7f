"""Time to rewrite the tally workbook, as a ratio to openpyxl writing the same cells bare, same run.

    .venv/bin/python bench/tally.py            # 20 units × 15 nominees, then 1,000 units × 15 nominees

Synthetic records are built in memory (no mail, no ledger). "mailbot" is bot.tally.write_workbook on a
folder that already holds the previous workbook (so the staff-notes read-back is included), "bare" is a
plain openpyxl Workbook with the same cell values appended row by row and saved. Bounded: < 2 minutes.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import schema as config_module  # noqa: E402
from bot.config.schema import Config  # noqa: E402
from bot.core.model import DocumentRecord, MessageKey, MessageRecord, Nominee, Outcome, Reply  # noqa: E402
from bot.workbook import tally  # noqa: E402
from bot.workbook.content import Sheet  # noqa: E402

ICT = timezone(timedelta(hours=7))
NOMINEES = 15


def make_config(folder: Path, units: int) -> Config:
    raw = {
        "campaign": {"name": "Sơ kết phong trào thi đua năm 2020", "reference": "199/KH-LĐLĐ",
                     "deadline": datetime(2020, 12, 20, 23, 59, 59, tzinfo=ICT)},
        "quota": {"collectives": 1, "individuals": 12},
        "unit": [{"id": f"u{i:04d}", "name": f"Liên đoàn Lao động huyện Số {i}", "emails": [f"u{i}@example.vn"]}
                 for i in range(units)],
        "mailbox": {"kind": "maildir", "path": "inbox"},
    }
    return config_module.parse(raw, folder / "config.toml")


def _doc(kind: str, filename: str, nominees: tuple[Nominee, ...] = ()) -> DocumentRecord:
    digest = hashlib.sha256(f"{filename}{kind}".encode()).hexdigest()
    return DocumentRecord(filename=filename, kind=kind, format="docx", status="ok", size=1000, sha256=digest,
                          nominees=nominees, archive_path=f"archive/x/{filename}")


def make_records(cfg: Config) -> list[MessageRecord]:
    records = []
    for index, unit in enumerate(cfg.units):
        people = (Nominee("collective", f"Công đoàn cơ sở Trường số {index}", "", "Tờ trình.docx"),
                  *(Nominee("individual", f"Lò Văn Người {index}-{n}",
                            f"Giáo viên Trường Tiểu học xã Số {n}, huyện Số {index}", "Tờ trình.docx")
                    for n in range(NOMINEES - 1)))
        received = datetime(2020, 12, 1, 8, tzinfo=ICT) + timedelta(minutes=index)
        records.append(MessageRecord(
            key=MessageKey("bench", 0, str(index)), message_id=f"<{index}@example.vn>",
            digest=hashlib.sha256(str(index).encode()).hexdigest(), received_at=received,
            from_addr=unit.emails[0], from_name=unit.name, subject=f"Hồ sơ khen thưởng - {unit.name}",
            unit_id=unit.id, counted=True, outcome=Outcome.ACCEPTED,
            documents=(_doc("to_trinh", "Tờ trình.docx", people), _doc("bien_ban", "Biên bản.docx"),
                       _doc("tom_tat", "Tóm tắt.docx", people)),
            reply=Reply.queued_as("ack.eml")))
    return records


def bare(sheets: list[Sheet], target: Path) -> None:
    """The same cell values (computed before the clock starts), no styles, links, notes or safe write."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        ws = workbook.create_sheet(sheet.title)
        for line in sheet.preface:
            ws.append(line)
        ws.append(sheet.header)
        for row in sheet.rows:
            ws.append(row.values)
    workbook.save(target)


def measure(units: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cfg = make_config(folder, units)
        records = make_records(cfg)
        now = datetime(2020, 12, 10, 9, tzinfo=ICT)
        assert tally.write_workbook(cfg, records, now)           # the previous workbook, with its notes
        start = time.perf_counter()
        assert tally.write_workbook(cfg, records, now)
        ours = time.perf_counter() - start
        sheets = tally.build_sheets(cfg, records, now)
        start = time.perf_counter()
        bare(sheets, folder / "bare.xlsx")
        plain = time.perf_counter() - start
    return ours, plain


def main() -> int:
    print(f"{'workbook':<28} {'mailbot s':>10} {'bare s':>8} {'ratio':>6}")
    for units in (20, 1000):
        ours, plain = measure(units)
        label = f"{units} units × {NOMINEES} nominees"
        print(f"{label:<28} {ours:>10.2f} {plain:>8.2f} {ours / plain:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
