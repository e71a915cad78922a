"""Progress on long writes: a line on a terminal's stderr, nothing on a pipe, and the text written unchanged."""

from __future__ import annotations

import io

from click.testing import CliRunner

from timeline.cli import main
from timeline.cli.common import WriteProgress
from timeline.seeds import bundled_seeds


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_the_size_written_so_far_and_the_line_is_cleared_at_the_end():
    out: list[str] = []
    term = Terminal()
    shown = WriteProgress(out.append, "writing the graph to g\x1b[2J.json", stream=term, every=0)
    for _ in range(3):
        shown("x" * 600_000)
    seen = term.getvalue()
    assert "about 1 MB so far" in seen and "about 2 MB so far" in seen and "\x1b" not in seen
    shown.close()
    assert "".join(out) == "x" * 1_800_000
    assert term.getvalue().endswith("\r" + " " * len(seen.split("\r")[-1]) + "\r")


def test_the_line_fits_the_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    term = Terminal()
    shown = WriteProgress(lambda text: None, "writing the graph to " + "long/" * 20 + "g.json", stream=term, every=0)
    shown("x")
    assert all(len(line) < 40 for line in term.getvalue().split("\r"))


def test_a_pipe_sees_nothing():
    pipe = io.StringIO()
    shown = WriteProgress(lambda text: None, "writing", stream=pipe, every=0)
    shown("x" * 2_000_000)
    shown.close()
    assert pipe.getvalue() == ""


def test_graph_to_a_file_prints_its_one_note_when_stderr_is_not_a_terminal(tmp_path):
    log = str(tmp_path / "log.sqlite")
    assert CliRunner().invoke(main, ["--log", log, "ingest", str(bundled_seeds())]).exit_code == 0
    result = CliRunner().invoke(main, ["--log", log, "graph", "-o", str(tmp_path / "g.json")])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("timeline: wrote the graph (") and result.stderr.count("\n") == 1
    assert (tmp_path / "g.json").read_text(encoding="utf-8").startswith("{")
