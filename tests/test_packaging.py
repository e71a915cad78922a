"""The bundled seeds travel inside the wheel, byte for byte, and are found there."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_carries_the_seeds_and_finds_them(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    wheel = next(tmp_path.glob("timeline-*.whl"))
    unpacked = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(unpacked)
    for seed in (ROOT / "seeds").iterdir():
        assert (unpacked / "timeline" / "_seeds" / seed.name).read_bytes() == seed.read_bytes()
    found = subprocess.run(
        [sys.executable, "-c", "from timeline.seeds import bundled_seeds; print(bundled_seeds())"],
        cwd=tmp_path, env={"PYTHONPATH": str(unpacked)}, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert Path(found) == unpacked / "timeline" / "_seeds"
