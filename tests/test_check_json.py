"""`check --format json` written a batch of findings at a time is the report's to_data() as one JSON document."""

from __future__ import annotations

import datetime as dt
import json

import orjson
from hypothesis import given
from hypothesis import strategies as st

from projections.state import Basis
from timeline.checks import CHECKS, SEVERITIES, Finding, Report, report_of
from timeline.formats.checks import json_chunks, render_text

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)  # control characters and quotes too
_finding = st.builds(
    Finding, st.sampled_from(CHECKS), st.sampled_from(SEVERITIES), _text, _text, st.none() | _text,
    st.none() | st.dates(), st.lists(st.text("0123456789abcdef", min_size=1, max_size=64), max_size=3).map(tuple),
    _text)
_basis = st.builds(Basis, st.dates(), st.none() | st.dates(), st.integers(0, 10**9), st.booleans())


@given(_basis, st.lists(_finding, max_size=12), st.integers(1, 5))
def test_the_batches_make_the_document_to_data_makes(basis, found, batch):
    report = report_of(basis, found)
    whole = orjson.dumps(report.to_data(), option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS, default=str)
    assert b"".join(json_chunks(report, batch)) == whole
    assert json.loads(whole)["counts"] == {s: sum(f.severity == s for f in report.findings) for s in SEVERITIES}


def test_counts_and_exit_code_follow_the_findings():
    day = dt.date(2024, 11, 23)
    basis = Basis(day, None, 7)
    warn = Finding("falling-total", "warning", "losses.personnel", "RU", None, day, ("ab",), "a fall, explained")
    err = Finding("future-level", "error", "area.controlled", "UA", "Kursk", day, ("cd",), "dated after its article")
    assert report_of(basis, [warn]).exit_code == 0
    both = report_of(basis, [warn, err])
    assert both.exit_code == 1 and both.counts() == {"error": 1, "warning": 1, "info": 0}
    assert render_text(both).splitlines()[0].endswith(": 1 error, 1 warning, 0 infos")
