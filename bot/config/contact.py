"""``campaign.contact``: whom units may call about their dossier, shown in every reply's closing line.

Either a string (``contact = "Ban Chính sách - Pháp luật, LĐLĐ tỉnh"``) or a table::

    [campaign.contact]
    person = "Lương Thị Hà"                     # the staff member units ask for
    office = "Ban Chính sách - Pháp luật và Quan hệ lao động"
    phone = "0213 3876 123"
    email = "luonghaldld@gmail.com"

Every key of the table is optional; the reply reads «… xin liên hệ đồng chí Lương Thị Hà, Ban Chính
sách - Pháp luật và Quan hệ lao động, điện thoại 0213 3876 123, thư điện tử luonghaldld@gmail.com».
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config.reader import Reader

KEYS = {"person", "office", "phone", "email"}


@dataclass(frozen=True, slots=True)
class Contact:
    person: str = ""
    office: str = ""
    phone: str = ""
    email: str = ""

    @property
    def name(self) -> str:
        """Who, without the means: «Lương Thị Hà, Ban Chính sách …» (or the string form as written)."""
        return ", ".join(part for part in (self.person, self.office) if part)

    @property
    def line(self) -> str:
        """The closing line's words: «đồng chí …, Ban …, điện thoại …, thư điện tử …» ("" when nothing is set)."""
        parts = [f"đồng chí {self.person}" if self.person else "", self.office,
                 f"điện thoại {self.phone}" if self.phone else "", f"thư điện tử {self.email}" if self.email else ""]
        return ", ".join(part for part in parts if part)


NO_CONTACT = Contact()


def read_contact(campaign: Reader) -> Contact:
    value = campaign.get("contact")
    if value is None or isinstance(value, str):
        return Contact(office=(value or "").strip())
    if not isinstance(value, dict):
        campaign.problem("contact", "must be a string or a table (person, office, phone, email)")
        return Contact()
    table = campaign.section("contact")
    table.no_unknown(KEYS)
    return Contact(*(table.str(key, "").strip() for key in ("person", "office", "phone", "email")))
