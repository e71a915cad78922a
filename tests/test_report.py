"""The HTML report read as files: the values it shows are asof's, links resolve, untrusted text stays text."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from timeline import Timeline
from timeline.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
HOSTILE = ('The Ukrainian General Staff said on Nov. 20 that Russia has deployed about 5,000 troops in the Kursk '
           'region <script>alert("pwned")</script> with "quotes" & \x07bells\x1b[31m.\n')


class Page(HTMLParser):
    """Links, element ids, <mark> texts and the index's value rows of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.values: list[dict[str, str]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag == "tr" and "value" in (a.get("class") or "").split():
            self.values.append({k[5:]: v for k, v in a.items() if k.startswith("data-")})
        if tag in ("script", "link", "img"):
            self.scripts.append(a.get("src") or a.get("href") or "")
            self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


def parse(path: Path) -> Page:
    p = Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, Path]:
    """The seeds, one retraction and an article whose text and metadata try to break out of the page."""
    base = tmp_path_factory.mktemp("report")
    log = base / "log.sqlite"
    hostile = base / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    with Timeline(log) as tl:
        tl.ingest([SEEDS])
        report = tl.ingest([hostile], published=dt.date(2024, 11, 21), outlet="<b>Outlet</b> & \"Co\"",
                           title="<img src=x onerror=alert(1)>", url="javascript:alert(1)")
        assert report.claims_appended >= 1
        claim = next(c for c in tl.claims() if c["article"] == "hostile.txt")
        tl.retract("6274a197e9", "a plan, not a deployment")
    out = base / "site"
    result = CliRunner().invoke(main, ["--log", str(log), "report", "-o", str(out), "--asof", "2024-11-23",
                                       "--from", "2024-11-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["claims"] >= 38
    assert claim["metric"] == "troops.deployed"
    return log, out


def test_every_value_shown_is_the_one_asof_gives(site):
    log, out = site
    result = CliRunner().invoke(main, ["--log", str(log), "asof", "2024-11-23", "--format", "json"])
    expected = json.loads(result.stdout)["values"]
    shown = parse(out / "index.html").values
    assert len(shown) == len(expected) > 20
    for row, v in zip(shown, expected):
        assert (row["metric"], row["party"], row["region"] or None, row["shape"]) == \
            (v["metric"], v["party"], v["region"], v["shape"])
        assert float(row["value"]) == v["value"] and row["qualifier"] == v["qualifier"]
        assert row["valid"] == v["valid"] and row["claim"] == v["claims"][0]
        assert row["derived"] == ("true" if v["derived"] else "false")


def test_every_link_resolves_to_a_file_and_an_anchor_in_it(site):
    _, out = site
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 20
    parsed = {p: parse(p) for p in pages}
    checked = 0
    for page, info in parsed.items():
        for href in info.links + [s for s in info.scripts if s]:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https"):
                continue
            assert parts.scheme == "" and not href.startswith("/"), f"{page.name}: {href}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file() and out.resolve() in target.parents, f"{page.name}: {href}"
            if parts.fragment:
                assert parts.fragment in parsed[target].ids, f"{page.name}: {href}"
            checked += 1
    assert checked > 100


def test_no_network_is_needed(site):
    _, out = site
    for page in out.rglob("*.html"):
        for src in parse(page).scripts:
            assert not re.match(r"(https?:)?//", src), f"{page.name} loads {src}"
    assert (out / "claims.json").is_file() and (out / "claims.js").is_file()
    data = json.loads((out / "claims.json").read_text(encoding="utf-8"))
    js = (out / "claims.js").read_text(encoding="utf-8")
    assert json.loads(js[js.index("=") + 1:].strip().rstrip(";")) == data


def test_article_text_and_metadata_render_as_text(site):
    _, out = site
    everything = "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert "<script>alert" not in everything and "<img src=x" not in everything and "<b>Outlet" not in everything
    assert 'href="javascript:' not in everything
    assert "\x07" not in everything and "\x1b" not in everything
    page = next(p for p in (out / "series").glob("troops.deployed_RU_Kursk_level-*.html"))
    text = page.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text and "&lt;b&gt;Outlet&lt;/b&gt; &amp; &quot;Co&quot;" in text
    assert "\ufffdbells" in text
    assert "<mark>about 5,000 troops</mark>" in text


def test_retracted_and_competing_claims_say_so(site):
    _, out = site
    text = next((out / "series").glob("troops.planned_RU_Kursk_level-*.html")).read_text(encoding="utf-8")
    assert 'class="claim retracted"' in text and "a plan, not a deployment" in text
    kp = next((out / "series").glob("troops.deployed_KP_Eastern*.html")).read_text(encoding="utf-8")
    assert "not chosen: lost on" in kp


def test_the_diff_and_check_pages_link_to_series(site):
    _, out = site
    diff = parse(out / "diff.html")
    assert any(link.startswith("series/") for link in diff.links)
    checks = (out / "checks.html").read_text(encoding="utf-8")
    assert "Checks as of 2024-11-23" in checks


def run(log, *args):
    result = CliRunner().invoke(main, ["--log", str(log), *args])
    assert "Traceback" not in result.output
    return result


def test_bad_input_is_one_line_and_exit_2(site, tmp_path):
    log, _ = site
    a_file = tmp_path / "file"
    a_file.write_text("x")
    cases = [
        (["report", "-o", str(a_file)], "exists and is not a folder"),
        (["report", "-o", str(tmp_path / "r"), "--asof", "2024-11-01", "--from", "2024-11-23"],
         "--from 2024-11-23 is after --asof 2024-11-01"),
        (["report", "-o", str(tmp_path / "missing" / "r")], "does not exist"),
        (["report", "-o", str(a_file / "r")], "does not exist"),
        (["report", "-o", str(tmp_path / "r"), "--asof", "2020-01-01"], "the state is empty"),
    ]
    for args, message in cases:
        result = run(log, *args)
        assert result.exit_code == 2, args
        assert message in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]  # nothing half-written


def test_a_report_replaces_an_older_one_whole(site, tmp_path):
    log, _ = site
    out = tmp_path / "r"
    assert run(log, "report", "-o", str(out), "--asof", "2024-11-05").exit_code == 0
    assert "as of 2024-11-05" in (out / "index.html").read_text(encoding="utf-8")
    assert run(log, "report", "-o", str(out), "--asof", "2024-11-23").exit_code == 0
    assert "as of 2024-11-23" in (out / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_help_has_an_example_and_json():
    result = CliRunner().invoke(main, ["report", "--help"])
    assert result.exit_code == 0 and "Example:" in result.stdout and "json" in result.stdout


def test_a_folder_that_is_not_a_report_is_refused_and_left_as_it_was(site, tmp_path):
    log, _ = site
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.txt").write_text("notes\n")
    result = run(log, "report", "-o", str(work))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"Error: {work}: holds notes.txt, which no report writes; "
                             "give a new or empty folder for the report\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]
    assert [p.name for p in work.iterdir()] == ["notes.txt"]
    assert (work / "notes.txt").read_text() == "notes\n"


def test_a_folder_that_holds_the_log_is_refused_and_the_log_kept(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    log = work / "timeline.sqlite"
    assert run(log, "ingest", str(SEEDS)).exit_code == 0
    head = run(log, "verify").stdout
    (tmp_path / "link").symlink_to(work)
    for out in (work, tmp_path / "link", tmp_path):
        result = run(log, "report", "-o", str(out))
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == f"Error: {out}: holds the log {log}; give another folder for the report\n"
    assert sorted(p.name for p in work.iterdir()) == ["timeline.sqlite"]
    assert run(log, "verify").stdout == head


def test_a_report_with_a_file_added_is_not_replaced(site, tmp_path):
    log, _ = site
    out = tmp_path / "r"
    assert run(log, "report", "-o", str(out)).exit_code == 0
    (out / "series" / "mine.txt").write_text("mine\n")
    result = run(log, "report", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {out}: holds series/mine.txt, which no report writes; "
                             "give a new or empty folder for the report\n")
    assert (out / "series" / "mine.txt").read_text() == "mine\n"


def test_a_report_folder_with_a_link_to_the_log_is_not_replaced(tmp_path):
    log = tmp_path / "timeline.sqlite"
    assert run(log, "ingest", str(SEEDS)).exit_code == 0
    out = tmp_path / "r"
    assert run(log, "report", "-o", str(out)).exit_code == 0
    page = next((out / "series").iterdir())
    page.unlink()
    os.link(log, page)
    result = run(log, "report", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {out}: holds the log {log}; give another folder for the report\n"
    assert page.exists() and run(log, "verify").exit_code == 0


def test_an_empty_folder_takes_the_report(site, tmp_path):
    log, _ = site
    out = tmp_path / "r"
    out.mkdir()
    assert run(log, "report", "-o", str(out)).exit_code == 0
    assert (out / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_a_log_of_an_article_without_claims_has_nothing_to_report(tmp_path):
    from events.sqlite_store import SQLiteStore
    from projections.readmodel import projectors
    from tests.builders import article, day

    log = tmp_path / "log.sqlite"
    store = SQLiteStore(log, projectors=projectors())
    store.append([article("a.txt", day(3), "Reuters", text="No figures here.")])
    store.close()
    result = run(log, "report", "-o", str(tmp_path / "r"))
    assert result.exit_code == 2
    assert result.stderr == "Error: the log holds no claims: there is nothing to report\n"
    assert not (tmp_path / "r").exists()
