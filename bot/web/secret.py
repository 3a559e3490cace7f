"""The console's secret key (it signs the forms' CSRF tokens): from the environment variable named by
``[web] secret_env``, else ``web-secret`` in the state folder, created 0600 on first use."""

from __future__ import annotations

import os
import secrets

from bot.config.schema import Config

SECRET_FILE = "web-secret"  # noqa: S105 - a file name


def load_secret(cfg: Config) -> bytes:
    from_env = os.environ.get(cfg.web.secret_env, "").strip()
    if from_env:
        return from_env.encode()
    path = cfg.paths.state_dir / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(handle, "w") as out:
            out.write(secrets.token_hex(32))
    key = path.read_bytes().strip()
    if len(key) < 16:
        raise OSError(f"{path}: the console's secret key is too short; delete the file to make a new one")
    return key
