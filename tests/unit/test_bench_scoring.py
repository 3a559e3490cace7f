"""bench/scoring.py: the accuracy bench counts a name right only when spelled exactly."""

from __future__ import annotations

from bench.scoring import Score


def test_names_are_right_only_when_exact_and_extras_are_counted_apart() -> None:
    score = Score()
    score.add_names(["Hầu Thị Mỵ", "Lò Văn Pâng", "Lò Văn Pâng"], ["Hầu Thị My", "Lò Văn Pâng", "Vàng A Sử"], "doc")
    assert (score.correct["nominee names"], score.total["nominee names"]) == (1, 3)
    assert score.extra_names == 2                    # "Hầu Thị My" and "Vàng A Sử" are not in the label
    assert score.misses == ["nominee names: doc: 'Hầu Thị Mỵ' not found exactly",
                            "nominee names: doc: 'Lò Văn Pâng' not found exactly"]
