"""Staff decisions applied purely (bot.core.corrections), checked (bot.core.decision_checks), read from
workbook cells (bot.workbook.decision_cells) and stored (bot.state.decisions). Hand-built records."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from bot.app.decide import decision_id
from bot.config.schema import Config
from bot.core import classify, corrections, rules, views
from bot.core.decision_checks import prepare
from bot.core.decisions import DecisionKind, Source, StaffDecision, line, message_ref
from bot.core.model import Finding, MessageRecord, Outcome
from bot.state.ledger import Ledger
from bot.workbook import decision_cells
from bot.workbook.decision_cells import DecisionCell, Undo
from bot.workbook.decision_view import DecisionView
from bot.workbook.staff_notes import Note
from parsers.nominees import NomineeKind
from tests.unit.builders import DEADLINE, at, complete, doc, message, people, person

WHEN = at(10)


def decision(kind: DecisionKind, number: int = 1, **fields: object) -> StaffDecision:
    return StaffDecision(kind, by="luong", at=WHEN, id=number, **fields)  # type: ignore[arg-type]


def stranger(**fields: object) -> MessageRecord:
    """A clerk's personal Gmail with the whole dossier: unknown sender, not counted."""
    record = complete("cdvc", at(5))
    return replace(record, unit_id=None, counted=False, outcome=Outcome.UNKNOWN_SENDER,
                   from_addr="thuky.cdvc@gmail.example", **fields)  # type: ignore[arg-type]


def dossier(cfg: Config, unit_id: str, records: list[MessageRecord], *decisions: StaffDecision):  # type: ignore[no-untyped-def]
    unit = cfg.unit(unit_id)
    assert unit is not None
    return rules.assess(unit, corrections.apply(records, decisions, cfg), cfg)


# ------------------------------------------------------------------------------- pure application


def test_no_decision_leaves_the_records_as_they_are(cfg: Config) -> None:
    records = [complete("cdvc", at(1)), stranger()]
    assert corrections.apply(records, [], cfg) == records


def test_assign_counts_a_stranger_for_the_unit_and_leaves_review(cfg: Config) -> None:
    """GIVEN an unknown sender's complete dossier WHEN assigned to cdvc THEN cdvc is complete, the
    message is accepted (no unknown_sender in review), and the stored record is unchanged."""
    record = stranger()
    assert dossier(cfg, "cdvc", [record]).messages == 0
    assign = decision(DecisionKind.ASSIGN, message_id=record.message_id, unit_id="cdvc")
    after = dossier(cfg, "cdvc", [record], assign)
    assert after.complete and after.messages == 1 and after.individuals == 2
    decided = corrections.apply([record], [assign], cfg)[0]
    assert decided.outcome == Outcome.ACCEPTED and Finding.DECIDED_BY_STAFF in decided.findings
    assert [i.reason for i in views.review_items(corrections.apply([record], [assign], cfg))] == []
    assert [i.reason for i in views.review_items([record])] == ["unknown_sender"]
    assert record.outcome == Outcome.UNKNOWN_SENDER          # values in, values out


def test_assign_vouches_for_an_unverified_sender(cfg: Config) -> None:
    record = replace(complete("cdvc", at(5)), findings=(str(Finding.UNVERIFIED_SENDER),))
    assign = decision(DecisionKind.ASSIGN, message_id=record.message_id, unit_id="cdvc")
    assert Finding.UNVERIFIED_SENDER in dossier(cfg, "cdvc", [record]).flags
    assert Finding.UNVERIFIED_SENDER not in dossier(cfg, "cdvc", [record], assign).flags


def test_undone_decision_restores_the_earlier_verdict(cfg: Config) -> None:
    record = stranger()
    assign = decision(DecisionKind.ASSIGN, message_id=record.message_id, unit_id="cdvc")
    undone = replace(assign, undone_at=WHEN, undone_by="luong")
    assert corrections.apply([record], [undone], cfg) == [record]


