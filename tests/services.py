"""Real Redis and PostgreSQL for the tests: from the environment, or throwaway ones.

REDIS_URL / DATABASE_URL win. Otherwise, when redis-server / pg_ctl are on PATH,
a private instance is started on a free port and removed afterwards. With
neither, the tests that need the service skip with the reason — unless
REQUIRE_SERVICES=1 (CI), where they fail instead.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator

import pytest


def service_unavailable(reason: str):
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20.0, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def redis_reachable(url: str) -> bool:
    import redis

    try:
        return redis.Redis.from_url(url, socket_timeout=2).ping()
    except redis.RedisError:
        return False


@contextlib.contextmanager
def redis_service() -> Iterator[str]:
    url = os.environ.get("REDIS_URL")
    if url:
        if not redis_reachable(url):
            service_unavailable(f"REDIS_URL={url} does not answer PING")
        yield url
        return
    server = shutil.which("redis-server")
    if server is None:
        service_unavailable("REDIS_URL is unset and redis-server is not on PATH")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="cowrite-redis-") as workdir:
        process = subprocess.Popen(
            [
                server,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                workdir,
            ],
            stdout=subprocess.DEVNULL,
        )
        try:
            wait_for_port(port, process=process)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            process.wait(10)


def postgres_reachable(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def _as_postgres_user(command: list[str]) -> list[str]:
    # initdb refuses to run as root; use the system's postgres account when we are root.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@contextlib.contextmanager
def postgres_service() -> Iterator[str]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        if not postgres_reachable(url):
            service_unavailable(f"DATABASE_URL={url} does not accept connections")
        yield url
        return
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl is None:
        service_unavailable("DATABASE_URL is not a postgres:// URL and pg_ctl is not on PATH")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        service_unavailable("running as root without runuser: cannot start a throwaway PostgreSQL")
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="cowrite-pg-")
    os.chmod(workdir, 0o777)
    data = os.path.join(workdir, "data")
    run = lambda *args: subprocess.run(  # noqa: E731
        _as_postgres_user([pg_ctl, *args]), check=True, capture_output=True, text=True
    )
    try:
        try:
            run("initdb", "-D", data, "-o", "-A trust -U postgres --no-sync")
            run(
                "start",
                "-D",
                data,
                "-w",
                "-l",
                os.path.join(workdir, "log"),
                "-o",
                f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off",
            )
        except subprocess.CalledProcessError as error:
            service_unavailable(f"could not start a throwaway PostgreSQL: {error.stderr.strip()}")
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            run("stop", "-D", data, "-m", "immediate", "-w")
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def fresh_postgres_database(server_url: str) -> Iterator[str]:
    """Create an empty database on the server for one test's processes; drop it afterwards."""
    import psycopg

    name = f"cowrite_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(server_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
