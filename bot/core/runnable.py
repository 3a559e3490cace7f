"""Attachments that run when opened: programs and scripts, by extension and by signature.

Such a file is never read, never linked from what staff open, and is kept under a name that no
double click runs (:data:`NEUTRAL_SUFFIX`). The extension alone is not trusted: ``Bien ban.docx``
holding a Windows program (``MZ``) is one too.
"""

from __future__ import annotations

import io
import zipfile

# Extensions Windows, macOS or a Linux desktop run (or install) on a double click.
EXTENSIONS = frozenset({
    "exe", "com", "scr", "pif", "bat", "cmd", "ps1", "psm1", "psd1", "vbs", "vbe", "js", "jse", "wsf", "wsh",
    "hta", "lnk", "msi", "msp", "mst", "jar", "cpl", "reg", "sh", "bash", "app", "dll", "scf", "url",
    "application", "gadget", "inf", "ins", "isp", "msc", "appref-ms", "appx", "msix", "desktop", "command",
    "run", "bin", "elf", "pkg", "dmg", "deb", "rpm", "ocx", "sys", "drv", "vb", "ws", "iqy", "settingcontent-ms",
})
NEUTRAL_SUFFIX = ".khong-mo"   # what the archive copy's name ends with: no program opens it

_SIGNATURES = (
    b"MZ",                                   # Windows PE (.exe, .dll, .scr, .cpl…)
    b"\x7fELF",                              # Linux program
    b"#!",                                   # shell, Python… script
    b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf",  # Mach-O (macOS)
    b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",                     # Mach-O universal binary (and Java class)
    b"L\x00\x00\x00\x01\x14\x02\x00",        # Windows shortcut (.lnk)
)
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # OLE compound file: .doc/.xls, and Windows Installer (.msi)
_INSTALLER_EXTENSIONS = frozenset({"msi", "msp", "mst"})


def extension(filename: str) -> str:
    """The last extension, lower case, without the trailing dots and spaces Windows ignores."""
    name = filename.rstrip(" .").rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    return ext.casefold() if dot and stem else ""


def is_runnable(filename: str, data: bytes) -> bool:
    """Whether opening this attachment may run it: its extension, or its first bytes, say program or script."""
    ext = extension(filename)
    if ext in EXTENSIONS:
        return True
    head = data[:16]
    if head.startswith(_SIGNATURES):
        return True
    if head.startswith(_CFB) and ext in _INSTALLER_EXTENSIONS:
        return True
    return head.startswith(b"PK\x03\x04") and _java_archive(data)


def _java_archive(data: bytes) -> bool:
    """A zip with a Java manifest runs with ``java -jar`` (and on a double click where Java is installed)."""
    if b"META-INF/MANIFEST.MF" not in data:
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "META-INF/MANIFEST.MF" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return False


def neutral_name(name: str) -> str:
    """The name a runnable file is kept under: its own name plus :data:`NEUTRAL_SUFFIX`."""
    return name if name.endswith(NEUTRAL_SUFFIX) else name + NEUTRAL_SUFFIX