def test_ignore_takes_back_what_the_message_brought(cfg: Config) -> None:
    """GIVEN a complete dossier and a later message with another list WHEN the later one is ignored
    THEN the earlier list is the current one again and the items stay received by the first."""
    first = complete("cdvc", at(1), individuals=2)
    later = message("cdvc", at(3), doc("to_trinh", people(6, "Hà Thị")))
    assert dossier(cfg, "cdvc", [first, later]).individuals == 6
    ignore = decision(DecisionKind.IGNORE, message_id=later.message_id)
    after = dossier(cfg, "cdvc", [first, later], ignore)
    assert after.individuals == 2 and after.complete and after.messages == 1
    only = dossier(cfg, "cdvc", [first], decision(DecisionKind.IGNORE, message_id=first.message_id))
    assert only.missing == ("to_trinh", "bien_ban", "tom_tat") and only.messages == 0


def test_the_later_decision_on_a_message_wins(cfg: Config) -> None:
    record = stranger()
    assign = decision(DecisionKind.ASSIGN, 1, message_id=record.message_id, unit_id="cdvc")
    ignore = decision(DecisionKind.IGNORE, 2, message_id=record.message_id)
    assert dossier(cfg, "cdvc", [record], ignore, assign).messages == 0     # applied by id, not list order
    assert dossier(cfg, "cdvc", [record], assign).messages == 1


def test_receive_on_paper_makes_the_item_received_and_stops_reminders(cfg: Config) -> None:
    """GIVEN a unit missing its biên bản WHEN staff record it received on paper THEN it is not missing,
    not late (handed in before the deadline), and no reminder is due for the unit."""
    partial = message("tam_duong", at(2), doc("to_trinh", people(2)), doc("tom_tat", people(2)))
    before = dossier(cfg, "tam_duong", [partial])
    assert before.missing == ("bien_ban",)
    paper = decision(DecisionKind.RECEIVE, unit_id="tam_duong", item="bien_ban", on=date(2020, 12, 15),
                     note="bản giấy qua Ban CSPL&QHLĐ")
    after = dossier(cfg, "tam_duong", [partial], paper)
    assert after.complete and not after.late
    due = rules.due_slots(cfg, at(17, 8))
    assert rules.reminders_due([after], due, set()) == []
    assert rules.reminders_due([before], due, set())


def test_paper_after_the_deadline_is_late(cfg: Config) -> None:
    partial = message("tam_duong", at(2), doc("to_trinh", people(2)), doc("tom_tat", people(2)))
    paper = decision(DecisionKind.RECEIVE, unit_id="tam_duong", item="bien_ban", on=date(2020, 12, 22))
    assert dossier(cfg, "tam_duong", [partial], paper).late
    on_the_day = replace(paper, on=DEADLINE.date())
    assert not dossier(cfg, "tam_duong", [partial], on_the_day).late


def test_kind_makes_an_unclassified_file_the_bien_ban(cfg: Config) -> None:
    record = message("cdvc", at(2), doc("to_trinh", people(2)), doc("tom_tat", people(2)),
                     doc("unclassified", filename="scan0001.pdf"))
    assert dossier(cfg, "cdvc", [record]).missing == ("bien_ban",)
    assert "unclassified" in [i.reason for i in views.review_items([record])]
    kind = decision(DecisionKind.KIND, message_id=record.message_id, filename="scan0001.pdf", item="bien_ban")
    assert dossier(cfg, "cdvc", [record], kind).complete
    assert "unclassified" not in [i.reason for i in views.review_items(corrections.apply([record], [kind], cfg))]


