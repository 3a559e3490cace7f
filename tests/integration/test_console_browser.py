"""The staff console in a real browser: Debian's headless chromium driven by Selenium against the
server on loopback (scripts/test.sh installs chromium and chromium-driver).

With MAILBOT_SCREENSHOTS=<folder> the test also saves a 1366×768 screenshot of every page there
(docs/img holds the ones the guide shows).
"""

from __future__ import annotations

import http.client
import io
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import openpyxl
import pytest
from PIL import Image
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

from bot.config.schema import Config
from bot.state.ledger import Ledger
from bot.state.signin import SignInStore
from bot.web.serve import sign_in_link
from tests.console_state import HOSTILE, STAFF, acknowledgement_files, build, message_id, serving
from tests.integration.harness import REPO, wait_until
from tests.mailservers import HOST

pytestmark = pytest.mark.integration
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HOSTILE_NAME = "<script>alert('ứng viên')</script> Giàng A Chứ"


@dataclass
class Site:
    cfg: Config
    base: str
    browser: WebDriver
    shots: Path | None

    def open(self, path: str) -> None:
        self.browser.get(self.base + path)

    def shot(self, name: str) -> None:
        if self.shots is not None:
            self.shots.mkdir(parents=True, exist_ok=True)
            target = self.shots / f"{name}.png"
            self.browser.save_screenshot(str(target))
            with Image.open(target) as shot:   # 256 colours: a third of the size, the same to the eye
                small = shot.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
            small.save(target, optimize=True)

    def click(self, element: WebElement) -> None:
        """Click a button that submits its form and wait for the next page."""
        page = self.browser.find_element(By.TAG_NAME, "html")
        element.click()
        WebDriverWait(self.browser, 20).until(lambda _: _gone(page))

    def session_cookie(self) -> str:
        cookie = self.browser.get_cookie("mailbot_session")
        return f"mailbot_session={cookie['value']}" if cookie else ""

    def raw(self, method: str, path: str, body: str = "", cookie: str = "") -> tuple[int, dict[str, str], bytes]:
        """One request exactly as written (no client-side ``../`` clean-up), with the session cookie."""
        connection = http.client.HTTPConnection(HOST, urllib.parse.urlsplit(self.base).port, timeout=30)
        headers = {"Cookie": cookie or self.session_cookie()}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body.encode() if body else None, headers=headers)
        response = connection.getresponse()
        out = response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        connection.close()
        return out


def _gone(element: WebElement) -> bool:
    """The page the element was on has been replaced (mid-navigation chromium may answer either way)."""
    try:
        element.is_enabled()
    except (StaleElementReferenceException, WebDriverException):
        return True
    return False


def _browser() -> WebDriver:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--window-size=1366,768", "--disable-gpu",
                     "--disable-dev-shm-usage", "--lang=vi"):
        options.add_argument(argument)
    driver = shutil.which("chromedriver")
    assert driver, "chromium-driver is not installed (scripts/test.sh installs it)"
    return webdriver.Chrome(options=options, service=Service(executable_path=driver))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("console")
    cfg = build(folder)
    shots = os.environ.get("MAILBOT_SCREENSHOTS")
    browser = _browser()
    try:
        with serving(cfg) as base:
            yield Site(cfg, base, browser, (REPO / shots) if shots else None)
    finally:
        browser.quit()


def status_json(cfg: Config) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-m", "bot", "--config", str(cfg.source), "status", "--json"],
                          capture_output=True, text=True, check=True, cwd=REPO, timeout=120)
    return dict(json.loads(done.stdout))


def signin_link(cfg: Config, address: str) -> str:
    """The link of the newest sign-in mail queued for ``address``."""
    files = sorted(cfg.paths.outbox.rglob("signin-*.eml"), key=lambda p: p.stat().st_mtime_ns)
    mails = [message_from_bytes(p.read_bytes(), policy=policy.default) for p in files]
    mine = [m for m in mails if address in str(m["To"])]
    assert mine, f"no sign-in mail for {address}"
    body = mine[-1].get_body(("plain",))
    assert body is not None
    found = re.search(r"https?://\S+", body.get_content())
    assert found
    return found.group(0)


