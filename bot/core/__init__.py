"""The pure core: value types and every decision about a message, a dossier and a unit.

No I/O: no network, filesystem, SQL, workbook library, clock or environment; callers pass
those in. May import: the standard library, ``parsers`` (types and pure readers),
``bot.errors``, ``bot.config`` and ``bot.core``.
"""
