"""A throwaway PostgreSQL server for the test session, so the store, the outbox and the SLA clock
are tested on the database a scaled-out deployment uses, not only on SQLite.

`INTAKE_TEST_PG_URL` (a server URL whose user may create databases) uses an existing server;
otherwise, where PostgreSQL's programs are installed (`initdb`, `pg_ctl`), a cluster is created in
a temporary folder on its own port and removed afterwards; where neither is there, the PostgreSQL
runs of those tests are skipped with that reason.
"""
from __future__ import annotations

import getpass
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import List, Optional

import psycopg2
from sqlalchemy.engine import make_url

PG_BIN_DIRS = ["/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"]


def _program(name: str) -> Optional[str]:
    return shutil.which(name) or next((str(Path(d) / name) for d in PG_BIN_DIRS if (Path(d) / name).exists()), None)


class Postgres:
    def __init__(self, port: int) -> None:
        self.port = port
        self.folder: Optional[Path] = None
        self.server_url: Optional[str] = os.environ.get("INTAKE_TEST_PG_URL")
        self.why_not = ""

    def _as_owner(self, args: List[str]) -> List[str]:
        """PostgreSQL refuses to run as root: run it as the `postgres` user then."""
        if os.geteuid() != 0:
            return args
        return ["runuser", "-u", "postgres", "--", *args]

    def start(self) -> "Postgres":
        if self.server_url:
            return self
        initdb, pg_ctl = _program("initdb"), _program("pg_ctl")
        if not initdb or not pg_ctl:
            self.why_not = "no PostgreSQL server: set INTAKE_TEST_PG_URL or install postgresql"
            return self
        self.folder = Path(tempfile.mkdtemp(prefix="intake-pg-"))
        data = self.folder / "data"
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        user = "postgres" if os.geteuid() == 0 else getpass.getuser()
        run = dict(check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
        try:
            subprocess.run(self._as_owner([initdb, "-D", str(data), "-A", "trust", "-U", user, "-E", "UTF8",
                                           "--locale=C.UTF-8"]), **run)
            options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=400 " \
                      "-c fsync=off -c synchronous_commit=off"
            subprocess.run(self._as_owner([pg_ctl, "-D", str(data), "-o", options, "-l", str(self.folder / "log"),
                                           "-w", "start"]), **run)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            detail = getattr(exc, "stderr", b"") or b""
            self.why_not = f"PostgreSQL did not start: {exc} {detail.decode(errors='replace')[-300:]}"
            return self
        self.server_url = f"postgresql+psycopg2://{user}@127.0.0.1:{self.port}/postgres"
        return self

    def new_database(self) -> str:
        """The URL of a new, empty database."""
        url = make_url(self.server_url)
        name = f"t_{uuid.uuid4().hex[:16]}"
        connection = psycopg2.connect(host=url.host, port=url.port, user=url.username, password=url.password,
                                      dbname=url.database or "postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {name}")
        connection.close()
        return url.set(database=name).render_as_string(hide_password=False)

    def stop(self) -> None:
        if self.folder is None:
            return
        pg_ctl = _program("pg_ctl")
        subprocess.run(self._as_owner([pg_ctl, "-D", str(self.folder / "data"), "-m", "immediate", "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)
