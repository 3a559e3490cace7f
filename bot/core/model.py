"""Value types shared by the pure core and the I/O edges. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.config.doc_kinds import ItemKind
from parsers.meeting import MeetingFacts
from parsers.model import ReadWarning
from parsers.nominees import NomineeKind


class Outcome(StrEnum):
    """What became of one incoming message (one word per message, stored in the ledger)."""

    ACCEPTED = "accepted"            # from a unit (or naming one): counted, acknowledged
    AUTO_REPLY = "auto_reply"        # RFC 3834 auto-reply, vacation notice
    BOUNCE = "bounce"                # delivery status notification
    READ_RECEIPT = "read_receipt"
    MAILING_LIST = "mailing_list"    # a list's post or its manager's notice (held, moderated, subscribe)
    FEEDBACK_REPORT = "feedback_report"  # ARF abuse/complaint report (RFC 5965), DMARC report
    CHALLENGE = "challenge"          # a challenge-response filter asking the sender to verify
    OWN_REPLY = "own_reply"          # one of mailbot's own messages came back
    DUPLICATE = "duplicate"          # same Message-ID or bytes already processed
    UNKNOWN_SENDER = "unknown_sender"
    DMARC_FAIL = "dmarc_fail"
    STAFF = "staff"                  # from the federation's own staff
    TOO_LARGE = "too_large"
    ERROR = "error"                  # mailbot failed on it; kept for retry and review
    IGNORED = "ignored_by_staff"     # staff decided it does not count (bot/core/corrections.py)
    RECEIVED_OTHER_WAY = "received_other_way"  # not mail: an item staff received on paper or by hand
    OTHER_BUSINESS = "other_business"    # a unit's mail about something else: recorded, no reply, not counted
    OTHER_CAMPAIGN = "other_campaign"    # about another movement or purpose: recorded, no reply, not counted
    THREAD_FOLLOWUP = "thread_followup"  # a campaign thread answered without a new document: staff answer
    THREAD_THANKS = "thread_thanks"      # only thanks in a campaign thread: recorded, no reply
    IN_SPAM = "in_spam"              # a unit's mail found in the spam folder: for staff, never answered
    SPAM = "spam"                    # other mail of the spam folder: recorded, nothing else


# Rows that stand for no processing of their own: the same message met in another folder is processed
# (and mail moved out of the spam folder is processed then).
NOT_PROCESSED = frozenset({Outcome.ERROR, Outcome.IN_SPAM, Outcome.SPAM})


class Finding(StrEnum):
    """Stable flag words (contract: short snake_case) for units, messages and documents."""

    OVER_QUOTA = "over_quota"
    LATE = "late"
    UNVERIFIED_SENDER = "unverified_sender"
    LISTS_DISAGREE = "lists_disagree"
    UNREADABLE_ATTACHMENT = "unreadable_attachment"
    ENCRYPTED_ATTACHMENT = "encrypted_attachment"
    EMPTY_ATTACHMENT = "empty_attachment"
    UNSUPPORTED_FORMAT = "unsupported_format"
    ATTACHMENT_TOO_LARGE = "attachment_too_large"
    NEEDS_OCR = "needs_ocr"
    OCR_TO_CONFIRM = "ocr_to_confirm"   # text (and nominees) read from a scan by OCR: staff confirm
    UNCLASSIFIED = "unclassified"
    MIME_DEFECTS = "mime_defects"
    RATE_LIMITED = "rate_limited"
    FORWARDED_BY_STAFF = "forwarded_by_staff"
    DECIDED_BY_STAFF = "decided_by_staff"   # a staff decision changed how this message counts
    CAMPAIGN_UNSURE = "campaign_unsure"   # counted although nothing names this campaign: staff confirm
    CLOUD_LINKS = "cloud_links"         # links to Drive/OneDrive/… files: never followed, not counted
    CAMPAIGN_MIXED = "campaign_mixed"   # this campaign's, but a document or the words name another: staff look
    UNIT_REQUEST = "unit_request"       # the unit asks for something (gia hạn, không tính, …): staff answer
    EXECUTABLE_ATTACHMENT = "executable_attachment"   # a program or script: never read, opened or linked
    TABLE_CUT = "table_cut"   # a document's tables past limits.max_table_rows (a sheet past max_sheet_rows): cut
    TNEF_UNREADABLE = "tnef_unreadable"  # Outlook's winmail.dat (Rich Text) that could not be opened
    TNEF_BODY_ONLY = "tnef_body_only"    # Outlook's winmail.dat held the message body and no file
    UNREADABLE_MESSAGE = "unreadable_message"  # the MIME tree cannot be read (nested too deep): headers only
    NAMES_CAMPAIGN = "names_campaign"   # a document that names this campaign (bot/core/relevance.py)
    OUTDATED_NAMES = "outdated_names"   # an older document still names people a newer list no longer proposes
    GRASSROOTS_DOCUMENT = "grassroots_document"  # DocumentRecord.kind of a file a body under the unit issued


class Stage(StrEnum):
    """Where handling one message failed (an ``error`` row's ``stage``): the failure stays with it."""

    READING = "reading"          # the MIME parse
    WORKER = "worker"            # the reader process died or ran out of time on the message
    ARCHIVING = "archiving"      # the copies of the mail and its attachments
    DECIDING = "deciding"        # deciding what the message is
    REPLYING = "replying"        # composing or queueing the acknowledgement
    COMMITTING = "committing"    # writing its ledger rows


class DocStatus(StrEnum):
    """A document with nothing wrong; any other status is the Finding that says why it is not usable."""

    OK = "ok"


DocumentStatus = DocStatus | Finding


def document_status(text: str) -> DocumentStatus:
    """A status as the ledger stores it, typed again (a word no Finding knows raises ValueError)."""
    return DocStatus.OK if text == DocStatus.OK else Finding(text)


class Sign(StrEnum):
    """What gave a machine's message away (bot/core/automated.py), kept among the message's findings.

    Each value is the code the ledger stores (``auto_sign:<sign>``); the words are the registry's.
    """

    MAILBOT_HEADER = "auto_sign:mailbot_header"
    REPORT_PART = "auto_sign:report_part"
    FAILED_RECIPIENTS_HEADER = "auto_sign:failed_recipients_header"
    AUTO_SUBMITTED = "auto_sign:auto_submitted"
    AUTOREPLY_HEADER = "auto_sign:autoreply_header"
    PRECEDENCE = "auto_sign:precedence"
    LIST_HEADER = "auto_sign:list_header"
    NULL_RETURN_PATH = "auto_sign:null_return_path"
    BOUNCE_SENDER = "auto_sign:bounce_sender"
    LIST_SENDER = "auto_sign:list_sender"
    NOREPLY_SENDER = "auto_sign:noreply_sender"
    BOUNCE_SUBJECT = "auto_sign:bounce_subject"
    GATEWAY_SUBJECT = "auto_sign:gateway_subject"
    AUTO_SUBJECT = "auto_sign:auto_subject"
    RECEIPT_SUBJECT = "auto_sign:receipt_subject"
    FEEDBACK_SUBJECT = "auto_sign:feedback_subject"
    CHALLENGE_SUBJECT = "auto_sign:challenge_subject"
    LIST_SUBJECT = "auto_sign:list_subject"
    DSN_TEXT = "auto_sign:dsn_text"
    CHALLENGE_TEXT = "auto_sign:challenge_text"
    LIST_TEXT = "auto_sign:list_text"
    AWAY_TEXT = "auto_sign:away_text"
    GENERATED_TEXT = "auto_sign:generated_text"


# What a message's findings hold: its flags, the outcome it would have had (staff mail about something
# else), the sign of a machine's mail. Stored as their codes and read back once (:func:`message_finding`).
MessageFinding = Finding | Outcome | Sign
_FINDING_CODES: dict[str, MessageFinding] = {m.value: m for kind in (Finding, Outcome, Sign) for m in kind}


# What a document's warnings hold: what its reader said (parsers.ReadWarning), then the bot's own findings.
DocumentWarning = ReadWarning | Finding


def document_warning(code: str) -> DocumentWarning:
    """A document warning as the ledger stores it, typed again: a reader's code when it is one (``needs_ocr``
    and ``table_cut`` are both, and mean the same), else a Finding (an unknown code raises ValueError)."""
    return ReadWarning(code) if code in _READ_WARNINGS else Finding(code)


_READ_WARNINGS = frozenset(str(w) for w in ReadWarning)


def message_finding(code: str) -> MessageFinding:
    """A finding as the ledger stores it, typed again (a code none of them knows raises ValueError)."""
    if code not in _FINDING_CODES:
        raise ValueError(f"unknown finding code {code!r}")
    return _FINDING_CODES[code]


@dataclass(frozen=True, slots=True)
class MessageKey:
    """Where a message sits: (mailbox source, UIDVALIDITY, UID). Maildir uses validity 0."""

    source: str
    validity: int
    uid: str


@dataclass(frozen=True, slots=True)
class AuthResults:
    dmarc: str = ""
    spf: str = ""
    dkim: str = ""
    authserv_id: str = ""            # who wrote this verdict (RFC 8601); only our own server's counts


# Attachment.origin of what an Outlook winmail.dat (bot/message/tnef.py) left instead of files.
TNEF_BROKEN = "tnef-broken"          # the stream kept whole: it could not be read
TNEF_BODY_ONLY = "tnef-body-only"    # nothing to keep: the stream held only the message body


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes = field(repr=False)
    origin: str = ""                 # "" for a direct attachment, else "archive.zip" or "forwarded"


@dataclass(frozen=True, slots=True)
class IncomingMail:
    message_id: str
    from_addr: str
    from_name: str
    subject: str
    date: datetime | None
    references: tuple[str, ...]
    body: str
    attachments: tuple[Attachment, ...]
    headers: dict[str, str]          # lower-cased name -> first value, the few we decide on
    content_type: str
    auth: tuple[AuthResults, ...]    # every Authentication-Results header, topmost first (see core.authres)
    defects: tuple[str, ...] = ()
    forwarded_from: tuple[str, ...] = ()
    part_types: tuple[str, ...] = ()  # content types of the message's own MIME tree (not attached messages)


@dataclass(frozen=True, slots=True)
class Nominee:
    kind: NomineeKind
    name: str
    position: str
    source: str                      # file name of the document that names them
    workplace: str = ""              # «Đơn vị công tác» when the document gives it apart from the position
    achievements: str = ""           # «Tóm tắt thành tích» when the list has such a column

    @property
    def role(self) -> str:
        """Position and workplace as one phrase, as the tally, the export and replies show them."""
        return ", ".join(part for part in (self.position, self.workplace) if part)


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    filename: str
    kind: ItemKind
    format: str
    status: DocumentStatus
    size: int
    sha256: str
    nominees: tuple[Nominee, ...] = ()
    warnings: tuple[DocumentWarning, ...] = ()
    detail: str = ""
    archive_path: str = ""
    unit_hint: str | None = None
    confidence: float | None = None  # of ``kind``, 0..1; None for records stored before it was kept
    reason: str = ""                 # why ``kind`` (Vietnamese, for staff)
    meeting: MeetingFacts | None = None  # what a biên bản states about its meeting

    @property
    def runnable(self) -> bool:
        """A program or script (bot/core/runnable.py): kept under a neutral name, never linked or served."""
        return self.status == Finding.EXECUTABLE_ATTACHMENT

    @property
    def counts_as_received(self) -> bool:
        """Readable, or unreadable only for want of a reader (scans, legacy .doc): staff can open it."""
        return self.status in (DocStatus.OK, Finding.UNSUPPORTED_FORMAT, Finding.NEEDS_OCR)


@dataclass(frozen=True, slots=True)
class Reply:
    """What was done about answering a message: the outbox file queued, or the code saying why none."""

    queued: str = ""       # the reply's file name in the outbox
    withheld: str = ""     # an Outcome or Finding code: why no reply

    @classmethod
    def queued_as(cls, filename: str) -> Reply:
        return cls(queued=filename)

    @classmethod
    def none(cls, why: str) -> Reply:
        return cls(withheld=str(why))

    @property
    def sent(self) -> bool:
        return bool(self.queued)

    def __str__(self) -> str:
        return f"queued {self.queued}" if self.queued else f"none: {self.withheld}"


class Verdict(StrEnum):
    """A unit's standing, as a value (the Vietnamese words are views.status_words)."""

    NOT_SUBMITTED = "not_submitted"
    IN_ORDER = "in_order"          # nothing missing, within quota, on time
    NEEDS_ACTION = "needs_action"  # something missing, over quota or late


@dataclass(frozen=True, slots=True)
class MessageRecord:
    """One processed message as stored in the ledger: the source of every derived view."""

    key: MessageKey
    message_id: str
    digest: str
    received_at: datetime
    from_addr: str
    from_name: str
    subject: str
    unit_id: str | None
    counted: bool
    outcome: Outcome
    findings: tuple[MessageFinding, ...] = ()
    documents: tuple[DocumentRecord, ...] = ()
    reply: Reply = Reply()
    processed_at: datetime | None = None
    attempts: int = 1
    error: str = ""                  # with Outcome.ERROR: what went wrong ("ValueError: …")
    stage: Stage | None = None       # with Outcome.ERROR: where it went wrong
    size: int = 0                    # with Outcome.TOO_LARGE: the message's size in bytes
    note: str = ""                   # words for staff: a unit's question in a thread, why «not this campaign»


@dataclass(frozen=True, slots=True)
class ListDifference:
    """One nominee named by some of a message's lists (tờ trình, tóm tắt, danh sách) but not all."""

    name: str
    kind: str
    listed_in: tuple[str, ...]       # file names that name them
    missing_from: tuple[str, ...]    # file names that do not


@dataclass(frozen=True, slots=True)
class OutdatedDocument:
    """An older document of the unit (tóm tắt, danh sách, biên bản) not sent again with the newer list,
    still naming people that list no longer proposes."""

    filename: str
    received_at: datetime
    names: tuple[str, ...]
    digest: str                      # the message that brought it


@dataclass(frozen=True, slots=True)
class UnitDossier:
    """A unit's dossier as of now, merged over all its counted messages."""

    unit_id: str
    received: tuple[str, ...]
    missing: tuple[str, ...]
    nominees: tuple[Nominee, ...]
    collectives: int
    individuals: int
    quota_collectives: int
    quota_individuals: int
    over_quota: bool
    late: bool
    last_message_at: datetime | None
    messages: int
    flags: tuple[str, ...]
    disagreements: tuple[str, ...] = ()           # one Vietnamese line per difference
    differences: tuple[ListDifference, ...] = ()
    outdated: tuple[OutdatedDocument, ...] = ()   # after a newer list: older files naming people it dropped

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def owes_something(self) -> bool:
        return bool(self.missing) or self.over_quota

    @property
    def verdict(self) -> Verdict:
        if self.messages == 0:
            return Verdict.NOT_SUBMITTED
        return Verdict.NEEDS_ACTION if self.missing or self.over_quota or self.late else Verdict.IN_ORDER
