"""Extraction quality, measured: per field, correct / total, on labelled documents.

    python bench/accuracy.py [--legacy N] [--scans N]

1. generated corpus (bench/corpus.py): text documents, legacy .doc/.xls through LibreOffice
   (first N dossiers, default 3) and scans through Tesseract (first N dossiers, default 4);
2. ../shared/samples (expected.json) when that folder sits beside the clone;
3. ../shared/realdocs/docs: the item type read for each real file, judged where the type is
   beyond doubt (tools/make_real_sets.py KNOWN: a Quyết định, Công văn or Thông tư is no dossier
   item); the real scanned tờ trình's names against the danh sách of the same dossier; and the
   legacy-encoding character accuracy from bench/legacy_accuracy.py when it exists.

Every document goes through bot.intake.read_document, the path the bot itself takes.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from bench import corpus, real_sets  # noqa: E402
from bench.scoring import Score, print_table  # noqa: E402
from bot.config import schema as config  # noqa: E402
from bot.core import intake  # noqa: E402
from bot.core.model import Attachment  # noqa: E402


def score_corpus(items: list[corpus.Item], cfg: config.Config) -> dict[str, Score]:
    """Per group: unit, item type, nominee count, nominee names."""
    unit_of = {key: next(u.id for u in cfg.units if d.issuer in (u.name, *u.aliases))
               for key, d in corpus.SAMPLE_DOSSIERS.items()}
    scores: dict[str, Score] = {}
    for item in items:
        score = scores.setdefault(item.group, Score())
        data = item.make()
        started = time.monotonic()
        record = intake.read_document(Attachment(item.filename, "application/octet-stream", data), cfg)
        score.seconds += time.monotonic() - started
        score.add("unit", record.unit_hint == unit_of[item.dossier], f"{item.dossier}/{item.template}")
        score.add("item type", record.kind == item.kind, f"{item.dossier}/{item.template}: read {record.kind}")
        if item.names:
            found = [n.name for n in record.nominees]
            score.add("nominee count", len(found) == len(item.names),
                      f"{item.dossier}/{item.template}: {len(found)} of {len(item.names)}")
            score.add_names(item.names, found, f"{item.dossier}/{item.template}")
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--legacy", type=int, default=3, help="dossiers whose .doc/.xls are made (0: none)")
    parser.add_argument("--scans", type=int, default=4, help="dossiers whose scans are made (0: none)")
    args = parser.parse_args()
    cfg = config.load(ROOT / "config.toml")
    items = [*corpus.text_items(), *corpus.legacy_items(args.legacy), *corpus.scan_items(args.scans)]
    scores = score_corpus(items, cfg)
    print_table("Generated corpus (bench/corpus.py)", scores)
    if (SHARED / "samples" / "expected.json").is_file():
        print_table("../shared/samples (expected.json)", {"samples": real_sets.score_samples(SHARED / "samples")})
    else:
        print(f"\n(no {SHARED / 'samples'}: shared samples not scored)")
    if (SHARED / "realdocs" / "docs").is_dir():
        real_sets.report_realdocs(SHARED, cfg)
    else:
        print(f"\n(no {SHARED / 'realdocs'}: real documents not scored)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
