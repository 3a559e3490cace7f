"""Throughput: `mailbot poll` on N unit emails with 3 attachments each, against the floor.

The floor, measured in the same run and also as a fresh process, is what any bot must do:
imapclient fetching the same messages (same batch size) + the stdlib decoding the MIME parts +
the parsers reading the same attachments bare. Target: poll <= 1.3 x floor.

    .venv/bin/python bench/throughput.py [--messages 1000] [--profile]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from _setup import REPO, Dovecot, bot_config, run_python, timed_poll

from tests.load_samples import append_all, unit_emails

FLOOR = """
import email, email.policy, ssl, sys
from imapclient import IMAPClient
import parsers
host, port, user, password, cafile = sys.argv[1:6]
client = IMAPClient(host, port=int(port), ssl=False, timeout=60)
client.starttls(ssl.create_default_context(cafile=cafile))
client.login(user, password)
client.select_folder("INBOX", readonly=True)
uids = client.search(["ALL"])
documents = 0
for start in range(0, len(uids), 10):
    batch = uids[start:start + 10]
    for item in client.fetch(batch, ["BODY.PEEK[]", "INTERNALDATE"]).values():
        message = email.message_from_bytes(item[b"BODY[]"], policy=email.policy.default)
        for part in message.iter_attachments():
            try:
                parsers.extract(part.get_filename() or "", part.get_payload(decode=True))
            except parsers.DocumentError:
                pass
            documents += 1
client.logout()
print(len(uids), documents)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--profile", action="store_true", help="run the poll under cProfile, print the top functions")
    args = parser.parse_args()
    with Dovecot() as dovecot, tempfile.TemporaryDirectory() as tmp:
        dovecot.start()
        account = dovecot.create_account("throughput")
        started = time.perf_counter()
        append_all(account, unit_emails(args.messages, attachments=3))
        print(f"{args.messages} messages appended in {time.perf_counter() - started:.1f} s")
        floor_args = ["-c", FLOOR, account.host, str(account.port), account.user, account.password, account.cafile]
        floor_a, proc = run_python(floor_args, account, REPO)
        print(f"floor (fetch + MIME + parsers, fresh process): {floor_a:.1f} s  [{proc.stdout.strip()}]")
        config = bot_config(Path(tmp) / "bot", account)
        if args.profile:
            profile = Path(tmp) / "poll.prof"
            poll, _ = run_python(["-m", "cProfile", "-o", str(profile), "-m", "bot", "--config", str(config),
                                  "poll"], account, config.parent)
            _print_profile(profile)
        else:
            poll, proc = timed_poll(config, account)
            print(proc.stdout.strip())
        floor_b, _ = run_python(floor_args, account, REPO)
        floor = (floor_a + floor_b) / 2
        print(f"floor again: {floor_b:.1f} s; floor used: {floor:.1f} s")
        print(f"mailbot poll: {poll:.1f} s = {poll / floor:.2f} x floor (target <= 1.3), "
              f"{args.messages / poll:.1f} messages/s")


def _print_profile(path: Path) -> None:
    import pstats

    stats = pstats.Stats(str(path))
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
