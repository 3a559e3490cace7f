#!/usr/bin/env bash
# Install everything the tests need (Debian packages too, when missing) and run them.
# Usage: scripts/test.sh [pytest arguments]     e.g. scripts/test.sh -m "not integration"
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages checked one by one (scripts/system_packages.sh), not by the presence of one program
mapfile -t missing < <(scripts/system_packages.sh servers)
mapfile -t absent_readers < <(scripts/system_packages.sh readers)
if [ $((${#missing[@]} + ${#absent_readers[@]})) -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "installing system packages: ${missing[*]} ${absent_readers[*]}"
  $sudo apt-get update -q
  [ ${#missing[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
  [ ${#absent_readers[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
    "${absent_readers[@]}"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[dev]"  # the tested versions
.venv/bin/ruff check bot parsers tests examples bench
.venv/bin/mypy  # configured in pyproject.toml: strict on the pure core, config, messages and parsers
exec .venv/bin/python -m pytest "$@"
