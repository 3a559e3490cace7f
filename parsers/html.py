"""Plain text and HTML fragments (e.g. a .doc that is really HTML) to text lines."""

from __future__ import annotations

from html.parser import HTMLParser

from parsers import legacy
from parsers.model import Document

_BREAKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "table", "td", "th"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        if tag in _BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        if tag in _BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def decode(data: bytes) -> str:
    """UTF-8; else TCVN3/VNI bytes when the statistics say so (kept as Latin-1, converted by read()); else
    Windows-1258; else Latin-1."""
    latin = data.decode("latin-1")
    for encoding in ("utf-8-sig", "cp1258"):
        if encoding == "cp1258" and legacy.detect(latin):
            return latin
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return latin


def read(data: bytes) -> Document:
    text = decode(data)
    if "<" in text[:500]:
        parser = _Text()
        parser.feed(text)
        text = "".join(parser.parts)
    text = legacy.fix_text(text)
    lines = tuple(line for line in (part.strip() for part in text.splitlines()) if line)
    return Document(format="html", blocks=lines)