def sign_in(site: Site, by_mail: bool = False) -> None:
    """Through the sign-in page and the mailed link, or (``by_mail`` False) a link as ``mailbot web-link``
    prints it: the page limits how many links one address may ask for."""
    if by_mail:
        site.open("/dang-nhap")
        site.browser.find_element(By.ID, "email").send_keys(STAFF)
        site.click(site.browser.find_element(By.CSS_SELECTOR, "form.stack button"))
        text = signin_link(site.cfg, STAFF)
    else:
        text = sign_in_link(site.cfg, STAFF, site.base) or ""
    link = urllib.parse.urlsplit(text)
    assert link.netloc == urllib.parse.urlsplit(site.base).netloc
    site.open(f"{link.path}?{link.query}")
    site.click(site.browser.find_element(By.ID, "vao"))
    assert site.browser.find_elements(By.CSS_SELECTOR, ".who"), site.browser.page_source[-1500:]
    assert site.browser.find_element(By.CSS_SELECTOR, ".who").text == STAFF


def test_without_a_session_no_page_shows_dossier_data(site: Site) -> None:
    for path in ("/", "/don-vi/tp_laichau", "/can-xem-xet", "/quyet-dinh", "/thu/1", "/tai/bang-tong-hop"):
        site.open(path)
        assert urllib.parse.urlsplit(site.browser.current_url).path == "/dang-nhap", path
        assert "Lai Châu" not in site.browser.find_element(By.TAG_NAME, "main").text
    site.shot("dang-nhap")
    assert site.browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi"


def test_the_sign_in_page_answers_the_same_for_any_address(site: Site) -> None:
    answers = []
    for address in ("nguoi.la@example.com", STAFF):
        site.open("/dang-nhap")
        site.browser.find_element(By.ID, "email").send_keys(address)
        site.click(site.browser.find_element(By.CSS_SELECTOR, "form.stack button"))
        answers.append(site.browser.find_element(By.TAG_NAME, "main").text)
    assert answers[0] == answers[1]
    assert not [p for p in site.cfg.paths.outbox.rglob("signin-*.eml") if "nguoi.la" in p.read_text()]


def test_sign_in_by_link_and_a_used_link_is_refused(site: Site) -> None:
    sign_in(site, by_mail=True)
    site.shot("tong-quan")
    used = urllib.parse.urlsplit(signin_link(site.cfg, STAFF))
    site.browser.delete_all_cookies()
    site.open(f"{used.path}?{used.query}")
    site.click(site.browser.find_element(By.ID, "vao"))
    assert "không dùng được" in site.browser.find_element(By.TAG_NAME, "main").text
    assert site.browser.get_cookie("mailbot_session") is None


def test_an_expired_link_is_refused(site: Site) -> None:
    ledger = Ledger(site.cfg.paths.state)
    try:
        token = SignInStore(ledger.db).new_link(STAFF, datetime.now(UTC) - timedelta(minutes=16))
    finally:
        ledger.close()
    site.browser.delete_all_cookies()
    site.open(f"/dang-nhap/lien-ket?ma={token}")
    site.click(site.browser.find_element(By.ID, "vao"))
    assert "không dùng được" in site.browser.find_element(By.TAG_NAME, "main").text
    site.open("/")
    assert urllib.parse.urlsplit(site.browser.current_url).path == "/dang-nhap"


def test_the_dashboard_equals_status_json(site: Site) -> None:
    sign_in(site)
    status = status_json(site.cfg)
    site.open("/")
    rows = site.browser.find_elements(By.CSS_SELECTOR, "tr[data-unit]")
    shown = {row.get_attribute("data-unit"): row.get_attribute("data-verdict") for row in rows}
    units = status["units"]
    assert isinstance(units, list)
    assert shown == {unit["id"]: unit["verdict"] for unit in units}
    assert len(rows) == len(units)
    review = status["needs_review"]
    assert isinstance(review, list)
    opened = site.browser.find_elements(By.CSS_SELECTOR, "[data-open-review]")
    assert len(opened) == 1 and opened[0].get_attribute("data-open-review") == str(len(review))


def _verdict(site: Site, unit_id: str) -> str | None:
    site.open("/")
    return site.browser.find_element(By.CSS_SELECTOR, f"tr[data-unit='{unit_id}']").get_attribute("data-verdict")


