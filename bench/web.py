"""How fast the staff console answers where clerks wait: p95 of Tổng quan, Đơn vị and Cần xem xét, as a
ratio against building ``status --json`` (records as decided, the object, the JSON text) in the same process.

    .venv/bin/python bench/web.py                # 11 units with 5,000 and 50,000 messages, 200 units with 50,000
    .venv/bin/python bench/web.py --requests 60

The ledger is synthetic (no mail): per unit one full dossier message, the rest filler a big mailbox holds
(auto-replies, duplicates, other business, unknown senders: every 250th is one, so the review queue
grows too), spread over the units. The console runs on uvicorn on loopback in this process and is asked
over HTTP with a signed-in session. "first" is the first request after the ledger changed (it builds the
picture every page reads); "p95" is over the requests after it. The target: p95 at most 150 ms, and the
same p95 at 5,000 and 50,000 messages (a page costs what it shows).
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import re
import statistics
import sys
import tempfile
import time
import urllib.parse
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.tally import make_config, make_records  # noqa: E402
from bot.app import decided  # noqa: E402
from bot.config.schema import Config  # noqa: E402
from bot.core.model import MessageKey, MessageRecord, Outcome, Reply  # noqa: E402
from bot.core.views import status_object  # noqa: E402
from bot.state.ledger import Ledger  # noqa: E402
from bot.web.serve import sign_in_link  # noqa: E402
from tests.console_state import serving  # noqa: E402

ICT = timezone(timedelta(hours=7))
PAGES = {"Tổng quan": "/", "Đơn vị": "/don-vi/{unit}", "Cần xem xét": "/can-xem-xet"}
FILLER = (Outcome.AUTO_REPLY, Outcome.DUPLICATE, Outcome.OTHER_BUSINESS, Outcome.READ_RECEIPT)


def fill(ledger: Ledger, cfg: Config, messages: int) -> None:
    dossiers = make_records(cfg)
    start = datetime(2020, 11, 14, 8, tzinfo=ICT)
    ledger.begin()
    for record in dossiers:
        ledger.record(record)
    for index in range(messages - len(dossiers)):
        unit = cfg.units[index % len(cfg.units)]
        unknown = index % 250 == 0
        outcome = Outcome.UNKNOWN_SENDER if unknown else FILLER[index % len(FILLER)]
        ledger.record(MessageRecord(
            key=MessageKey("bench", 0, str(100_000 + index)), message_id=f"<f{index}@example.vn>",
            digest=hashlib.sha256(f"f{index}".encode()).hexdigest(), received_at=start + timedelta(seconds=40 * index),
            from_addr=f"nguoi{index}@example.com" if unknown else unit.emails[0], from_name="",
            subject=f"Thư số {index}", unit_id=None if unknown else unit.id, counted=False, outcome=outcome,
            reply=Reply.none(outcome)))
        if index % 2000 == 1999:
            ledger.commit()
            ledger.begin()
    ledger.commit()


def status_seconds(ledger: Ledger, cfg: Config, rounds: int = 3) -> float:
    """The median time to build what `mailbot status --json` prints, from the ledger."""
    times = []
    for _ in range(rounds):
        begin = time.perf_counter()
        json.dumps(status_object(decided.picture(ledger, cfg)), ensure_ascii=False, indent=2)
        times.append(time.perf_counter() - begin)
    return statistics.median(times)


class Client:
    def __init__(self, base: str) -> None:
        parts = urllib.parse.urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=120)
        self.cookie = ""

    def request(self, method: str, path: str, body: str = "", cookies: str = "") -> tuple[int, dict[str, str], str]:
        headers = {"Cookie": cookies or self.cookie}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body or None, headers=headers)
        response = self.connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()

    def sign_in(self, link: str) -> None:
        parts = urllib.parse.urlsplit(link)
        _, headers, page = self.request("GET", f"{parts.path}?{parts.query}")
        form_cookie = headers["set-cookie"].split(";", 1)[0]
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)
        assert csrf
        token = urllib.parse.parse_qs(parts.query)["ma"][0]
        status, headers, _ = self.request("POST", "/dang-nhap/lien-ket",
                                          urllib.parse.urlencode({"csrf": csrf.group(1), "ma": token}), form_cookie)
        assert status == 303, status
        self.cookie = headers["set-cookie"].split(";", 1)[0]


def measure(units: int, messages: int, requests: int) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cfg = make_config(folder, units)
        cfg = config_with_staff(cfg)
        ledger = Ledger(cfg.paths.state)
        fill(ledger, cfg, messages)
        baseline = status_seconds(ledger, cfg)
        ledger.close()
        lines = []
        with serving(cfg, freeze_gc=True) as base:
            client = Client(base)
            client.sign_in(sign_in_link(cfg, "staff@example.vn", base) or "")
            for name, path in PAGES.items():
                path = path.format(unit=cfg.units[0].id)
                first, times = timed(client, path, requests)
                p95 = statistics.quantiles(times, n=20)[-1]
                lines.append(f"{units:>5} {messages:>8} {name:<12} {baseline * 1000:>9.0f} {first * 1000:>8.0f}"
                             f" {statistics.median(times) * 1000:>7.1f} {p95 * 1000:>7.1f} {p95 / baseline:>7.3f}")
        return lines


def timed(client: Client, path: str, requests: int) -> tuple[float, list[float]]:
    begin = time.perf_counter()
    status, _, _ = client.request("GET", path)
    first = time.perf_counter() - begin
    assert status == 200, (path, status)
    times = []
    for _ in range(requests):
        begin = time.perf_counter()
        client.request("GET", path)
        times.append(time.perf_counter() - begin)
    return first, times


def config_with_staff(cfg: Config) -> Config:
    from dataclasses import replace

    return replace(cfg, web=replace(cfg.web, staff=("staff@example.vn",)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    print(f"{'units':>5} {'messages':>8} {'page':<12} {'status ms':>9} {'first ms':>8} {'p50 ms':>7} {'p95 ms':>7}"
          f" {'p95/status':>7}")
    for units, messages in ((11, 5_000), (11, 50_000), (200, 50_000)):
        for line in measure(units, messages, args.requests):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
