"""A real Daphne process serving the app on a free port, with its own fresh database."""

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.services import free_port, wait_for_port

PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass
class LiveServer:
    port: int
    env: dict
    process: subprocess.Popen | None = None
    log: object = None

    def stop(self) -> None:
        """Stop the Daphne process with SIGTERM, as a deploy or a restart does."""
        stop(self.process)

    def start(self) -> None:
        """Start a new Daphne process on the same port and database."""
        self.process, _ = start_daphne(self.env, self.log, self.port)

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def request(self, method: str, path: str, body=None, token: str | None = None):
        """Send one JSON request; return (status, decoded body)."""
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Token {token}"
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.http_url + path, data, headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        return status, (json.loads(raw) if raw else None)

    def manage(self, *args: str) -> str:
        return manage(self.env, *args)

    def create_user(self, username: str, password: str = "pw-for-tests-1") -> str:
        """Create a user in the server's database; return an API token for it."""
        self.manage("ensure_demo_user", "--username", username, "--password", password)
        status, body = self.request(
            "POST", "/api/auth/token/", {"username": username, "password": password}
        )
        assert status == 200, body
        return body["token"]


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def server_env(database_url: str, redis_url: str | None = None) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DEBUG"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings_test",
        DATABASE_URL=database_url,
        PYTHONUNBUFFERED="1",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


@contextlib.contextmanager
def migrated_sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="cowrite-live-") as workdir:
        yield f"sqlite:///{workdir}/db.sqlite3"


def start_daphne(env: dict, log, port: int | None = None) -> tuple[subprocess.Popen, int]:
    port = port or free_port()
    command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
    process = subprocess.Popen(
        [*command, "config.asgi:application"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, timeout=30, process=process)
    except (RuntimeError, TimeoutError) as error:
        process.kill()
        log.seek(0)
        raise RuntimeError(f"Daphne did not start: {error}\n{log.read().decode()}") from None
    return process, port


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def daphne_processes(env: dict, count: int = 1) -> Iterator[list[LiveServer]]:
    """Migrate the database in `env`, then run `count` Daphne processes sharing it."""
    manage(env, "migrate", "--noinput", "-v", "0")
    with contextlib.ExitStack() as stack:
        log = stack.enter_context(tempfile.TemporaryFile())
        servers = []
        for _ in range(count):
            process, port = start_daphne(env, log)
            server = LiveServer(port=port, env=env, process=process, log=log)
            stack.callback(lambda server=server: stop(server.process))
            servers.append(server)
        yield servers
