"""The staff console: a Vietnamese web page beside the command line, calling the same use cases
(bot/app/decide.py) on the same state. Starlette routes, Jinja2 templates (autoescaped), uvicorn.

May import: anything in ``bot`` (it sits above ``bot.app``) and ``parsers``. Only ``bot.web.serve`` is
imported back by the application (the ``web`` and ``web-link`` commands, ``run`` with ``[web] listen``).
"""
