"""``python -m bot``: the same as the ``mailbot`` command (bot/app/cli.py)."""

import sys

from bot.app.cli import main

if __name__ == "__main__":
    sys.exit(main())
