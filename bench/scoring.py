"""Correct / total counters per field and the table bench/accuracy.py prints."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass
class Score:
    correct: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    extra_names: int = 0
    seconds: float = 0.0

    def add(self, name: str, ok: bool, note: str = "") -> None:
        self.total[name] += 1
        self.correct[name] += ok
        if not ok:
            self.misses.append(f"{name}: {note}")

    def add_names(self, expected: Iterable[str], found: Iterable[str], note: str) -> None:
        """Each expected name counts once, right only when found spelled exactly; extras are counted apart."""
        left = Counter(found)
        for name in expected:
            ok = left[name] > 0
            left[name] -= ok
            self.add("nominee names", ok, f"{note}: {name!r} not found exactly")
        self.extra_names += sum(count for count in left.values() if count > 0)


FIELDS = ("unit", "item type", "nominee count", "nominee names")


def print_table(title: str, scores: Mapping[str, Score]) -> None:
    print(f"\n{title}")
    print(f"  {'group':<10} {'field':<15} {'correct':>8} {'total':>6} {'rate':>8}")
    for group, score in scores.items():
        for name in (*FIELDS, *(n for n in score.total if n not in FIELDS)):
            if score.total[name]:
                rate = 100 * score.correct[name] / score.total[name]
                print(f"  {group:<10} {name:<15} {score.correct[name]:>8} {score.total[name]:>6} {rate:>7.1f}%")
        extra = f", {score.extra_names} names found that are not in the label" if score.extra_names else ""
        timing = f", {score.seconds:.1f} s reading" if score.seconds else ""
        print(f"  {group:<10} ({len(score.misses)} misses{extra}{timing})")
        for miss in score.misses[:12]:
            print(f"  {'':<10}   - {miss}")
