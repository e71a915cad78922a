"""The default log (./timeline.sqlite), built from the bundled seeds when missing: never seen half-built."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from timeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
ASOF = "import sys; from timeline.cli import main; sys.argv[0] = 'timeline'; main()"


def test_the_default_log_appears_only_once_it_is_whole(tmp_path, monkeypatch):
    from timeline.api import Timeline

    monkeypatch.chdir(tmp_path)
    ingest = Timeline.ingest
    seen = []

    def watched(self, *args, **kwargs):
        report = ingest(self, *args, **kwargs)
        seen.append((tmp_path / "timeline.sqlite").exists())
        return report

    monkeypatch.setattr(Timeline, "ingest", watched)
    result = CliRunner().invoke(main, ["asof", "2024-11-23", "--format", "json"], env={"TIMELINE_LOG": None})
    assert result.exit_code == 0 and json.loads(result.stdout)["values"]
    assert seen == [False]  # all of it was ingested before the log was there to be read
    assert sorted(p.name for p in tmp_path.iterdir()) == ["timeline.sqlite"]


def test_processes_started_together_with_no_log_all_answer_from_the_whole_log(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TIMELINE_LOG"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    procs = [subprocess.Popen([sys.executable, "-c", ASOF, "asof", "2024-11-23", "--format", "json"], cwd=tmp_path,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(6)]
    outs = [(p.communicate(timeout=120), p.returncode) for p in procs]
    assert [code for _, code in outs] == [0] * 6, [err for (_, err), _ in outs]
    answers = {out for (out, _), _ in outs}
    assert len(answers) == 1 and json.loads(answers.pop())["values"]
    notes = [err for (_, err), _ in outs if err]
    assert len(notes) == 1 and "built it from the 5 bundled seed articles" in notes[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["timeline.sqlite"]


def test_the_folders_of_builds_killed_before_are_removed_and_a_running_one_is_left(tmp_path, monkeypatch):
    import fcntl

    monkeypatch.chdir(tmp_path)
    old = time.time() - 3600
    killed, unlocked, running = (tmp_path / f".timeline.sqlite.{n}.building" for n in ("a1", "b2", "c3"))
    for folder in (killed, unlocked, running):
        folder.mkdir()
        (folder / "timeline.sqlite").write_bytes(b"half a log")
    (killed / "lock").touch()
    os.utime(killed / "lock", (old, old))
    os.utime(unlocked, (old, old))  # killed before it made its lock
    (running / "lock").touch()
    os.utime(running / "lock", (old, old))
    with open(running / "lock") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as the process building it holds it
        result = CliRunner().invoke(main, ["asof", "2024-11-23", "--format", "json"], env={"TIMELINE_LOG": None})
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [running.name, "timeline.sqlite"]
