"""The decided picture: the one value every staff surface reads. Pure: stored records and decisions in.

``build(cfg, stored, decisions)`` derives, once per read, everything staff are shown:

- ``Picture.cfg``: the config with the addresses staff asked to remember (``assign --remember``);
- ``Picture.records``: every message with every active staff decision applied (bot/core/corrections.py);
- ``Picture.units``: per unit (config order) a :class:`UnitPicture`: its dossier (bot/core/rules.py), its
  verdict, the Vietnamese status words, its counted mail and paper receipts;
- ``Picture.review``: the review queue (bot/core/review.py), open and done items;
- ``Picture.counts``: the campaign-wide counts («Đủ hồ sơ», «Thiếu», «Vượt chỉ tiêu», «Nộp muộn»,
  «Chưa nộp», open review items), each defined here once.

``mailbot status`` (text and ``--json``), the workbook, the digest, the reminders, the after-deadline
summary, the export and the staff console read this value and nothing else (tests/unit/test_architecture.py
holds them to it); bot/app/decided.py ``picture(ledger, cfg)`` loads it from the ledger.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.config.schema import Config, Unit
from bot.core import corrections
from bot.core.decisions import StaffDecision
from bot.core.model import MessageRecord, Outcome, UnitDossier, Verdict
from bot.core.review import ReviewItem, ReviewQueue, ReviewState, review_queue
from bot.core.rules import assess

__all__ = ["Counts", "Picture", "ReviewItem", "ReviewQueue", "ReviewState", "UnitPicture", "build",
           "status_words"]


@dataclass(frozen=True, slots=True)
class UnitPicture:
    """One unit as staff decided it."""

    unit: Unit
    dossier: UnitDossier
    records: tuple[MessageRecord, ...]   # what counts for the unit, in arrival order (mail and paper receipts)
    words: str                           # «Đủ hồ sơ» / «Thiếu …; Vượt chỉ tiêu; Nộp muộn» / «Chưa nộp»

    @property
    def id(self) -> str:
        return self.unit.id

    @property
    def name(self) -> str:
        return self.unit.name

    @property
    def verdict(self) -> Verdict:
        return self.dossier.verdict

    @property
    def mails(self) -> tuple[MessageRecord, ...]:
        """The unit's counted mail («Số thư»): paper receipts are not mail."""
        return tuple(r for r in self.records if r.outcome != Outcome.RECEIVED_OTHER_WAY)

    @property
    def papers(self) -> tuple[MessageRecord, ...]:
        """Items staff received on paper or by hand («Nhận bản giấy»)."""
        return tuple(r for r in self.records if r.outcome == Outcome.RECEIVED_OTHER_WAY)


@dataclass(frozen=True, slots=True)
class Counts:
    """The campaign's counts, each defined here once. A unit is either «Đủ hồ sơ», «Chưa nộp» or needs
    action; a unit that needs action may count in several of «Thiếu», «Vượt chỉ tiêu» and «Nộp muộn»."""

    units: int
    complete: int          # «Đủ hồ sơ»: Verdict.IN_ORDER (nothing missing, within quota, on time)
    missing: int           # «Thiếu»: submitted, some required item still missing
    over_quota: int        # «Vượt chỉ tiêu»
    late: int              # «Nộp muộn»
    not_submitted: int     # «Chưa nộp»: nothing counted yet
    open_review: int       # «Cần xem xét» / the digest's «việc chờ»
    done_review: int

    @property
    def needs_action(self) -> int:
        """Units that submitted and are not in order."""
        return self.units - self.complete - self.not_submitted


@dataclass(frozen=True, slots=True)
class Picture:
    cfg: Config                               # the effective config (remembered addresses added)
    records: tuple[MessageRecord, ...]        # every message as decided, arrival order
    stored: tuple[MessageRecord, ...]         # every message as the ledger holds it (no decision applied)
    decisions: tuple[StaffDecision, ...]      # every decision, undone ones included, by id
    units: tuple[UnitPicture, ...]            # config order
    review: ReviewQueue
    counts: Counts

    def unit(self, unit_id: str) -> UnitPicture | None:
        return next((u for u in self.units if u.id == unit_id), None)

    @property
    def dossiers(self) -> tuple[UnitDossier, ...]:
        return tuple(u.dossier for u in self.units)

    @property
    def active_decisions(self) -> tuple[StaffDecision, ...]:
        return tuple(d for d in self.decisions if d.active)


def build(cfg: Config, stored: Sequence[MessageRecord], decisions: Iterable[StaffDecision]) -> Picture:
    """The picture of ``stored`` with ``decisions`` (all of them; undone ones are kept but not applied)."""
    every = tuple(sorted(decisions, key=lambda d: d.id))
    active = [d for d in every if d.active]
    effective = corrections.with_remembered(cfg, active)
    records = tuple(corrections.apply(stored, active, effective))
    units = tuple(_unit(unit, records, effective) for unit in effective.units)
    dossiers = [u.dossier for u in units]
    review = review_queue(stored, records, dossiers, active)
    return Picture(effective, records, tuple(stored), every, units, review, _counts(units, review))


def _unit(unit: Unit, records: Sequence[MessageRecord], cfg: Config) -> UnitPicture:
    dossier = assess(unit, records, cfg)
    mine = tuple(r for r in records if r.counted and r.unit_id == unit.id)
    return UnitPicture(unit, dossier, mine, status_words(dossier, cfg))


def _counts(units: Sequence[UnitPicture], review: ReviewQueue) -> Counts:
    submitted = [u for u in units if u.verdict != Verdict.NOT_SUBMITTED]
    return Counts(
        units=len(units),
        complete=sum(u.verdict == Verdict.IN_ORDER for u in units),
        missing=sum(bool(u.dossier.missing) for u in submitted),
        over_quota=sum(u.dossier.over_quota for u in submitted),
        late=sum(u.dossier.late for u in submitted),
        not_submitted=len(units) - len(submitted),
        open_review=len(review.open), done_review=len(review.done))


def status_words(dossier: UnitDossier, cfg: Config) -> str:
    """Đủ hồ sơ / Thiếu … / Vượt chỉ tiêu / Nộp muộn / Chưa nộp, as staff say it."""
    if dossier.verdict == Verdict.NOT_SUBMITTED:
        return "Chưa nộp"
    words = []
    if dossier.missing:
        labels = [spec.label for spec in (cfg.doc_kind(i) for i in dossier.missing) if spec]
        words.append("Thiếu " + ", ".join(labels))
    if dossier.over_quota:
        words.append("Vượt chỉ tiêu")
    if dossier.late:
        words.append("Nộp muộn")
    return "; ".join(words) or "Đủ hồ sơ"