def test_nominee_rename_kind_and_removal_follow_later_messages(cfg: Config) -> None:
    """Corrections match the name without accents or honorifics and keep applying to a later dossier."""
    first = message("cdvc", at(2), doc("to_trinh", (person("Lò Thị My"), person("Giàng A Chứ"))))
    later = message("cdvc", at(4), doc("to_trinh", (person("Bà Lò Thị My"), person("Giàng A Chứ"),
                                                      person("Trường Tiểu học Bản Hon"))))
    rename = decision(DecisionKind.NOMINEE, 1, unit_id="cdvc", name="Lò Thị My", new_name="Lò Thị Mỵ")
    rekind = decision(DecisionKind.NOMINEE, 2, unit_id="cdvc", name="Trường Tiểu học Bản Hon",
                      new_kind=NomineeKind.COLLECTIVE)
    remove = decision(DecisionKind.NOMINEE, 3, unit_id="cdvc", name="giang a chu", remove=True)
    after = dossier(cfg, "cdvc", [first, later], rename, rekind, remove)
    assert [(n.kind, n.name) for n in after.nominees] == [("individual", "Lò Thị Mỵ"),
                                                           ("collective", "Trường Tiểu học Bản Hon")]
    assert (after.collectives, after.individuals) == (1, 1)
    other_unit = dossier(cfg, "tam_duong", [replace(later, unit_id="tam_duong")], rename)
    assert "Lò Thị Mỵ" not in [n.name for n in other_unit.nominees]


def test_remembered_address_maps_later_mail_to_the_unit(cfg: Config) -> None:
    record = stranger()
    assign = decision(DecisionKind.ASSIGN, message_id=record.message_id, unit_id="cdvc", remember=True,
                      address="thuky.cdvc@gmail.example")
    effective = corrections.with_remembered(cfg, [assign])
    found = classify.unit_by_address("Thuky.CDVC@gmail.example".casefold(), effective.units)
    assert found is not None and found.id == "cdvc"
    assert classify.unit_by_address("thuky.cdvc@gmail.example", cfg.units) is None   # config untouched
    assert corrections.with_remembered(cfg, [replace(assign, undone_at=WHEN)]) is cfg


# ------------------------------------------------------------------------------- checks


def test_checks_refuse_what_cannot_be_applied(cfg: Config) -> None:
    record = stranger()
    records = [record, complete("cdvc", at(1))]
    refuse = {
        "unknown unit": decision(DecisionKind.ASSIGN, message_id=record.message_id, unit_id="khong_co"),
        "unknown message": decision(DecisionKind.IGNORE, message_id="<gone@example>"),
        "unknown item": decision(DecisionKind.RECEIVE, unit_id="cdvc", item="bien_bann"),
        "unknown file": decision(DecisionKind.KIND, message_id=record.message_id, filename="x.pdf", item="bien_ban"),
        "unknown nominee": decision(DecisionKind.NOMINEE, unit_id="cdvc", name="Không Có Ai", remove=True),
        "staff address": decision(DecisionKind.ASSIGN, message_id=record.message_id, unit_id="cdvc",
                                  remember=True),
    }
    records[0] = replace(record, from_addr="vanphong.ldld@example.org")
    for what, refused in refuse.items():
        assert isinstance(prepare(refused, cfg, records), str), what
    ok = prepare(decision(DecisionKind.ASSIGN, message_id=record.message_id, unit_id="cdvc", remember=True),
                 cfg, [record])
    assert isinstance(ok, StaffDecision) and ok.address == "thuky.cdvc@gmail.example"


def test_message_ref_and_line(cfg: Config) -> None:
    assert message_ref("abc@x") == "<abc@x>" == message_ref("<abc@x>")
    text = line(decision(DecisionKind.RECEIVE, 7, unit_id="tam_duong", item="bien_ban", on=date(2020, 12, 15)), cfg)
    assert text.startswith("#7 | tam_duong | Nhận bản giấy | Liên đoàn Lao động huyện Tam Đường: đã nhận Biên bản")
    assert "[bien_ban]" not in text and "receive" not in text
    assert decision_id("#7") == decision_id("7") == 7


# ------------------------------------------------------------------------------- workbook cells


def _cell(sheet: str, key: str, text: str, why: str = "") -> DecisionCell:
    return DecisionCell(sheet, key, text, why)


