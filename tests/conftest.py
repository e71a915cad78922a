import os
from pathlib import Path

import pytest

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


SHARED = Path(__file__).resolve().parents[2] / "shared"


def shared_present() -> bool:
    return (SHARED / "bin" / "score-claims").exists() and (SHARED / "data" / "russia-losses").is_dir()


def pytest_collection_modifyitems(config, items):
    """Tests marked `shared` are skipped, saying why, when ../shared is not beside the project."""
    config._shared_tests = sum("shared" in item.keywords for item in items)
    if shared_present():
        return
    skip = pytest.mark.skip(reason="../shared (answer keys, dev corpus, scorer, tally data) is not beside the project")
    for item in items:
        if "shared" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """How many of the tests that need ../shared ran: CI's log says whether they were exercised."""
    total = getattr(config, "_shared_tests", 0)
    skipped = sum(1 for r in terminalreporter.stats.get("skipped", []) if "shared" in getattr(r, "keywords", {}))
    ran = total - skipped
    terminalreporter.write_line(f"tests needing ../shared: {ran} of {total} ran"
                                + ("" if ran == total else " (../shared is not beside the project)"))
