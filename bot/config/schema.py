"""config.toml -> frozen, validated dataclasses. Campaign data only; secrets are named, never stored.

Every problem is collected and reported at once as ``file: key.path: what is wrong``;
unknown keys are errors (a typo must not silently fall back to a default).
"""

from __future__ import annotations

import ipaddress
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.config.contact import NO_CONTACT, Contact, read_contact
from bot.config.digest import Digest, parse_digest
from bot.config.doc_kinds import DEFAULT_DOC_KINDS, DocKindSpec
from bot.config.keys import DEFAULT_AUTHSERV_IDS, auth, authserv_ids, folders, idle_renew, imap_keyword
from bot.config.limits import Limits, read_limits
from bot.config.markers import NO_MARKERS, Markers, campaign_markers
from bot.config.reader import Reader
from bot.config.web import WebConfig, parse_web
from bot.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Quota:
    collectives: int
    individuals: int


@dataclass(frozen=True, slots=True)
class Unit:
    id: str
    name: str
    emails: tuple[str, ...]
    aliases: tuple[str, ...]
    quota: Quota


@dataclass(frozen=True, slots=True)
class Campaign:
    name: str
    reference: str
    deadline: datetime
    timezone: str
    required: tuple[str, ...]
    staff_emails: tuple[str, ...]
    organization: str
    contact: str                    # whom to contact, by name (campaign.contact, or its person and office)
    markers: Markers = NO_MARKERS   # [campaign.markers]: what names this campaign
    contact_card: Contact = NO_CONTACT   # campaign.contact as a table: person, office, phone, email

    @property
    def contact_line(self) -> str:
        """The replies' «xin liên hệ …» words: person, office, phone and e-mail when set."""
        return self.contact_card.line or self.contact

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class MailboxConfig:
    kind: str
    path: Path | None = None
    host: str = ""
    port: int = 993
    tls: str = "ssl"
    user: str = ""
    password_env: str = ""
    password_file: Path | None = None
    folder: str = "INBOX"             # the first of ``folders`` (the one IDLE watches)
    folders: tuple[str, ...] = ("INBOX",)
    spam_folder: str | None = None    # read only to report a unit's mail there to staff, never answered
    poll_minutes: float = 5
    idle: bool = False
    since: date | None = None
    timeout_seconds: float = 60
    cafile: Path | None = None
    auth: str = "password"            # "password" (app password) or "oauth2" (XOAUTH2 with token_file)
    token_file: Path | None = None
    idle_renew_minutes: float = 10
    mark_processed: bool = True       # Gmail label (X-GM-EXT-1) or IMAP keyword on processed mail
    label: str = "mailbot/đã xử lý"
    keyword: str = "$MailbotDone"
    authserv_ids: tuple[str, ...] = DEFAULT_AUTHSERV_IDS   # whose Authentication-Results count (RFC 8601)


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int
    tls: str
    user: str
    password_env: str
    password_file: Path | None
    sender: str
    timeout_seconds: float = 60
    cafile: Path | None = None
    auth: str = "password"
    token_file: Path | None = None


@dataclass(frozen=True, slots=True)
class Reminders:
    days_before: tuple[int, ...] = (7, 3, 1)
    time: time = time(8, 0)


@dataclass(frozen=True, slots=True)
class Paths:
    state: Path
    tally: Path
    outbox: Path
    archive: Path
    templates: Path | None = None  # None: the templates shipped inside the package
    backups_days: int = 14         # daily copies of the state kept in state/backups/ (0: none)

    @property
    def state_dir(self) -> Path:
        return self.state.parent

    @property
    def backups(self) -> Path:
        """The folder of the state's daily copies (bot/state/backup.py)."""
        return self.state_dir / "backups"


@dataclass(frozen=True, slots=True)
class ExportWords:
    """Wording of the decision annex written by ``mailbot export`` (see docs/operations.md, [export])."""

    output: Path
    issuer: str
    title: str
    subtitle: str
    decision: str


