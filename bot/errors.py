"""Every error mailbot raises on purpose derives from :class:`MailbotError` (as the document errors of
``parsers`` derive from :class:`parsers.DocumentError`), so a caller can catch one family.

Exceptions::

    MailbotError                  something mailbot cannot do; the message says what, in plain words
    ├── ConfigError               config.toml cannot be used (``problems``: one line per problem)
    ├── TextError                 a reply template is missing, malformed or uses a name it is not given
    ├── CredentialError           a secret is not where the config says it is (password, token file)
    ├── AlreadyRunning            another mailbot holds the lock on this state folder
    ├── StateUnreadable           the state file exists but is not a readable mailbot ledger (never reset)
    ├── MessageFailed             handling one message failed at a stage (kept with that message, never
    │                             raised past the poll: bot/app/containment.py)
    └── TemporaryError            nothing is lost: the next tick tries again
        ├── SourceError           the mailbox cannot be reached or read (next poll)
        │   └── FolderMissing     a configured folder does not exist on the server
        └── DeliveryError         SMTP cannot be used at all this time (next flush, with backoff)

Errors in one message or one document are not exceptions here: they become findings on the message
(a document that cannot be read is a :class:`parsers.DocumentError`, recorded, never raised past
intake). The classes stay importable where they were first defined (``bot.config.schema.ConfigError``,
``bot.transport.inbox.SourceError``, ...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.model import Stage

__all__ = ["AlreadyRunning", "ConfigError", "CredentialError", "DeliveryError", "FolderMissing", "MailbotError",
           "MessageFailed", "SourceError", "StateUnreadable", "TemporaryError", "TextError"]


class MailbotError(Exception):
    """The base of every error mailbot raises on purpose."""


class ConfigError(MailbotError):
    """The config cannot be used; ``problems`` holds one plain line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class TextError(MailbotError):
    """A template is missing, malformed or uses a name it is not given."""


class CredentialError(MailbotError):
    """A named secret is not where the config says it is."""


class AlreadyRunning(MailbotError):
    """Another mailbot process holds the lock on this state folder."""


class StateUnreadable(MailbotError):
    """The state file exists but is not a readable mailbot ledger (damaged, truncated, emptied while
    earlier work is on disk): mailbot refuses to start on it rather than begin a new state."""


class MessageFailed(MailbotError):
    """Handling one message failed at ``stage``; ``cause`` is what was raised."""

    def __init__(self, stage: Stage, cause: BaseException) -> None:
        super().__init__(f"{stage}: {type(cause).__name__}: {cause}")
        self.stage, self.cause = stage, cause


class TemporaryError(MailbotError):
    """A server cannot be used now; nothing is lost, the next tick tries again."""


class SourceError(TemporaryError):
    """The mailbox cannot be reached or read: this run stops, the next tick tries again."""


class FolderMissing(SourceError):
    """The configured folder does not exist on the server (a typo, or not a Gmail account)."""


class DeliveryError(TemporaryError):
    """SMTP could not be used at all this time (unreachable, login refused)."""
