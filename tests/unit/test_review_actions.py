"""The console's buttons for a review item: a file judged another campaign's or other business offers
«Đặt loại tệp» for that file, as the clerks' guide says."""

from __future__ import annotations

import pytest

from bot.core import review
from bot.web.views import actions_for
from tests.unit.builders import at, doc, message


@pytest.mark.parametrize("kind", ["other_campaign", "other_business"])
def test_a_file_left_out_as_not_this_campaigns_can_be_given_its_kind(kind: str) -> None:
    record = message("tamduong", at(5), doc("to_trinh"), doc(kind, filename="Bao cao tong ket.docx"))
    items = [item for item in review.message_items([record]) if item.reason == kind]
    assert len(items) == 1
    kinds = [a for a in actions_for(items[0]) if a.kind == "kind"]
    assert [a.filename for a in kinds] == ["Bao cao tong ket.docx"]