@dataclass(frozen=True, slots=True)
class Logging:
    file: Path | None = None          # None: mailbot.log beside the state file
    max_kb: int = 1024
    keep: int = 5


@dataclass(frozen=True, slots=True)
class Config:
    source: Path
    campaign: Campaign
    quota: Quota
    units: tuple[Unit, ...]
    documents: tuple[DocKindSpec, ...]
    mailbox: MailboxConfig
    smtp: SmtpConfig | None
    reminders: Reminders
    paths: Paths
    limits: Limits = field(default_factory=Limits)
    export: ExportWords | None = None
    logging: Logging = field(default_factory=Logging)
    digest: Digest = field(default_factory=Digest)
    web: WebConfig = field(default_factory=WebConfig)

    @property
    def log_file(self) -> Path:
        return self.logging.file or self.paths.state_dir / "mailbot.log"

    def unit(self, unit_id: str) -> Unit | None:
        return next((unit for unit in self.units if unit.id == unit_id), None)

    def doc_kind(self, kind_id: str) -> DocKindSpec | None:
        return next((kind for kind in self.documents if kind.id == kind_id), None)


TOP_KEYS = {"campaign", "quota", "unit", "mailbox", "smtp", "reminders", "paths", "documents", "limits", "export",
            "logging", "digest", "web"}
DECISION_BLANK = "(Kèm theo Quyết định số        /QĐ-        ngày      tháng      năm        )"
TLS_MODES = ("ssl", "starttls", "none")


def load(path: Path) -> Config:
    """Read and validate one config file; raise :class:`ConfigError` listing every problem."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError([f"{path}: file not found (pass --config PATH)"]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}: not valid TOML: {exc}"]) from None
    return parse(raw, path)


def parse(raw: dict[str, Any], path: Path) -> Config:
    """Validate an already-parsed TOML document; relative paths are taken from ``path``'s folder."""
    root = Reader(raw, str(path), "")
    root.no_unknown(TOP_KEYS)
    base = path.parent
    campaign = _campaign(root.section("campaign", required=True))
    quota = _quota(root.section("quota"), Quota(1, 4))
    documents = _documents(root)
    units = _units(root, quota)
    mailbox = _mailbox(root.section("mailbox"), base)
    smtp = _smtp(root.section("smtp"), base) if "smtp" in raw else None
    reminders = _reminders(root.section("reminders"))
    paths = _paths(root.section("paths"), base)
    limits = read_limits(root.section("limits"))
    export = _export(root.section("export"), base, campaign)
    log = _logging(root.section("logging"), base)
    digest = parse_digest(root.section("digest"), reminders.days_before, reminders.time)
    web = parse_web(root.section("web"), campaign.staff_emails)
    _cross_checks(root, campaign, units, documents)
    root.raise_if_problems(ConfigError)
    return Config(path, campaign, quota, units, documents, mailbox, smtp, reminders, paths, limits, export, log,
                  digest, web)


def _campaign(sec: Reader) -> Campaign:
    sec.no_unknown({"name", "reference", "deadline", "timezone", "required", "staff_emails",
                    "organization", "contact", "start", "markers"})
    timezone = sec.str("timezone", "Asia/Ho_Chi_Minh")
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        sec.problem("timezone", f"unknown time zone {timezone!r} (e.g. \"Asia/Ho_Chi_Minh\")")
        zone = ZoneInfo("UTC")
    name, reference, deadline = sec.str("name", required=True), sec.str("reference", ""), _deadline(sec, zone)
    card = read_contact(sec)
    return Campaign(
        name=name,
        reference=reference,
        deadline=deadline,
        timezone=timezone,
        required=tuple(sec.str_list("required", ["to_trinh", "bien_ban", "tom_tat"])),
        staff_emails=tuple(e.casefold() for e in sec.str_list("staff_emails", [])),
        organization=sec.str("organization", "Liên đoàn Lao động tỉnh"),
        contact=card.name,
        markers=campaign_markers(sec.section("markers"), name, reference, deadline.year),
        contact_card=card,
    )