def test_review_cells_read_as_decisions(cfg: Config) -> None:
    """Units are picked or typed by name (with or without accents; the id still works); the workbook never
    remembers an address (whoever can write the file could pick one); who is what the caller says."""
    record = stranger()
    key = f"{record.digest[:16]}|unknown_sender|"
    for typed in ("Tính cho đơn vị: Công đoàn Viên chức tỉnh Lai Châu", "tinh cho don vi: cong doan vien chuc "
                  "tinh lai chau", "Tính cho đơn vị: cdvc"):
        got = decision_cells.read(_cell("Cần xem xét", key, typed, "thư thư ký"), cfg, [record], "Lương Hà", WHEN)
        assert isinstance(got, list) and got[0].kind == DecisionKind.ASSIGN, typed
        assert (got[0].unit_id, got[0].remember, got[0].message_id, got[0].why) == ("cdvc", False,
                                                                                    record.message_id, "thư thư ký")
        assert got[0].source == Source.WORKBOOK and got[0].by == "Lương Hà"
    remember = decision_cells.read(_cell("Cần xem xét", key, "Tính cho đơn vị: cdvc (ghi nhớ địa chỉ)"), cfg,
                                   [record], "x", WHEN)
    assert isinstance(remember, str) and "trang quản lý" in remember
    ignore = decision_cells.read(_cell("Cần xem xét", key, "bo qua"), cfg, [record], "x", WHEN)
    assert isinstance(ignore, list) and ignore[0].kind == DecisionKind.IGNORE
    for typo in ("Tinh cho don vi", "Tính cho đơn vị: Huyện Không Có"):
        refused = decision_cells.read(_cell("Cần xem xét", key, typo), cfg, [record], "x", WHEN)
        assert isinstance(refused, str) and refused.isascii() is False and "(" not in refused, typo
    nonsense = decision_cells.read(_cell("Cần xem xét", key, "đồng ý"), cfg, [record], "x", WHEN)
    assert isinstance(nonsense, str)
    assert isinstance(decision_cells.read(_cell("Cần xem xét", key, "Huỷ quyết định"), cfg, [record], "x", WHEN),
                      Undo)


def test_file_nominee_and_paper_cells(cfg: Config) -> None:
    record = message("cdvc", at(2), doc("to_trinh", (person("Lò Thị My"),)), doc("unclassified", filename="a.pdf"))
    file_key = f"{record.digest[:16]}|unclassified|a.pdf: không nhận ra"
    kind = decision_cells.read(_cell("Cần xem xét", file_key, "Tệp là: Biên bản họp xét"), cfg, [record], "x", WHEN)
    assert isinstance(kind, list) and (kind[0].filename, kind[0].item) == ("a.pdf", "bien_ban")
    rename = decision_cells.read(_cell("Danh sách đề nghị", "cdvc|individual|lo thi my", "Sửa tên: Lò Thị Mỵ"),
                                 cfg, [record], "x", WHEN)
    assert isinstance(rename, list) and (rename[0].name, rename[0].new_name) == ("Lò Thị My", "Lò Thị Mỵ")
    typed = "Đã nhận bản giấy: Biên bản họp xét, tom_tat ngày 15/12/2020"
    paper = decision_cells.read(_cell("Tổng hợp", "cdvc", typed), cfg, [record], "x", WHEN)
    assert isinstance(paper, list) and [(d.item, d.on) for d in paper] == [("bien_ban", date(2020, 12, 15)),
                                                                           ("tom_tat", date(2020, 12, 15))]


def test_choices_name_every_unit_and_item(cfg: Config) -> None:
    lists = decision_cells.choices(cfg)
    assert "Tính cho đơn vị: Công đoàn Viên chức tỉnh Lai Châu" in lists["Quyết định"]
    assert "Bỏ qua" in lists["Quyết định"]
    assert not [c for c in lists["Quyết định"] if "ghi nhớ" in c or any(u.id in c for u in cfg.units)]
    assert "Đã nhận bản giấy: Biên bản họp xét" in lists["Nhận bản giấy"]
    assert "Bỏ khỏi danh sách" in lists["Sửa danh sách"]


