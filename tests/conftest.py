import os
from pathlib import Path

import pytest

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


SHARED = Path(__file__).resolve().parents[2] / "shared"


def pytest_collection_modifyitems(config, items):
    """Tests marked `shared` are skipped, saying why, when ../shared is not beside the project."""
    if (SHARED / "bin" / "score-claims").exists():
        return
    skip = pytest.mark.skip(reason="../shared (answer keys, dev corpus, scorer) is not beside the project")
    for item in items:
        if "shared" in item.keywords:
            item.add_marker(skip)
