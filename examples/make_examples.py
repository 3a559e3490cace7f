"""Write examples/inbox: a Maildir of realistic unit mails for the README's first command.

Run from the repository root after `pip install -e .[dev]`:  python examples/make_examples.py
The output is committed, so running mailbot on the examples needs no generator and no font.
"""

from __future__ import annotations

import shutil
import sys
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests import samples

ICT = timezone(timedelta(hours=7))
INBOX = Path(__file__).resolve().parent / "inbox"
TO = "luonghaldld@gmail.com"


def _received(when: datetime) -> dict[str, str]:
    return {"Received": f"from mail.example.vn by mx.google.com with ESMTPS; {format_datetime(when)}"}


def _mail(unit: str, address: str, subject: str, when: datetime, attachments: list[tuple[str, bytes]],
          body: str = "", headers: dict[str, str] | None = None) -> bytes:
    dossier = samples.SAMPLE_DOSSIERS[unit]
    text = body or (f"Kính gửi: Văn phòng Liên đoàn Lao động tỉnh Lai Châu.\n\nThực hiện Kế hoạch số 199/KH-LĐLĐ"
                    f" ngày 13/11/2020, {dossier.issuer} gửi hồ sơ đề nghị khen thưởng (gửi kèm).\n\nTrân trọng.")
    return samples.eml(sender=address, sender_name=dossier.issuer, to=TO, subject=subject, body=text,
                       attachments=attachments, date=when, headers={**_received(when), **(headers or {})})


def messages() -> list[tuple[datetime, bytes]]:
    d = samples.SAMPLE_DOSSIERS
    t = [datetime(2020, 12, day, hour, minute, tzinfo=ICT) for day, hour, minute in
         ((1, 8, 35), (4, 10, 2), (4, 10, 5), (7, 14, 20), (8, 9, 45), (9, 16, 5))]
    tam_duong = samples.full_dossier(d["tam_duong"])
    return [
        (t[0], _mail("tp_laichau", "ldld.tplaichau@example.vn", "Hồ sơ đề nghị khen thưởng VHCS năm 2020"
                     " - LĐLĐ thành phố Lai Châu", t[0], samples.full_dossier(d["tp_laichau"]))),
        (t[1], _mail("sin_ho", "ldld.sinho@example.vn", "Gui ho so thi dua VHCS nam 2020 - LDLD Sin Ho", t[1],
                     [("To trinh so 19.pdf", samples.to_trinh_pdf(d["sin_ho"])),
                      *samples.full_dossier(d["sin_ho"])[1:]])),
        (t[2], samples.auto_reply_eml(sender="ldld.sinho@example.vn",
                                      subject="Tự động trả lời: Hồ sơ thi đua VHCS 2020")),
        (t[3], _mail("muong_te", "ldld.muongte@example.vn", "Hồ sơ khen thưởng VHCS 2020 - LĐLĐ Mường Tè", t[3],
                     [("Ho so Muong Te.zip", samples.zip_of(dict(samples.full_dossier(d["muong_te"])))),
                      ("Danh sách đề nghị khen thưởng.xlsx", samples.danh_sach_xlsx(d["muong_te"]))])),
        (t[4], _mail("cd_giaoduc", "congdoan.giaoduc@example.vn", "Hồ sơ đề nghị khen thưởng năm 2020"
                     " - Công đoàn ngành Giáo dục", t[4], samples.full_dossier(d["cd_giaoduc"]))),
        (t[5], _mail("tam_duong", "ldld.tamduong@example.vn", "Gửi hồ sơ thi đua văn hóa công sở năm 2020"
                     " - LĐLĐ huyện Tam Đường", t[5], [tam_duong[0], *tam_duong[2:]])),
    ]


def main() -> None:
    shutil.rmtree(INBOX, ignore_errors=True)
    for sub in ("cur", "new", "tmp"):
        (INBOX / sub).mkdir(parents=True)
        if sub != "new":
            (INBOX / sub / ".gitkeep").touch()
    for index, (when, raw) in enumerate(messages(), 1):
        (INBOX / "new" / f"{int(when.timestamp())}.M{index}P1.mailbot-example").write_bytes(raw)
    print(f"wrote {len(messages())} messages to {INBOX}")


if __name__ == "__main__":
    main()