def test_a_click_counts_the_unknown_senders_mail_once_and_undo_takes_it_back(site: Site) -> None:
    """GIVEN the clerk's personal-address mail carrying sin_ho's dossier (unknown sender, open in the queue)
    WHEN staff pick «Liên đoàn Lao động huyện Sìn Hồ» and click «Tính cho đơn vị»
    THEN sin_ho is submitted, its acknowledgement is queued once, the decision names the signed-in address;
         undo puts sin_ho back, and doing it again queues no second acknowledgement."""
    sign_in(site)
    clerk = message_id("clerk")
    assert _verdict(site, "sin_ho") == "not_submitted"
    site.open("/can-xem-xet")
    site.shot("can-xem-xet")
    item = site.browser.find_element(By.CSS_SELECTOR, f"article[data-message='{clerk}']")
    Select(item.find_element(By.NAME, "unit_id")).select_by_visible_text("Liên đoàn Lao động huyện Sìn Hồ")
    site.click(item.find_element(By.CSS_SELECTOR, "button.assign"))
    assert "Đã lưu quyết định" in site.browser.find_element(By.CSS_SELECTOR, ".notice").text
    assert _verdict(site, "sin_ho") != "not_submitted"
    assert wait_until(lambda: acknowledgement_files(site.cfg, clerk), 30), "no acknowledgement queued"
    site.open("/quyet-dinh")
    site.shot("quyet-dinh")
    row = site.browser.find_element(By.CSS_SELECTOR, "tr[data-decision]")
    assert STAFF in row.text and "Sìn Hồ" in row.text
    site.click(row.find_element(By.CSS_SELECTOR, "button"))
    assert "Đã huỷ quyết định" in site.browser.find_element(By.CSS_SELECTOR, ".notice").text
    assert _verdict(site, "sin_ho") == "not_submitted"
    site.open("/can-xem-xet")
    item = site.browser.find_element(By.CSS_SELECTOR, f"article[data-message='{clerk}']")
    Select(item.find_element(By.NAME, "unit_id")).select_by_visible_text("Liên đoàn Lao động huyện Sìn Hồ")
    site.click(item.find_element(By.CSS_SELECTOR, "button.assign"))
    site.open("/can-xem-xet")
    assert clerk in site.browser.find_element(By.CSS_SELECTOR, "table.done").text or \
        "Sìn Hồ" in site.browser.find_element(By.CSS_SELECTOR, "table.done").text
    wait_until(lambda: False, 3)   # the follow-up worker had its chance to queue a second one
    assert len(acknowledgement_files(site.cfg, clerk)) == 1


def test_done_closes_an_item_and_changes_no_count(site: Site) -> None:
    """GIVEN an open review item WHEN staff click «Đã xử lý» THEN it leaves the open queue for the done list
    under the signed-in address and every unit's verdict stays as it was; undo reopens it."""
    sign_in(site)
    before = status_json(site.cfg)
    verdicts = {unit["id"]: unit["verdict"] for unit in before["units"]}
    site.open("/can-xem-xet")
    item = site.browser.find_elements(By.CSS_SELECTOR, "article.review")[0]
    message, reason = item.get_attribute("data-message"), item.get_attribute("data-reason")
    site.click(item.find_element(By.CSS_SELECTOR, "button.settle"))
    after = status_json(site.cfg)
    assert len(after["needs_review"]) == len(before["needs_review"]) - 1
    assert {unit["id"]: unit["verdict"] for unit in after["units"]} == verdicts
    assert [(d["reason"], d["decided_by"]) for d in after["review_done"] if d["message_id"] == message] \
        == [(reason, STAFF)]
    site.open("/quyet-dinh")
    row = site.browser.find_element(By.CSS_SELECTOR, "tr[data-decision]")
    assert "Đã xử lý" in row.text
    site.click(row.find_element(By.CSS_SELECTOR, "button"))
    assert len(status_json(site.cfg)["needs_review"]) == len(before["needs_review"])


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(site: Site) -> None:
    sign_in(site)
    before = len(_decisions(site.cfg))
    form = urllib.parse.urlencode({"kind": "ignore", "message_id": message_id("full"), "back": "/"})
    status, _, _ = site.raw("POST", "/quyet-dinh/moi", form)
    assert status == 403
    status, _, _ = site.raw("POST", "/quyet-dinh/moi", form + "&csrf=" + "0" * 64)
    assert status == 403
    assert len(_decisions(site.cfg)) == before
    assert _verdict(site, "tp_laichau") == "in_order"


