#!/usr/bin/env bash
# Install everything the tests need (Debian packages too, when missing) and run them.
# Usage: scripts/test.sh [pytest arguments]     e.g. scripts/test.sh -m "not integration"
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v dovecot >/dev/null 2>&1 || missing+=(dovecot-core dovecot-imapd)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
# OCR of scans (Vietnamese data; osd turns sideways pages), LibreOffice for .doc/.xls/.rtf/.odt, libarchive for .rar/.7z
readers=()
command -v tesseract >/dev/null 2>&1 || readers+=(tesseract-ocr tesseract-ocr-osd)
tesseract --list-langs 2>/dev/null | grep -x vie >/dev/null || readers+=(tesseract-ocr-vie)
command -v soffice >/dev/null 2>&1 || readers+=(libreoffice-writer-nogui libreoffice-calc-nogui)
# Carlito has Calibri's metrics: the workbook's print test measures pages as Excel would lay them out
fc-list 2>/dev/null | grep -i carlito >/dev/null || readers+=(fonts-crosextra-carlito)
ldconfig -p 2>/dev/null | grep 'libarchive\.so\.13' >/dev/null || readers+=(libarchive13)  # .rar and .7z attachments
# the staff console's browser tests: Debian's chromium and its driver, driven by selenium (dev extra)
command -v chromium >/dev/null 2>&1 || readers+=(chromium)
command -v chromedriver >/dev/null 2>&1 || readers+=(chromium-driver)
if [ $((${#missing[@]} + ${#readers[@]})) -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "installing system packages: ${missing[*]} ${readers[*]}"
  $sudo apt-get update -q
  [ ${#missing[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
  [ ${#readers[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
    "${readers[@]}"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[dev]"  # the tested versions
.venv/bin/ruff check bot parsers tests examples bench
.venv/bin/mypy  # configured in pyproject.toml: strict on the pure core, config, messages and parsers
exec .venv/bin/python -m pytest "$@"
