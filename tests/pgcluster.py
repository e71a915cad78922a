"""A throwaway PostgreSQL cluster for the tests and the benchmark.

initdb into a temporary folder, listen on a Unix socket in that folder only
(no TCP), run as a non-root user (`postgres` when we are root, as the server
refuses to run as root), and remove everything on stop. Debian's `postgresql`
package provides the binaries (`.ci/run` installs it when missing).

Local connections as the cluster's superuser `postgres` are trusted; every
other role logs in with a password (scram-sha-256), so that the tests can be
refused a wrong one.

    python -m tests.pgcluster DIR    # start one in DIR, print its URL, keep it until killed
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

HBA = """\
local all postgres trust
local all all scram-sha-256
"""


def bindir() -> Path | None:
    """The newest installed server's binaries (Debian's layout), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class Cluster:
    """One running server: `url(db)` connects to it as the superuser."""

    def __init__(self, root: Path | None = None, *, durable: bool = False) -> None:
        """`durable`: fsync on (for benchmarks); the tests' clusters skip it."""
        bins = bindir()
        if bins is None:
            raise RuntimeError("PostgreSQL is not installed (apt-get install -y postgresql)")
        self.bins = bins
        self.root = Path(root) if root else Path(tempfile.mkdtemp(prefix="timeline-pg-"))
        self.data = self.root / "data"
        self.port = 5432
        self.durable = durable
        self._as_root = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        cmd = [str(self.bins / args[0]), *args[1:]]
        if self._as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd="/")

    def start(self) -> "Cluster":
        self.root.mkdir(parents=True, exist_ok=True)
        if self._as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8",
                  "--locale", "C")
        (self.data / "pg_hba.conf").write_text(HBA)
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"listen_addresses = ''\nunix_socket_directories = '{self.root}'\nport = {self.port}\n"
                + ("" if self.durable else "fsync = off\nfull_page_writes = off\n")
                + "synchronous_commit = off\nshared_buffers = 256MB\n"
                "max_connections = 200\nmax_wal_size = 4GB\n"
            )
        if self._as_root:
            shutil.chown(self.data / "pg_hba.conf", "postgres", "postgres")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w", "-t", "60", "start")
        self._watch(os.getpid())
        return self

    def _watch(self, pid: int) -> None:
        """A watchdog that stops the cluster and removes its folder when process `pid` is gone (even SIGKILLed)."""
        stop = [str(self.bins / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]
        if self._as_root:
            stop = ["runuser", "-u", "postgres", "--", *stop]
        code = (
            "import os, shutil, subprocess, sys, time\n"
            "pid, root, stop = int(sys.argv[1]), sys.argv[2], sys.argv[3:]\n"
            "while os.path.isdir(root):\n"
            "    try:\n"
            "        os.kill(pid, 0)\n"
            "    except ProcessLookupError:\n"
            "        subprocess.run(stop, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
            "        shutil.rmtree(root, ignore_errors=True)\n"
            "        break\n"
            "    time.sleep(1)\n"
        )
        subprocess.Popen([sys.executable, "-c", code, str(pid), str(self.root), *stop], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)

    def version(self) -> str:
        out = subprocess.run([str(self.bins / "postgres"), "--version"], capture_output=True, text=True).stdout
        return out.split()[2] if len(out.split()) > 2 else "?"  # "postgres (PostgreSQL) 15.18 (Debian ...)"

    def url(self, db: str = "postgres", user: str = "postgres", password: str | None = None) -> str:
        who = quote(user) + (":" + quote(password, safe="") if password else "")
        return f"postgresql://{who}@/{db}?host={quote(str(self.root), safe='')}&port={self.port}"


def main() -> None:
    cluster = Cluster(Path(sys.argv[1]) if len(sys.argv) > 1 else None).start()
    print(cluster.url(), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
