"""What mailbot remembers: the SQLite ledger (the source of truth), the process lock,
atomic file writes.

May import: the standard library, ``bot.errors``, ``bot.config``, ``bot.core`` and ``bot.state``.
"""
