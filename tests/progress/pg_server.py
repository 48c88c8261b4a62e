"""Start a throw-away PostgreSQL server for tests: `start_postgres(tmpdir) -> (url, stop)`.

Uses the Debian binaries (/usr/lib/postgresql/<version>/bin), listens on 127.0.0.1 on a free
port, keeps its data and socket in a temporary directory, trusts local connections, and is
stopped (fast shutdown) and deleted by `stop()`. PostgreSQL refuses to run as root, so as
root initdb/pg_ctl run as the `postgres` user in a directory that user owns.

Other rooms' tests can use it directly:

    from tests.progress.pg_server import start_postgres, PostgresUnavailable
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SERVER_USER = "postgres"


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server binaries are not installed here (the reason is the message)."""


def find_pg_bin() -> Path:
    """The newest /usr/lib/postgresql/*/bin that has initdb, pg_ctl and postgres."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
                        reverse=True)
    for candidate in candidates:
        path = Path(candidate)
        if all((path / tool).exists() for tool in ("initdb", "pg_ctl", "postgres")):
            return path
    raise PostgresUnavailable(
        "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin "
        "(install the Debian package `postgresql`, e.g. `bash tools/setup.sh test` as root)")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user() -> tuple[list[str], Callable[[Path], None]]:
    """Command prefix and a chown function: run as `postgres` when we are root."""
    if os.geteuid() != 0:
        return [], lambda _path: None
    try:
        entry = pwd.getpwnam(SERVER_USER)
    except KeyError as exc:
        raise PostgresUnavailable(f"running as root but there is no `{SERVER_USER}` user to run "
                                  "the server as (install the Debian package `postgresql`)") from exc
    runner = shutil.which("runuser")  # util-linux, always on Debian
    if runner is None:
        raise PostgresUnavailable("running as root but `runuser` is missing, so the server cannot "
                                  f"be started as `{SERVER_USER}`")
    prefix = [runner, "-u", SERVER_USER, "--"]

    def chown(path: Path) -> None:
        os.chown(path, entry.pw_uid, entry.pw_gid)
    return prefix, chown


def _run(prefix: list[str], args: list[str], log: Path, timeout: float = 120) -> None:
    result = subprocess.run(prefix + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, timeout=timeout, cwd="/")
    if result.returncode != 0:
        tail = result.stdout[-2000:]
        extra = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise RuntimeError(f"{Path(args[0]).name} failed ({result.returncode}):\n{tail}\n{extra}")


class PostgresServer:
    """A private server in its own temporary directory; `start`/`stop` may repeat (same port,
    same data), `destroy` stops it and deletes everything."""

    def __init__(self, tmpdir: str | os.PathLike[str] | None = None, port: int | None = None) -> None:
        self.bin_dir = find_pg_bin()
        self._prefix, chown = _as_server_user()
        base = Path(tmpdir) if tmpdir is not None else Path(tempfile.gettempdir())
        if self._prefix:
            base = Path(tempfile.gettempdir())  # root-owned 0700 parents would lock `postgres` out
        self.root = Path(tempfile.mkdtemp(prefix="emotion-game-pg-", dir=base))
        self.root.chmod(0o755)
        self.data, self.sockets, self.log = self.root / "data", self.root / "sock", self.root / "server.log"
        for path in (self.data, self.sockets):
            path.mkdir(mode=0o700)
            chown(path)
        self.log.touch()
        chown(self.log)
        chown(self.root)
        self.port = port or free_port()
        self.running = False
        try:
            _run(self._prefix, [str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres",
                                "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"], self.log)
        except Exception:
            shutil.rmtree(self.root, ignore_errors=True)
            raise

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} "
                   f"-c unix_socket_directories={self.sockets} -c max_connections=60 "
                   "-c shared_buffers=32MB")
        _run(self._prefix, [str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                            "-o", options, "-w", "-t", "60", "start"], self.log)
        self.running = True

    def stop(self) -> None:
        if self.running:
            self.running = False
            _run(self._prefix, [str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "fast",
                                "-w", "-t", "60", "stop"], self.log)

    def destroy(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def start_postgres(tmpdir: str | os.PathLike[str] | None = None,
                   database: str = "emotion_game") -> tuple[str, Callable[[], None]]:
    """Start a server; return (url of a fresh database `database`, stop-and-delete function).

    `tmpdir` is only a hint: as root the data must live where `postgres` can reach it, which a
    pytest tmp dir (mode 0700 under root) is not, so a private directory in /tmp is used.
    """
    server = PostgresServer(tmpdir)
    try:
        server.start()
        url = create_database(server.url(), database)
    except Exception:
        server.destroy()
        raise
    return url, server.destroy


def create_database(server_url: str, name: str) -> str:
    """CREATE DATABASE `name` on the server of `server_url`; the new database's url."""
    import psycopg
    base, _, _ = server_url.rpartition("/")
    deadline = time.monotonic() + 30
    while True:
        try:
            with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=5) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            return f"{base}/{name}"
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


if __name__ == "__main__":  # handy by hand: python tests/progress/pg_server.py
    server_url, stop_server = start_postgres()
    print(server_url, flush=True)
    try:
        input("PostgreSQL running; press Enter to stop. ")
    finally:
        stop_server()
