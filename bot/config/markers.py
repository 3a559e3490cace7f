"""``[campaign.markers]``: the words that tell this campaign's mail from the rest (see README).

Every list is added to what is derived from ``campaign.name`` and ``campaign.reference``
(bot/core/markers.py), so a config needs the section only to add a usual abbreviation, an older
plan number or a local name of another movement.
"""

from __future__ import annotations

from dataclasses import replace

from bot.config.reader import Reader
from bot.core.markers import Markers, default_markers, plan_key
from parsers.text import fold

KEYS = {"plans", "keywords", "abbreviations", "year", "dossier_words", "other_campaigns", "other_business"}


def campaign_markers(sec: Reader, name: str, reference: str, deadline_year: int) -> Markers:
    sec.no_unknown(KEYS)
    base = default_markers(name, reference, deadline_year)
    year = sec.int("year", base.year or deadline_year, minimum=1900)
    return replace(
        base,
        plans=_more(base.plans, [plan_key(p) for p in sec.str_list("plans", [])]),
        keywords=_more(base.keywords, [fold(k) for k in sec.str_list("keywords", [])]),
        abbreviations=_more(base.abbreviations, [fold(a) for a in sec.str_list("abbreviations", [])]),
        year=year,
        dossier=_more(base.dossier, [fold(w) for w in sec.str_list("dossier_words", [])]),
        other_campaigns=_more(base.other_campaigns, [fold(w) for w in sec.str_list("other_campaigns", [])]),
        other_business=_more(base.other_business, [fold(w) for w in sec.str_list("other_business", [])]),
    )


def _more(base: tuple[str, ...], extra: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*base, *(e for e in extra if e)]))
