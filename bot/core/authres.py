"""Which Authentication-Results to believe (RFC 8601 §5): only those our own receiving server wrote.

Any sender can put an ``Authentication-Results`` header in a message; the receiving server adds its
own on top but does not remove the others. A header counts only when its authserv-id is one of
``mailbox.authserv_id`` (Gmail: ``mx.google.com``); a forged ``dmarc=fail`` quarantines nothing and a
forged ``dmarc=pass`` vouches for nothing.
"""

from __future__ import annotations

from bot.core.model import AuthResults, IncomingMail

NONE = AuthResults()


def trusted(mail: IncomingMail, authserv_ids: tuple[str, ...]) -> AuthResults:
    """Our server's verdict (the topmost header with a trusted authserv-id), else an empty one."""
    wanted = {name.casefold() for name in authserv_ids}
    return next((auth for auth in mail.auth if auth.authserv_id in wanted), NONE)


def failed(auth: AuthResults) -> bool:
    """DMARC or SPF failed on our own server: the From address may be forged."""
    return auth.dmarc == "fail" or auth.spf in ("fail", "hardfail")
