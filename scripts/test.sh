#!/usr/bin/env bash
# Install everything the tests need (Debian packages too, when missing) and run them.
# Usage: scripts/test.sh [pytest arguments]     e.g. scripts/test.sh -m "not integration"
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v dovecot >/dev/null 2>&1 || missing+=(dovecot-core dovecot-imapd)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "installing system packages: ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[dev]"
.venv/bin/ruff check bot parsers tests examples
exec .venv/bin/python -m pytest "$@"