def _deadline(sec: Reader, zone: ZoneInfo) -> datetime:
    value = sec.get("deadline")
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime.combine(value, time(23, 59, 59), tzinfo=zone)
    sec.problem("deadline", "required: a TOML date-time such as 2020-12-20T23:59:59+07:00")
    return datetime(2000, 1, 1, tzinfo=zone)


def _quota(sec: Reader, default: Quota) -> Quota:
    sec.no_unknown({"collectives", "individuals"})
    return Quota(
        collectives=sec.int("collectives", default.collectives, minimum=0),
        individuals=sec.int("individuals", default.individuals, minimum=0),
    )


def _units(root: Reader, default: Quota) -> tuple[Unit, ...]:
    units = []
    for sec in root.table_list("unit"):
        sec.no_unknown({"id", "name", "emails", "aliases", "quota"})
        units.append(Unit(
            id=sec.str("id", required=True),
            name=sec.str("name", required=True),
            emails=tuple(e.strip().casefold() for e in sec.str_list("emails", [])),
            aliases=tuple(sec.str_list("aliases", [])),
            quota=_quota(sec.section("quota"), default),
        ))
    if not units:
        root.problem("unit", "no [[unit]] configured: list every unit that must send a dossier")
    return tuple(units)


def _documents(root: Reader) -> tuple[DocKindSpec, ...]:
    """Built-in dossier kinds, each overridable by ``[documents.<id>]``."""
    sec = root.section("documents")
    kinds = []
    for default in DEFAULT_DOC_KINDS:
        spec = sec.section(default.id)
        spec.no_unknown({"label", "titles", "filenames", "symbols", "lists_nominees", "subjects"})
        kinds.append(DocKindSpec(
            id=default.id,
            label=spec.str("label", default.label),
            titles=tuple(spec.str_list("titles", list(default.titles))),
            filenames=tuple(spec.str_list("filenames", list(default.filenames))),
            symbols=tuple(spec.str_list("symbols", list(default.symbols))),
            lists_nominees=spec.bool("lists_nominees", default.lists_nominees),
            subjects=tuple(spec.str_list("subjects", list(default.subjects))),
        ))
    sec.no_unknown({kind.id for kind in DEFAULT_DOC_KINDS})
    return tuple(kinds)


def _mailbox(sec: Reader, base: Path) -> MailboxConfig:
    sec.no_unknown({"kind", "path", "host", "port", "tls", "user", "password_env", "password_file",
                    "folder", "folders", "spam_folder",
                    "poll_minutes", "idle", "since", "timeout_seconds", "cafile", "auth", "token_file",
                    "idle_renew_minutes", "mark_processed", "label", "keyword", "authserv_id"})
    kind = sec.choice("kind", ("imap", "maildir"), "maildir")
    if kind == "maildir":
        return MailboxConfig(kind=kind, path=sec.path("path", base, required=True),
                             poll_minutes=sec.number("poll_minutes", 5, minimum=0.05),
                             authserv_ids=authserv_ids(sec))
    host = sec.str("host", "imap.gmail.com")
    tls = _tls(sec, host)
    return MailboxConfig(
        kind=kind, host=host, tls=tls,
        port=sec.int("port", 993 if tls == "ssl" else 143, minimum=1),
        user=sec.str("user", required=True),
        password_env=sec.str("password_env", ""),
        password_file=sec.path("password_file", base),
        **folders(sec, host),
        poll_minutes=sec.number("poll_minutes", 5, minimum=0.05),
        idle=sec.bool("idle", False),
        since=sec.date("since"),
        timeout_seconds=sec.number("timeout_seconds", 60, minimum=1),
        cafile=sec.path("cafile", base),
        idle_renew_minutes=idle_renew(sec),
        mark_processed=sec.bool("mark_processed", True),
        label=sec.str("label", "mailbot/đã xử lý"),
        keyword=imap_keyword(sec),
        authserv_ids=authserv_ids(sec),
        **auth(sec, base),
    )


