"""Secrets come from the environment or a token file, never from config.toml."""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bot.errors import CredentialError
from bot.state.files import write_atomic


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


GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"  # noqa: S105 - an address, not a secret
REFRESH_MARGIN_SECONDS = 120


def xoauth2_string(user: str, access_token: str) -> str:
    """The SASL XOAUTH2 initial response (before base64), as Gmail documents it."""
    return f"user={user}\x01auth=Bearer {access_token}\x01\x01"


def oauth2_access_token(token_file: Path, now: float | None = None) -> str:
    """A valid access token from ``token_file``, refreshed at the token endpoint when it is (nearly) expired.

    The file is JSON with ``client_id``, ``client_secret``, ``refresh_token`` and optionally ``token_uri``
    (default Google's); mailbot adds ``access_token`` and ``expires_at`` and rewrites it (mode 0600).
    """
    moment = time.time() if now is None else now
    data = _read_token_file(token_file)
    if data.get("access_token") and _number(data.get("expires_at"), 0) > moment + REFRESH_MARGIN_SECONDS:
        return str(data["access_token"])
    answer = _refresh(data, token_file)
    data["access_token"] = answer["access_token"]
    data["expires_at"] = moment + _number(answer.get("expires_in"), 3600)
    if answer.get("refresh_token"):
        data["refresh_token"] = answer["refresh_token"]
    write_atomic(token_file, json.dumps(data, indent=2).encode("utf-8"), mode=0o600, sync_folder=True)
    return str(data["access_token"])


def _number(value: object, default: float) -> float:
    """A JSON number (or numeric text) from the token file or endpoint; ``default`` for anything else."""
    if isinstance(value, (int, float, str)):
        try:
            return float(value)
        except ValueError:
            return default
    return default


def _read_token_file(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CredentialError(f"cannot read OAuth2 token file {path}: {exc.strerror}") from exc
    except ValueError as exc:
        raise CredentialError(f"OAuth2 token file {path} is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise CredentialError(f"OAuth2 token file {path} must hold a JSON object")
    missing = [k for k in ("client_id", "client_secret", "refresh_token") if not data.get(k)]
    if missing:
        raise CredentialError(f"OAuth2 token file {path} lacks {', '.join(missing)}"
                              " (see docs/operations.md: Gmail with OAuth2)")
    return data


def _refresh(data: dict[str, object], path: Path) -> dict[str, object]:
    uri = str(data.get("token_uri") or GOOGLE_TOKEN_URI)
    parts = urllib.parse.urlsplit(uri)
    if parts.scheme != "https" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise CredentialError(f"token_uri {uri} in {path} must be https")
    form = urllib.parse.urlencode({"grant_type": "refresh_token", "client_id": data["client_id"],
                                   "client_secret": data["client_secret"], "refresh_token": data["refresh_token"]})
    request = urllib.request.Request(uri, data=form.encode(), method="POST",  # noqa: S310 - scheme checked above
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - scheme checked above
            answer = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        raise CredentialError(_refusal(exc, path)) from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise CredentialError(f"OAuth2 token endpoint {uri} unreachable or answered nonsense: {exc}") from exc
    if not isinstance(answer, dict) or not answer.get("access_token"):
        raise CredentialError(f"OAuth2 token endpoint {uri} gave no access_token")
    return answer


def _refusal(exc: urllib.error.HTTPError, path: Path) -> str:
    try:
        error = json.loads(exc.read()).get("error", "")
    except (ValueError, AttributeError, OSError):
        error = ""
    if error == "invalid_grant":
        return (f"OAuth2 refresh token in {path} was refused (invalid_grant): it expired or was revoked"
                " (an app left in 'Testing' loses it after 7 days); create a new token file, see docs/operations.md")
    return f"OAuth2 token endpoint refused the refresh ({exc.code} {error or exc.reason})"
