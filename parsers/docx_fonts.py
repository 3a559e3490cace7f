"""The font a docx run is really drawn in: the run's ``w:rFonts``, then its character style, then the
paragraph style chain, then the document defaults (the order Word applies them). Pure: lxml elements in.

Word draws Latin text (the code points TCVN3 and VNI text is stored as) with the ``hAnsi``/``ascii``
font; ``eastAsia`` only counts when neither is set anywhere on the way up.
"""

from __future__ import annotations

from typing import Any

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_ATTRIBUTES = ("hAnsi", "ascii", "eastAsia")


def w(tag: str) -> str:
    """Clark name of a WordprocessingML tag: ``w("p")`` -> ``{…/main}p``."""
    return f"{{{W_NS}}}{tag}"


def _fonts_of(r_pr: Any) -> dict[str, str]:
    """The font names set directly in an ``rPr`` (``w:rFonts`` attributes), by attribute."""
    if r_pr is None:
        return {}
    r_fonts = r_pr.find(w("rFonts"))
    if r_fonts is None:
        return {}
    return {name: value for name in _ATTRIBUTES if (value := r_fonts.get(w(name)))}


class FontResolver:
    """Resolves run fonts through styles; one per document part set (body and headers share styles)."""

    def __init__(self, styles: Any) -> None:
        self._styles: dict[str, Any] = {}
        self._default_paragraph: str | None = None
        self._defaults: dict[str, str] = {}
        self._chains: dict[tuple[str | None, str | None], list[dict[str, str]]] = {}
        if styles is None:
            return
        for style in styles.iter(w("style")):
            style_id = style.get(w("styleId"))
            if style_id:
                self._styles[style_id] = style
                if style.get(w("type")) == "paragraph" and style.get(w("default")) in ("1", "true", "on"):
                    self._default_paragraph = style_id
        r_pr_default = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
        self._defaults = _fonts_of(r_pr_default)

    def run_font(self, run: Any, paragraph_style: str | None) -> str | None:
        """The font the run's Latin text is drawn in, or None when nothing names one."""
        r_pr = run.find(w("rPr"))
        run_style = None
        if r_pr is not None:
            node = r_pr.find(w("rStyle"))
            run_style = node.get(w("val")) if node is not None else None
        levels = [_fonts_of(r_pr), *self._chain(run_style, paragraph_style)]
        for attribute in _ATTRIBUTES:
            for fonts in levels:
                if attribute in fonts:
                    return fonts[attribute]
        return None

    def _chain(self, run_style: str | None, paragraph_style: str | None) -> list[dict[str, str]]:
        key = (run_style, paragraph_style)
        if key not in self._chains:
            levels = self._style_fonts(run_style)
            levels += self._style_fonts(paragraph_style or self._default_paragraph)
            self._chains[key] = [*levels, self._defaults]
        return self._chains[key]

    def _style_fonts(self, style_id: str | None) -> list[dict[str, str]]:
        """Fonts set by a style and the styles it is based on, nearest first (cycles cut)."""
        levels: list[dict[str, str]] = []
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self._styles:
            seen.add(style_id)
            style = self._styles[style_id]
            levels.append(_fonts_of(style.find(w("rPr"))))
            based_on = style.find(w("basedOn"))
            style_id = based_on.get(w("val")) if based_on is not None else None
        return levels
