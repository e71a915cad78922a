"""The layout the architecture promises: SQL only in the storage modules."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The modules that know a backend's tables (audit.py and pg_audit.py compare the read tables with a fresh fold);
# everything else asks events.store.Store or
# projections.questions.ReadModel.
STORAGE_MODULES = {"events/sqlite_store.py", "events/pg_store.py", "events/log_head.py", "projections/readmodel.py",
                   "projections/pg_readmodel.py", "projections/audit.py", "projections/pg_audit.py"}


def _runs_sql(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
               and n.func.attr in ("execute", "executemany", "executescript") for n in ast.walk(tree))


def test_sql_runs_only_in_the_storage_modules():
    found = {str(p.relative_to(ROOT)) for pkg in ("events", "projections", "timeline")
             for p in (ROOT / pkg).rglob("*.py") if _runs_sql(p)}
    assert found <= STORAGE_MODULES, sorted(found - STORAGE_MODULES)
    assert found, "the storage modules run SQL: the scan must find them"


def _imports(path: Path, name: str, modules: set[str]) -> set[str]:
    """The modules of ours that `path` (module `name`) imports, at the top or inside a function; a package's
    __init__ importing its own submodules does not count (importing the package runs it first)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        else:
            continue
        for t in targets:
            while t and t not in modules:
                t = t.rpartition(".")[0]
            if t and t != name and not (path.name == "__init__.py" and t.startswith(name + ".")):
                found.add(t)
                break
    return found


def test_no_import_cycles():
    import networkx as nx

    files = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
             for pkg in ("events", "projections", "timeline") for p in (ROOT / pkg).rglob("*.py")}
    graph = nx.DiGraph()
    for name, path in files.items():
        graph.add_node(name)
        graph.add_edges_from((name, t) for t in _imports(path, name, set(files)))
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert not cycles, cycles
    assert graph.number_of_edges() > 100, "the scan must find the imports"
