"""Secrets come from the environment or a token file, never from config.toml."""

from __future__ import annotations

import os
from pathlib import Path


class CredentialError(Exception):
    """A named secret is not where the config says it is."""


def secret(env_name: str, file: Path | None, what: str) -> str:
    """The password for ``what`` ("mailbox", "smtp"): from ``$env_name``, else from ``file``."""
    if env_name:
        value = os.environ.get(env_name, "")
        if value:
            return value
        if file is None:
            raise CredentialError(f"{what}: environment variable {env_name} is not set (export {env_name}=…)")
    if file is not None:
        try:
            value = file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise CredentialError(f"{what}: cannot read password file {file}: {exc.strerror}") from exc
        if value:
            return value
        raise CredentialError(f"{what}: password file {file} is empty")
    raise CredentialError(f"{what}: no password_env or password_file configured")