def _decisions(cfg: Config) -> list[object]:
    ledger = Ledger(cfg.paths.state)
    try:
        return list(ledger.decisions.all())
    finally:
        ledger.close()


def test_files_download_safely_and_paths_cannot_climb_out(site: Site) -> None:
    sign_in(site)
    site.open("/don-vi/tam_duong")
    site.shot("don-vi")
    links = [a.get_attribute("href") or "" for a in site.browser.find_elements(By.CSS_SELECTOR, "a[download]")]
    assert links and not [href for href in links if href.endswith(".exe")]
    first = urllib.parse.urlsplit(links[0]).path
    status, headers, body = site.raw("GET", first)
    assert status == 200 and body.startswith(b"PK")
    assert headers["content-disposition"].startswith("attachment")
    assert headers["x-content-type-options"] == "nosniff"
    row = first.split("/tep/")[0]
    for bad in ("/tep/../../config.toml", "/tep/..%2F..%2Fconfig.toml", "/tep/cai_dat.exe",
                "/tep/%2E%2E/%2E%2E/state/mailbot.sqlite3"):
        status, _, body = site.raw("GET", row + bad)
        assert status in (400, 403, 404), bad
        assert b"[campaign]" not in body and b"SQLite" not in body and b"MZ" not in body[:2]
    for download, suffix in (("/tai/bang-tong-hop", ".xlsx"), ("/tai/danh-sach", ".docx")):
        status, headers, body = site.raw("GET", download)
        assert status == 200 and body.startswith(b"PK"), download
        assert headers["content-disposition"].startswith("attachment") and suffix in headers["content-disposition"]
        if suffix == ".xlsx":   # a copy to read and print: decisions are made on the console, not in it
            book = openpyxl.load_workbook(io.BytesIO(body))
            assert str(book.worksheets[0]["A1"].value).startswith("BẢN TẢI VỀ CHỈ ĐỂ XEM")
            assert not any(sheet.data_validations.dataValidation for sheet in book.worksheets)
            assert not any(cell.hyperlink for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)
    site.open(row)
    site.shot("thu")
    assert "cai_dat.exe" in site.browser.find_element(By.TAG_NAME, "main").text


def test_script_in_a_subject_a_file_name_and_a_nominee_is_shown_as_text(site: Site) -> None:
    sign_in(site)
    site.open("/don-vi/tam_duong")
    form = next(f for f in site.browser.find_elements(By.CSS_SELECTOR, "form.inline-form")
                if f.find_element(By.NAME, "name").get_attribute("value") == "Giàng A Chứ"
                and f.find_elements(By.NAME, "new_name"))
    form.find_element(By.NAME, "new_name").send_keys(HOSTILE_NAME)
    site.click(form.find_element(By.CSS_SELECTOR, "button"))
    text = site.browser.find_element(By.TAG_NAME, "main").text
    assert HOSTILE_NAME in text, text                 # the nominee, as text
    assert f"{HOSTILE} Hồ sơ đề nghị" in text        # the subject
    assert f"{HOSTILE}.docx" in text                  # the file name
    assert not site.browser.find_elements(By.XPATH, "//main//script")
    _ = site.browser.find_element(By.CSS_SELECTOR, "table.nominees").location_once_scrolled_into_view
    site.shot("don-vi-danh-sach")
    site.open("/can-xem-xet")
    assert HOSTILE in site.browser.find_element(By.TAG_NAME, "main").text
    _, headers, _ = site.raw("GET", "/")
    assert "script-src" not in headers["content-security-policy"]
    assert "default-src 'none'" in headers["content-security-policy"]


def test_sign_out_ends_the_session(site: Site) -> None:
    sign_in(site)
    cookie = site.session_cookie()
    site.click(site.browser.find_element(By.CSS_SELECTOR, "form.signout button"))
    assert urllib.parse.urlsplit(site.browser.current_url).path == "/dang-nhap"
    status, headers, _ = site.raw("GET", "/", cookie=cookie)
    assert status == 303 and headers["location"] == "/dang-nhap"
