"""PostgreSQL for the tests: the server named by TIMELINE_TEST_PG, else a throwaway cluster started once.

Each log gets a schema of its own in one database (creating a schema is far
cheaper than creating a database), selected through the URL's search_path.
When no server can be had, the PostgreSQL tests are skipped, unless
TIMELINE_PG_REQUIRED is set (as `.ci/run` does), when they fail.
"""

from __future__ import annotations

import atexit
import itertools
import os
from urllib.parse import quote

import pytest

_state: dict[str, object] = {}
_schemas = itertools.count()


def server() -> str | None:
    """The superuser URL of the test server, starting one on first use; None when there is none."""
    if "url" in _state:
        return _state["url"]  # type: ignore[return-value]
    url = os.environ.get("TIMELINE_TEST_PG")
    if not url:
        from tests.pgcluster import Cluster, bindir

        if bindir() is None and not os.environ.get("TIMELINE_PG_REQUIRED"):
            _state["url"] = None
            return None
        cluster = Cluster().start()
        atexit.register(cluster.stop)
        _state["cluster"] = cluster
        url = cluster.url()
    _state["url"] = url
    return url


def need_server() -> str:
    url = server()
    if url is None:
        pytest.skip("no PostgreSQL server (install postgresql or set TIMELINE_TEST_PG)")
    return url


def cluster():
    """The throwaway cluster, when the tests started one (None for a given server)."""
    server()
    return _state.get("cluster")


def admin():
    from events.pg_store import connect

    return connect(need_server())


def with_schema(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema}', safe='')}"


def new_schema(prefix: str = "log") -> str:
    """A fresh empty schema; returns its name."""
    name = f"{prefix}_{os.getpid()}_{next(_schemas)}"
    conn = admin()
    try:
        conn.execute(f'CREATE SCHEMA "{name}"')
    finally:
        conn.close()
    return name


def fresh_url(projectors: tuple = ()) -> str:
    """The URL of a new, initialised, empty log (as the superuser)."""
    from events.pg_store import init_db

    url = with_schema(need_server(), new_schema())
    init_db(url, writer=None, reader=None, projectors=projectors)
    return url


_pools: dict[bool, list[str]] = {False: [], True: []}
_turn = itertools.count()
POOL = 6  # logs handed out in turn: more than any test keeps open at once


def recycled_url(read_models: bool = False) -> str:
    """An empty log (with the PostgreSQL read models, or none), reused: emptied by the superuser, triggers off.

    Creating tables costs tens of milliseconds each on a busy disk; property
    tests open hundreds of logs, so they take turns over a few, emptied with
    `session_replication_role = replica` (which only a superuser may set, and
    which skips the append-only triggers).
    """
    pool = _pools[read_models]
    if len(pool) < POOL:
        if read_models:
            from projections.pg_readmodel import projectors

            pool.append(fresh_url(projectors()))
        else:
            pool.append(fresh_url())
        return pool[-1]
    url = pool[next(_turn) % POOL]
    schema = url.rsplit("search_path%3D", 1)[1]
    tables = ["events", "projection_state"]
    if read_models:
        from projections.pg_readmodel import TABLES

        tables += TABLES
    conn = admin()
    try:
        with conn.transaction():
            conn.execute("SET LOCAL session_replication_role = replica")
            for t in tables:
                conn.execute(f'DELETE FROM "{schema}".{t}')
            conn.execute(f'INSERT INTO "{schema}".log_head(one, position, hash) VALUES (1, 0, %s)'
                         " ON CONFLICT (one) DO UPDATE SET position = 0, hash = excluded.hash", ("0" * 64,))
            if read_models:
                from projections.pg_readmodel import NAME

                for table, column in (("details", "detail_id"), ("profiles", "profile_id"), ("series", "series_id")):
                    conn.execute(f"SELECT setval(pg_get_serial_sequence('\"{schema}\".{table}', '{column}'), 1, false)")
                conn.execute(f'INSERT INTO "{schema}".projection_state(name, position) VALUES (%s, 0)', (NAME,))
    finally:
        conn.close()
    return url
