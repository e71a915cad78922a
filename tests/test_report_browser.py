"""The HTML report in a real headless Chromium, opened from disk: quotes marked, search filters, links load.

Chromium and its driver come from Debian (`apt-get install chromium chromium-driver`, which `.ci/run` does
when they are missing). Without them these tests are skipped, unless TIMELINE_BROWSER_REQUIRED is set (as
`.ci/run` does), when they fail.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.test_report import HOSTILE, SEEDS
from timeline import Timeline
from timeline.cli import main

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,900")


def _have_browser() -> bool:
    return Path(CHROMIUM).exists() and Path(DRIVER).exists()


pytestmark = pytest.mark.browser

if not _have_browser():
    if os.environ.get("TIMELINE_BROWSER_REQUIRED"):
        raise RuntimeError("TIMELINE_BROWSER_REQUIRED is set but chromium and chromium-driver are not installed")
    pytest.skip("chromium and chromium-driver are not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="timeline-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    import datetime as dt

    base = tmp_path_factory.mktemp("browser")
    log = base / "log.sqlite"
    hostile = base / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    with Timeline(log) as tl:
        tl.ingest([SEEDS])
        tl.ingest([hostile], published=dt.date(2024, 11, 21), outlet="<b>Outlet</b>", title="<img src=x onerror=alert(1)>")
        claims = {c["id"]: c for c in tl.claims()}
    out = base / "site"
    result = CliRunner().invoke(main, ["--log", str(log), "report", "-o", str(out), "--asof", "2024-11-23"])
    assert result.exit_code == 0, result.output
    return log, out, claims


def url(path: Path) -> str:
    return path.resolve().as_uri()


def test_each_value_page_shows_its_quote_with_the_figure_marked(browser, site):
    from selenium.webdriver.common.by import By

    _, out, claims = site
    browser.get(url(out / "index.html"))
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.value")
    targets = [(r.get_attribute("data-claim"), r.find_element(By.CSS_SELECTOR, "td.num a").get_attribute("href"))
               for r in rows if r.get_attribute("data-derived") == "false"]
    assert len(targets) > 15
    for claim_id, href in targets:
        browser.get(href)
        assert browser.find_element(By.ID, "value").is_displayed()
        row = browser.find_element(By.ID, f"claim-{claim_id}")
        marks = row.find_elements(By.CSS_SELECTOR, "blockquote mark")
        assert marks and marks[0].is_displayed(), href
        assert marks[0].text == " ".join(claims[claim_id]["quote"].split()), href
        colour = marks[0].value_of_css_property("background-color")
        assert colour not in ("rgba(0, 0, 0, 0)", "transparent"), "the figure is not highlighted"


def test_links_load_their_pages_and_anchors(browser, site):
    from selenium.webdriver.common.by import By

    _, out, _ = site
    for page in ["index.html", "diff.html", "checks.html", "search.html"]:
        browser.get(url(out / page))
        links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a[href]")]
        for href in dict.fromkeys(links):
            if not href.startswith("file://"):
                continue
            browser.get(href)
            assert "ERR_FILE_NOT_FOUND" not in browser.page_source, href
            fragment = href.partition("#")[2]
            if fragment:
                assert browser.find_elements(By.ID, fragment), href
            assert browser.find_element(By.TAG_NAME, "h1").text, href


def test_the_search_box_filters_the_claims(browser, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    _, out, claims = site
    browser.get(url(out / "search.html"))
    rows = lambda: browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")  # noqa: E731
    total = len(claims)
    box = browser.find_element(By.ID, "search")

    def settle(holds) -> None:  # keys reach the page in their own time on a loaded machine: wait for what follows
        WebDriverWait(browser, 10).until(lambda _: holds())

    def search(text: str) -> None:
        box.clear()
        box.send_keys(text)
        settle(lambda: box.get_attribute("value") == text)

    settle(lambda: len(rows()) == total)
    assert browser.find_element(By.ID, "count").text == f"{total} of {total} claims"
    search("syrskyi kursk")
    settle(lambda: 0 < len(rows()) < total)
    found = rows()
    expected = [c for c in claims.values() if "Oleksandr Syrskyi" == c["claimant"] and c["region"] == "Kursk"]
    assert len(found) >= len(expected)
    assert all("syrskyi" in r.text.lower() and "kursk" in r.text.lower() for r in found)
    search("<b>outlet")
    settle(lambda: len(rows()) >= 1)
    assert all("<b>Outlet</b>" in r.text for r in rows())  # the hostile outlet, as text
    search("no such words anywhere")
    settle(lambda: rows() == [])
    assert browser.find_element(By.ID, "count").text == f"0 of {total} claims"
    box.clear()
    Select(browser.find_element(By.ID, "status")).select_by_value("lost")
    settle(lambda: 0 < len(rows()) < total)
    assert all("not chosen" in r.text for r in rows())
    first = rows()[0].find_element(By.TAG_NAME, "a")
    first.click()
    assert browser.current_url.partition("#")[2].startswith("claim-")


def test_nothing_from_the_log_runs_as_script(browser, site):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    _, out, _ = site
    page = next((out / "series").glob("troops.deployed_RU_Kursk_level-*.html"))
    browser.get(url(page))
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text
    text = browser.find_element(By.TAG_NAME, "main").text
    assert '<script>alert("pwned")</script>' in text and "<img src=x onerror=alert(1)>" in text


def test_a_screenshot_is_not_blank(browser, site):
    import matplotlib.image

    _, out, _ = site
    browser.get(url(next((out / "series").glob("troops.deployed_KP_Kursk_level-*.html"))))
    png = browser.get_screenshot_as_png()
    shot = Path(os.environ.get("TIMELINE_SCREENSHOTS", tempfile.gettempdir())) / "timeline-report-series.png"
    shot.write_bytes(png)
    pixels = matplotlib.image.imread(io.BytesIO(png), format="png")
    assert pixels.shape[0] > 500 and pixels.shape[1] > 1000
    flat = pixels.reshape(-1, pixels.shape[2])[:, :3]
    white = (flat > 0.97).all(axis=1).mean()
    colours = {tuple((p * 255).astype(int)) for p in flat[::53]}
    assert white < 0.9 and len(colours) > 30, (white, len(colours))
