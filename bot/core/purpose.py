"""What a commendation says it is for: the purpose phrase after «khen thưởng» / «thi đua». Pure.

Vietnamese commendation documents name their purpose right after the verb, in the title zone and
the trích yếu («V/v đề nghị khen thưởng …»). The Law on Emulation and Commendation (Luật Thi đua,
khen thưởng 2022, art. 4 and 25) and Decree 98/2023/NĐ-CP sort awards by purpose:
- thường xuyên: a period or a year, the tổng kết or sơ kết of a movement («theo đợt, theo năm»);
- chuyên đề: a theme or one line of work («khen thưởng chuyên đề công tác An toàn, vệ sinh lao
  động»; the trade union's guidance calls it «khen thưởng theo chuyên đề»);
- đột xuất (an unforeseen feat), cống hiến / quá trình cống hiến, niên hạn, đối ngoại;
- and the anniversaries the union crowns apart («kỷ niệm … năm ngày thành lập», «nhân dịp»).
A purpose word that the campaign's own name does not use («chuyên đề» for a sơ kết) names another
campaign, unless the same phrase names this campaign's movement. The words this campaign's name
uses come from ``campaign.name`` (bot/config/markers.py), so next year's «khen thưởng chuyên đề»
campaign is a new config, not new code.
"""

from __future__ import annotations

import re

from bot.config.markers import PURPOSE_WORDS, Markers
from bot.core.markers import original, padded, plain
from parsers.text import fold

_VERB = re.compile(r"\b(?:khen thuong|thi dua|bang khen|giay khen|co thi dua)\b")
# The purpose phrase ends at a sentence or line end, the year, or where the addressee starts.
_END = re.compile(r"[\n.;:()\[\]]|\bnam (?:19|20)\d\d\b|\bgiai doan\b|\bkinh gui\b|\bcan cu\b")
_PHRASE = 120
_ENUMERATION = 2      # more «khen thưởng <purpose>» phrases than this: a list of kinds, not a purpose


def foreign_purpose(text: str, markers: Markers) -> str:
    """The purpose phrase (as written) after «khen thưởng», «thi đua», «Bằng khen» … that is not this campaign's, or "".

    Only a campaign that names its own movement can tell another purpose apart (a generic campaign,
    «Đề nghị khen thưởng», takes every purpose as its own)."""
    if not markers.keywords:
        return ""
    flat = plain(text)
    found: list[str] = []
    for match in _VERB.finditer(flat):
        tail = _END.split(flat[match.end():match.end() + _PHRASE], maxsplit=1)[0]
        folded = padded(tail)
        if _names_campaign(folded, markers):
            continue
        if any(f" {w} " in folded and w not in markers.purposes for w in PURPOSE_WORDS):
            found.append(original(text, fold(flat[match.start():match.end() + len(tail)])))
    # A table of award kinds («Khen thưởng chuyên đề», «Khen thưởng niên hạn», …) names no one purpose.
    return found[0] if 0 < len(found) <= _ENUMERATION else ""


def _names_campaign(folded: str, markers: Markers) -> bool:
    return any(f" {p} " in folded for p in (*markers.plans, *markers.keywords, *markers.abbreviations) if p)