def test_view_keeps_applied_cells_and_clears_undone_ones() -> None:
    origin = "Cần xem xét|k|Bỏ qua"
    active = decision(DecisionKind.IGNORE, 1, message_id="<m>", origin=origin)
    cell = Note("Cần xem xét", "k", "Quyết định", "Bỏ qua")
    assert DecisionView([active]).keep(cell) and not DecisionView([active]).orphan(cell)
    undone = replace(active, undone_at=WHEN)
    assert not DecisionView([undone]).keep(cell) and DecisionView([undone]).cleared() == [1]
    refused = Note("Cần xem xét", "k", "Quyết định", "sai chính tả")
    assert DecisionView([active]).keep(refused) and DecisionView([active]).orphan(refused)


# ------------------------------------------------------------------------------- store


def test_store_keeps_decisions_with_who_when_why_and_undo(tmp_path: Path) -> None:
    path = tmp_path / "state" / "mailbot.sqlite3"
    ledger = Ledger(path)
    generation = ledger.generation()
    made = ledger.decisions.add(StaffDecision(DecisionKind.RECEIVE, by="luong", at=WHEN, why="bản giấy",
                                              unit_id="cdvc", item="bien_ban", on=date(2020, 12, 15),
                                              note="qua Ban CSPL&QHLĐ"))
    assert made.id == 1 and ledger.generation() > generation
    ledger.close()
    again = Ledger(path)                                   # across a restart
    [stored] = again.decisions.all()
    assert (stored.by, stored.why, stored.on, stored.note, stored.item) == (
        "luong", "bản giấy", date(2020, 12, 15), "qua Ban CSPL&QHLĐ", "bien_ban")
    assert stored.at == WHEN
    undone = again.decisions.undo(1, "ha", datetime(2020, 12, 11, tzinfo=WHEN.tzinfo))
    assert undone is not None and undone.undone_by == "ha" and not undone.active
    assert again.decisions.undo(1, "ha", WHEN) is None      # already undone
    assert again.decisions.active() == [] and len(again.decisions.all()) == 1
    assert not again.decisions.acknowledged("<m>")
    again.decisions.mark_acknowledged("<m>", "cdvc", 1, WHEN, "x.eml")
    again.decisions.mark_acknowledged("<m>", "cdvc", 2, WHEN, "y.eml")
    assert again.decisions.acknowledged("<m>")
    again.close()


def test_store_remembers_workbook_origins(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "mailbot.sqlite3")
    made = ledger.decisions.add(StaffDecision(DecisionKind.IGNORE, by="x", at=WHEN, message_id="<m>",
                                              origin="Cần xem xét|k|Bỏ qua", source=Source.WORKBOOK))
    assert ledger.decisions.origin_pending("Cần xem xét|k|Bỏ qua")
    ledger.decisions.undo(made.id, "y", WHEN, origin="Cần xem xét|k|Huỷ quyết định")
    assert ledger.decisions.origin_pending("Cần xem xét|k|Bỏ qua")           # the cell is still shown
    assert ledger.decisions.origin_pending("Cần xem xét|k|Huỷ quyết định")
    ledger.decisions.mark_cleared([made.id])
    assert not ledger.decisions.origin_pending("Cần xem xét|k|Bỏ qua")       # chosen again: a new decision
    assert not ledger.decisions.origin_pending("Cần xem xét|k|Huỷ quyết định")
    ledger.close()


def test_unit_records_bring_in_what_decisions_assign(tmp_path: Path, cfg: Config) -> None:
    """The records an acknowledgement is built from include a message assigned from elsewhere."""
    from bot.app import decided

    ledger = Ledger(tmp_path / "mailbot.sqlite3")
    record = stranger()
    ledger.record(record)
    ledger.record(complete("tam_duong", at(2)))
    assert decided.unit_records(ledger, cfg, "cdvc") == []
    ledger.decisions.add(StaffDecision(DecisionKind.ASSIGN, by="x", at=WHEN, message_id=record.message_id,
                                       unit_id="cdvc"))
    [mine] = decided.unit_records(ledger, cfg, "cdvc")
    assert mine.message_id == record.message_id and mine.counted and mine.unit_id == "cdvc"
    assert [r.unit_id for r in decided.records(ledger, cfg)] == ["tam_duong", "cdvc"]
    ledger.close()
