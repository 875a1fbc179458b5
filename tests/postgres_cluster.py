"""A throw-away PostgreSQL cluster for the tests: initdb in a temp folder, listening on 127.0.0.1 only.

PostgreSQL refuses to run as root, so as root the cluster belongs to ``nobody``.
Where no server can be started, :func:`start_cluster` says why and the
PostgreSQL tests skip with that reason.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from itertools import count
from pathlib import Path

SUPERUSER = "crisis"
_databases = count(1)


@dataclass
class Cluster:
    folder: Path
    port: int
    pg_ctl: str
    run_as: list[str]

    def address(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """The address of a fresh, empty database."""
        import psycopg

        name = f"test_{os.getpid()}_{next(_databases)}"
        with psycopg.connect(self.address(), autocommit=True) as connection:
            connection.execute(f'create database "{name}"')
        return self.address(name)

    def stop(self) -> None:
        subprocess.run([*self.run_as, self.pg_ctl, "-D", str(self.folder / "data"), "-m", "immediate", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)


def server_binaries() -> Path | None:
    """The folder with initdb and pg_ctl: on PATH, or Debian's newest /usr/lib/postgresql/N/bin."""
    if shutil.which("initdb") and shutil.which("pg_ctl"):
        return Path(shutil.which("initdb")).parent  # type: ignore[arg-type]
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_cluster() -> Cluster | str:
    """A running cluster, or the reason none could be started."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed: pip install -e '.[test]'"
    binaries = server_binaries()
    if binaries is None:
        return "no PostgreSQL server: apt-get install postgresql (.ci/run installs it when run as root)"
    folder = Path(tempfile.mkdtemp(prefix="crisis-sim-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            return "running as root without runuser, and PostgreSQL will not run as root"
        run_as = ["runuser", "-u", "nobody", "--"]
        shutil.chown(folder, "nobody")
    folder.chmod(0o755)
    port = free_port()
    data = folder / "data"
    steps = [
        [str(binaries / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"],
        [
            str(binaries / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w", "-t", "60", "-o",
            f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off -c max_connections=40 -c shared_buffers=16MB", "start",
        ],
    ]  # fmt: skip
    for step in steps:
        done = subprocess.run([*run_as, *step], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            log = (folder / "server.log").read_text(errors="replace")[-500:] if (folder / "server.log").exists() else ""
            shutil.rmtree(folder, ignore_errors=True)
            return f"could not start PostgreSQL ({Path(step[0]).name}): {(done.stderr or done.stdout).strip()[-300:]} {log}"
    return Cluster(folder, port, str(binaries / "pg_ctl"), run_as)
