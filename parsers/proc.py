"""Run a helper program (LibreOffice, Tesseract) safely: no shell, a timeout, the whole group killed.

The only place in ``parsers`` that starts processes; used by :mod:`parsers.office` and
:mod:`parsers.ocr`. The program runs in its own session, so a timeout kills it together with
any children it forked (soffice starts a second process), and nothing is left running.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Sequence


class ToolTimeout(Exception):
    """The program ran past its time limit and was killed."""


def run(args: Sequence[str], *, timeout: float, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``args`` to completion or kill its process group after ``timeout`` seconds."""
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
