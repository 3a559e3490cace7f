"""Links to files kept in the cloud (Google Drive, OneDrive, Dropbox, Fshare…) found in a message's text.

Units sometimes send a share link instead of the files. mailbot never follows a link (no network,
and a link's content can change after the deadline), so such files are not counted: the reply says
so and asks for attachments, and the message goes to staff review (``cloud_links``). Pure.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# (service shown to the unit, host suffixes, path prefixes that mark a shared file; () = any path)
_SERVICES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Google Drive", ("drive.google.com",), ()),
    ("Google Docs", ("docs.google.com",), ("/document", "/spreadsheets", "/presentation", "/file")),
    ("OneDrive", ("onedrive.live.com", "1drv.ms", "onedrive.com"), ()),
    ("SharePoint", ("sharepoint.com",), ()),
    ("Dropbox", ("dropbox.com", "db.tt", "dropboxusercontent.com"), ()),
    ("Fshare", ("fshare.vn",), ("/file", "/folder")),
    ("Mega", ("mega.nz", "mega.co.nz", "mega.io"), ("/file", "/folder", "/#")),
    ("iCloud", ("icloud.com",), ("/iclouddrive", "/attachment", "/share")),
    ("iCloud", ("share.icloud.com",), ()),
    ("WeTransfer", ("wetransfer.com", "we.tl"), ()),
    ("Box", ("box.com",), ("/s/", "/file", "/folder")),
    ("Zalo Cloud", ("cloud.zalo.me", "zcloud.zalo.me"), ()),
    ("Zalo", ("zalo.me",), ("/s/", "/file", "/f/")),
    ("MediaFire", ("mediafire.com",), ("/file", "/folder", "/?")),
    ("TeraBox", ("terabox.com", "teraboxapp.com"), ()),
    ("4shared", ("4shared.com",), ()),
    ("Yandex Disk", ("disk.yandex.ru", "disk.yandex.com", "yadi.sk"), ()),
    ("pCloud", ("pcloud.link", "u.pcloud.link"), ()),
)
_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"'()\[\]{}]+|\b(?:1drv\.ms|we\.tl|db\.tt|yadi\.sk)/[^\s<>\"']+")
_HOST = re.compile(r"(?i)^(?:https?://)?([^/?#:@\s]+)(?::\d+)?([/?#].*)?$")


@dataclass(frozen=True, slots=True)
class CloudLink:
    service: str      # "Google Drive"
    url: str


def cloud_links(text: str) -> tuple[CloudLink, ...]:
    """Every distinct link to a cloud file service in ``text`` (plain or HTML), in order of appearance."""
    found: dict[str, CloudLink] = {}
    for match in _URL.finditer(html.unescape(text or "")):
        url = match.group(0).rstrip(".,;:!?»›")
        service = _service(url)
        if service is not None and url not in found:
            found[url] = CloudLink(service, url)
    return tuple(found.values())


def services(links: tuple[CloudLink, ...]) -> list[str]:
    """The services named, each once, in order: «Google Drive, OneDrive»."""
    return list(dict.fromkeys(link.service for link in links))


def _service(url: str) -> str | None:
    match = _HOST.match(url)
    if match is None:
        return None
    host = match.group(1).lower().removeprefix("www.")
    path = match.group(2) or ""
    for name, hosts, paths in _SERVICES:
        if any(host == h or host.endswith("." + h) for h in hosts) and (not paths or path.startswith(paths)):
            return name
    return None
