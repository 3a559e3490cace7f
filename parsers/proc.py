"""Run a helper program (LibreOffice, Tesseract) safely: no shell, a timeout, the whole group killed.

The only place in ``parsers`` that starts processes; used by :mod:`parsers.office` and
:mod:`parsers.ocr`. The program runs in its own session, so a timeout kills it together with
any children it forked (soffice starts a second process), and nothing is left running.

Several document workers (bot/app/pool.py) may each start helpers at once; :data:`GATE`, when
set, bounds how many run together across all of them to the cores available.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext


class ToolTimeout(Exception):
    """The program ran past its time limit and was killed."""


# Set by a document worker (bot/app/slots.py): entered around each helper run, waits for a free core.
GATE: Callable[[], AbstractContextManager[object]] | None = None


def run(args: Sequence[str], *, timeout: float, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``args`` to completion or kill its process group after ``timeout`` seconds (the wait at
    :data:`GATE` does not count)."""
    with GATE() if GATE is not None else nullcontext():
        return _run(args, timeout=timeout, stdin=stdin)


def _run(args: Sequence[str], *, timeout: float, stdin: bytes | None) -> subprocess.CompletedProcess[bytes]:
    with subprocess.Popen(
        list(args), stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    ) as process:
        try:
            out, err = process.communicate(stdin, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            _kill_group(process)
            process.communicate()
            raise ToolTimeout(f"{args[0]} killed after {timeout:g} s") from exc
        except BaseException:
            _kill_group(process)
            raise
    return subprocess.CompletedProcess(list(args), process.returncode, out, err)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
