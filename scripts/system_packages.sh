#!/usr/bin/env bash
# Usage: scripts/system_packages.sh servers|readers
# Prints the Debian packages of that group that are not installed, one a line (nothing when all are).
#
# Each package is checked by package (dpkg-query), not by one of its programs: a Calc-only LibreOffice
# has `soffice` but no Writer, and .doc/.rtf/.odt then cannot be read. "a|b" is satisfied by either (the
# desktop LibreOffice instead of the -nogui one; libarchive13t64, the name newer Debian gives libarchive).
set -euo pipefail

# The mail servers the tests start, the fonts the sample documents are drawn with, and the browser the
# staff console's tests drive (Debian's chromium and its driver; selenium comes with the dev extra)
servers=(dovecot-core dovecot-imapd openssl fonts-dejavu-core chromium chromium-driver)
# OCR of scans (Vietnamese data; osd turns sideways pages), LibreOffice for .doc/.xls/.rtf/.odt/.ods,
# libarchive for .rar/.7z; Carlito has Calibri's metrics: the workbook's print test measures pages as Excel would
readers=(tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd
         "libreoffice-writer-nogui|libreoffice-writer" "libreoffice-calc-nogui|libreoffice-calc"
         fonts-crosextra-carlito "libarchive13|libarchive13t64")

installed() {  # installed "PKG[|PKG...]": one of them is installed
  local alternative
  for alternative in ${1//|/ }; do
    [ "$(dpkg-query -W -f='${Status}' "$alternative" 2>/dev/null)" = "install ok installed" ] && return 0
  done
  return 1
}

case "${1:-}" in
  servers) wanted=("${servers[@]}") ;;
  readers) wanted=("${readers[@]}") ;;
  *) echo "usage: $0 servers|readers" >&2; exit 2 ;;
esac
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "no dpkg-query here: install by hand the equivalents of ${wanted[*]}" >&2
  exit 0
fi
for package in "${wanted[@]}"; do
  installed "$package" || echo "${package%%|*}"
done
