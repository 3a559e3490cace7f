"""bot.state.files.write_atomic: whole-or-nothing, permissions kept or set, no temporary left behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

import pytest

from bot.state import files
from bot.state.files import temporaries, write_atomic


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_the_usual_permissions_not_mkstemps_0600(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "tally.xlsx", b"x")
    finally:
        os.umask(umask)
    assert _mode(tmp_path / "tally.xlsx") == 0o644


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "tally.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o660)
    write_atomic(target, b"new")
    assert (target.read_bytes(), _mode(target)) == (b"new", 0o660)


def test_a_private_file_is_0600_even_over_a_wider_one(tmp_path: Path) -> None:
    target = tmp_path / "token.json"
    target.write_text("{}")
    target.chmod(0o644)
    write_atomic(target, b'{"a": 1}', mode=0o600, sync_folder=True)
    assert (target.read_bytes(), _mode(target)) == (b'{"a": 1}', 0o600)


def test_a_writer_function_fills_the_file(tmp_path: Path) -> None:
    def writer(stream: BinaryIO) -> None:
        stream.write(b"part one, ")
        stream.write(b"part two")

    write_atomic(tmp_path / "a.docx", writer, fsync=False)
    assert (tmp_path / "a.docx").read_bytes() == b"part one, part two"


def test_a_failing_writer_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")

    def broken(stream: BinaryIO) -> None:
        stream.write(b"half")
        raise ValueError("library bug")

    with pytest.raises(ValueError, match="library bug"):
        write_atomic(target, broken)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]


def test_temporaries_are_hidden_from_globs_of_the_real_files(tmp_path: Path) -> None:
    """A crash mid-write leaves .<name>.<random>.tmp: never a *.eml the outbox would send."""
    leftover = tmp_path / ".ack-1.eml.abc123.tmp"
    leftover.write_bytes(b"half")
    assert temporaries(tmp_path / "ack-1.eml") == [leftover]
    assert not leftover.match("*.eml")


def test_a_name_near_255_bytes_is_written_and_its_temporary_found(tmp_path: Path) -> None:
    """The temporary name (``.<name>.<random>.tmp``) is cut to fit; the final name is the one asked for."""
    target = tmp_path / ("ữ" * 83 + ".docx")               # 254 bytes
    assert len(target.name.encode()) == 254
    write_atomic(target, b"data")
    assert target.read_bytes() == b"data" and [p.name for p in tmp_path.iterdir()] == [target.name]
    left = tmp_path / f"{files._temporary_prefix(target)}abcdefgh.tmp"
    left.write_bytes(b"half")
    assert len(left.name.encode()) <= 255 and temporaries(target) == [left]
