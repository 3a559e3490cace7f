"""What staff open: the tally workbook (content is pure, styling and writing use openpyxl),
staff notes read back, the decision annex (.docx).

May import: the standard library, openpyxl, python-docx, ``bot.errors``, ``bot.config``,
``bot.core``, ``bot.state.files`` and ``bot.workbook``.
"""