def _smtp(sec: Reader, base: Path) -> SmtpConfig:
    sec.no_unknown({"host", "port", "tls", "user", "password_env", "password_file", "from",
                    "timeout_seconds", "cafile", "auth", "token_file"})
    host = sec.str("host", "smtp.gmail.com")
    tls = _tls(sec, host)
    return SmtpConfig(
        host=host, tls=tls,
        port=sec.int("port", {"ssl": 465, "starttls": 587}.get(tls, 25), minimum=1),
        user=sec.str("user", ""),
        password_env=sec.str("password_env", ""),
        password_file=sec.path("password_file", base),
        sender=sec.str("from", required=True),
        timeout_seconds=sec.number("timeout_seconds", 60, minimum=1),
        cafile=sec.path("cafile", base),
        **auth(sec, base),
    )


def _tls(sec: Reader, host: str) -> str:
    tls = sec.choice("tls", TLS_MODES, "ssl")
    if tls == "none" and not is_loopback(host):
        sec.problem("tls", f"\"none\" is allowed only for a loopback host, not {host!r}: use \"ssl\" or \"starttls\"")
    return tls


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _reminders(sec: Reader) -> Reminders:
    sec.no_unknown({"days_before", "time"})
    days = sec.int_list("days_before", [7, 3, 1], minimum=0)
    text = sec.str("time", "08:00")
    try:
        at = time.fromisoformat(text)
    except ValueError:
        sec.problem("time", f"{text!r} is not a time of day like \"08:00\"")
        at = time(8, 0)
    return Reminders(days_before=tuple(sorted(set(days), reverse=True)), time=at)


def _paths(sec: Reader, base: Path) -> Paths:
    sec.no_unknown({"state", "tally", "outbox", "archive", "templates", "backups_days"})
    return Paths(
        state=sec.path_or("state", base, "state/mailbot.sqlite3"),
        tally=sec.path_or("tally", base, "tally.xlsx"),
        outbox=sec.path_or("outbox", base, "outbox"),
        archive=sec.path_or("archive", base, "archive"),
        templates=sec.path("templates", base),
        backups_days=sec.int("backups_days", 14, minimum=0),
    )


def _export(sec: Reader, base: Path, campaign: Campaign) -> ExportWords:
    sec.no_unknown({"output", "issuer", "title", "subtitle", "decision"})
    return ExportWords(
        output=sec.path_or("output", base, "danh-sach-khen-thuong.docx"),
        issuer=sec.str("issuer", campaign.organization),
        title=sec.str("title", "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG"),
        subtitle=sec.str("subtitle", campaign.name),
        decision=sec.str("decision", DECISION_BLANK),
    )


def _logging(sec: Reader, base: Path) -> Logging:
    sec.no_unknown({"file", "max_kb", "keep"})
    return Logging(file=sec.path("file", base), max_kb=sec.int("max_kb", 1024, minimum=1),
                   keep=sec.int("keep", 5, minimum=1))


def _cross_checks(root: Reader, campaign: Campaign, units: tuple[Unit, ...], kinds: tuple[DocKindSpec, ...]) -> None:
    known = {kind.id for kind in kinds}
    for item in campaign.required:
        if item not in known:
            root.problem("campaign.required", f"unknown dossier item {item!r} (known: {', '.join(sorted(known))})")
    seen_ids: set[str] = set()
    owner: dict[str, str] = {}
    for index, unit in enumerate(units):
        if unit.id in seen_ids:
            root.problem(f"unit[{index}].id", f"duplicate unit id {unit.id!r}")
        seen_ids.add(unit.id)
        for address in unit.emails:
            if "@" not in address:
                root.problem(f"unit[{index}].emails", f"{address!r} is not an email address")
            if address in owner:
                root.problem(f"unit[{index}].emails", f"{address} is already the address of unit {owner[address]!r}")
            owner[address] = unit.id
