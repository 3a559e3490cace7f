"""Messages as values: raw bytes -> IncomingMail (mime, bigparts) and outgoing mail composed
from templates (replies, texts). Pure: bytes in, values out.

May import: the standard library, jinja2, ``parsers``, ``bot.errors``, ``bot.config``,
``bot.core`` and ``bot.message``.
"""
