"""The layout the architecture promises: SQL only in the storage modules."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The modules that know a backend's tables (audit.py compares SQLite's read tables with a fresh fold);
# everything else asks events.store.Store or
# projections.questions.ReadModel.
STORAGE_MODULES = {"events/sqlite_store.py", "events/pg_store.py", "projections/readmodel.py",
                   "projections/pg_readmodel.py", "projections/audit.py"}


def _runs_sql(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
               and n.func.attr in ("execute", "executemany", "executescript") for n in ast.walk(tree))


def test_sql_runs_only_in_the_storage_modules():
    found = {str(p.relative_to(ROOT)) for pkg in ("events", "projections", "timeline")
             for p in (ROOT / pkg).rglob("*.py") if _runs_sql(p)}
    assert found <= STORAGE_MODULES, sorted(found - STORAGE_MODULES)
    assert found, "the storage modules run SQL: the scan must find them"
