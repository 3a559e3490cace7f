"""The shared sets beside the clone (../shared): samples with expected.json, and the real documents."""

from __future__ import annotations

import importlib
import importlib.util
import json
import time
import tomllib
from pathlib import Path
from types import ModuleType

from bench.scoring import Score, print_table
from bot.config import schema as config
from bot.core import intake
from bot.core.model import Attachment
from bot.message import mime

NO_ITEM = "no required item"
REQUIRED = ("to_trinh", "bien_ban", "tom_tat")
# Names on page 2 of the scanned Tờ trình 2753/TTr-STP, transcribed by reading the page image.
SCAN_LABELS = {
    "qb_totrinh-2753-TTr-STP_de-nghi-khen-thuong_scan.pdf": (
        "Phòng Phổ biến, giáo dục pháp luật, Sở Tư pháp tỉnh Quảng Bình", "Công an tỉnh Quảng Bình",
        "Đài Phát thanh truyền hình tỉnh Quảng Bình", "UBND huyện Quảng Ninh",
        "Sở Tài nguyên và Môi trường tỉnh Quảng Bình",
        "Trương Quang Sáng", "Lê Văn Tiến", "Đặng Đại Bàng", "Nguyễn Văn Tình",
    ),
}


def score_samples(folder: Path) -> Score:
    """Per message: the unit decided, the dossier items read, the nominees named (expected.json)."""
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    raw = tomllib.loads((folder / "units.toml").read_text(encoding="utf-8"))
    cfg = config.parse({**raw, "mailbox": {"kind": "maildir", "path": "inbox"}}, folder / "units.toml")
    dossier_kinds = {kind.id for kind in cfg.documents}
    score = Score()
    for message in expected["messages"]:
        mail = mime.parse((folder / "inbox" / message["file"]).read_bytes())
        started = time.monotonic()
        records = [intake.read_document(a, cfg) for a in mail.attachments]
        score.seconds += time.monotonic() - started
        decision = intake.decide(mail, records, cfg)
        name = message["file"]
        unit = decision.unit.id if decision.unit else None
        score.add("unit", unit == message["unit"], f"{name}: {unit} for {message['unit']}")
        read = {r.kind for r in records if r.counts_as_received} & dossier_kinds
        for kind in message["documents"]:
            score.add("item type", kind in read, f"{name}: {kind} not read")
        for kind in sorted(read - set(message["documents"])):
            score.add("item type", False, f"{name}: {kind} read but not expected")
        names = {n.name for r in records for n in r.nominees}
        score.add_names([*message["collectives"], *message["individuals"]], names, name)
    return score


def report_realdocs(shared: Path, cfg: config.Config) -> None:
    """What each real document was read as; judged where its type is beyond doubt."""
    docs = shared / "realdocs" / "docs"
    known = _known(shared)
    score = Score()
    print(f"\n../shared/realdocs/docs ({'KNOWN from tools/make_real_sets.py' if known else 'no KNOWN table'})")
    print(f"  {'file':<62} {'format':<6} {'status':<18} {'read as':<13} {'expected':<15} {'s':>5}")
    for path in sorted(p for p in docs.iterdir() if p.is_file()):
        data = path.read_bytes()
        started = time.monotonic()
        record = intake.read_document(Attachment(path.name, "application/octet-stream", data), cfg)
        seconds = time.monotonic() - started
        expected = _expected_kind(known.get(path.name))
        if expected is not None:
            read = record.kind if record.kind in REQUIRED else NO_ITEM
            score.add("item type", read == expected, f"{path.name}: read {record.kind}, expected {expected}")
        if path.name in SCAN_LABELS:
            score.add_names(SCAN_LABELS[path.name], [n.name for n in record.nominees], path.name)
        flags = ",".join(w for w in record.warnings if w.startswith("ocr"))
        print(f"  {path.name[:62]:<62} {record.format[:6]:<6} {record.status[:18]:<18} {record.kind:<13} "
              f"{expected or '(not judged)':<15} {seconds:>5.1f} {flags}")
    print_table("realdocs: item types where judged; names of the scanned Tờ trình 2753 (hand-labelled)",
                {"realdocs": score})
    _legacy_accuracy(shared)


def _expected_kind(missing: list[str] | None) -> str | None:
    """From make_real_sets.py's "what stays missing": the one required item it is, or none of them.

    KNOWN judges required items only: a file leaving all three missing may still be an optional
    item (danh sách, báo cáo), so "no required item" is what is scored.
    """
    if missing is None:
        return None
    received = [kind for kind in REQUIRED if kind not in missing]
    return received[0] if len(received) == 1 else NO_ITEM if not received else None


def _known(shared: Path) -> dict[str, list[str]]:
    path = shared / "tools" / "make_real_sets.py"
    module = _load(path, "make_real_sets") if path.is_file() else None
    return dict(getattr(module, "KNOWN", {}))


def _load(path: Path, name: str) -> ModuleType | None:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _legacy_accuracy(shared: Path) -> None:
    """TCVN3/VNI character accuracy against the ground truth (bench/legacy_accuracy.py; needs soffice)."""
    legacy = importlib.import_module("bench.legacy_accuracy")
    print("\nlegacy-encoding character accuracy (TCVN3/VNI files against ground-truth/):")
    legacy.print_table(legacy.measure_both(shared))
