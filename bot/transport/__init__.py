"""Mail in and out: IMAP and Maildir sources, IDLE, the spool for big messages, the outbox
queue and SMTP, credentials. They move bytes; they decide nothing about dossiers.

May import: the standard library, imapclient, ``bot.errors``, ``bot.config``, ``bot.core``
(value types), ``bot.state.files`` (atomic writes) and ``bot.transport``.
"""
