"""The system under test: a fresh PostgreSQL database, the running Redis, Daphne processes.

Cowrite runs as in production (`config.settings`, DEBUG=0, durable commits);
the bare pipeline (`bench.bare_asgi`) runs under the same Daphne with the same
settings and channel layer.
"""

import contextlib
import hashlib
import os
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import psycopg

from bench.procstat import raise_fd_limit
from tests.live_server import PROJECT_DIR, LiveServer, manage, stop
from tests.services import free_port, wait_for_port

POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
APPS = {
    "cowrite": "config.asgi:application",
    "bare": "bench.bare_asgi:application",
    "bare-direct": "bench.bare_asgi:direct_application",
    # Cowrite with a per-statement SQL counter (only for --profile runs).
    "cowrite-counted": "bench.query_counter:application",
}
BENCH_USER = "bench"
BENCH_PASSWORD = "bench-password-not-secret"


@dataclass
class Target:
    """What the clients talk to: the servers' URLs, a token, and the Daphne process ids."""

    app: str
    servers: list[LiveServer]
    pids: list[int]
    token: str = "ignored-by-the-bare-pipeline"
    code: str = ""  # hash of the server code the processes loaded

    @property
    def ws_urls(self) -> list[str]:
        return [server.ws_url for server in self.servers]

    @property
    def first(self) -> LiveServer:
        return self.servers[0]


def server_code_hash() -> str:
    """Return a short hash of the server's Python sources, as they are on disk now.

    The tree may change between runs (others work on it); each run records what it ran.
    """
    digest = hashlib.sha1()
    for folder in ("config", "docs_app", "editor"):
        for path in sorted((PROJECT_DIR / folder).rglob("*.py")):
            digest.update(str(path.relative_to(PROJECT_DIR)).encode() + path.read_bytes())
    return digest.hexdigest()[:12]


@contextlib.contextmanager
def fresh_database() -> Iterator[str]:
    """Create an empty database for this run, yield its URL, drop it afterwards."""
    name = f"cowrite_bench_{os.getpid()}_{int(time.time())}"
    with psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_ADMIN_URL}/{name}"
    finally:
        with psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(database_url: str) -> dict:
    """Return the production-like environment of the servers (config.settings, DEBUG off)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL,
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY", secrets.token_urlsafe(40)),
        DEBUG="0",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def prepare_database(env: dict) -> None:
    """Migrate and create the benchmark user (once per run)."""
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "ensure_demo_user", "--username", BENCH_USER, "--password", BENCH_PASSWORD)


def start_daphne(app: str, env: dict, log) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), APPS[app]]
    process = subprocess.Popen(
        command,
        cwd=PROJECT_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        preexec_fn=raise_fd_limit,  # S3 holds 2,000+ sockets; this process starts no threads
    )
    try:
        wait_for_port(port, timeout=60, process=process)
    except (RuntimeError, TimeoutError) as error:
        process.kill()
        log.seek(0)
        raise RuntimeError(
            f"Daphne ({app}) did not start: {error}\n{log.read().decode()}"
        ) from None
    return process, port


@contextlib.contextmanager
def running(app: str, env: dict, processes: int = 1) -> Iterator[Target]:
    """Run `processes` Daphne processes of `app` on free ports; stop them afterwards."""
    if app.startswith("bare") and processes > 1:
        env = {**env, "BENCH_BARE_REVS": "redis"}
    with contextlib.ExitStack() as stack:
        log = stack.enter_context(tempfile.TemporaryFile())
        servers, pids, code = [], [], server_code_hash()
        for _ in range(processes):
            process, port = start_daphne(app, env, log)
            stack.callback(stop, process)
            servers.append(LiveServer(port=port, env=env))
            pids.append(process.pid)
        target = Target(app, servers, pids, code=code)
        if not app.startswith("bare"):
            target.token = login(target.first)
        yield target


def login(server: LiveServer) -> str:
    status, body = server.request(
        "POST", "/api/auth/token/", {"username": BENCH_USER, "password": BENCH_PASSWORD}
    )
    if status != 200:
        raise RuntimeError(f"POST /api/auth/token/ answered {status}: {body}")
    return body["token"]


def create_documents(target: Target, count: int) -> list[str]:
    """Create `count` documents through the REST API; return their ids."""
    if target.app.startswith("bare"):
        # The bare pipeline has no storage: any UUID is a document.
        return [str(uuid.uuid4()) for _ in range(count)]

    def create(index: int) -> str:
        server = target.servers[index % len(target.servers)]
        status, body = server.request(
            "POST", "/api/documents/", {"title": f"bench {index}"}, target.token
        )
        if status != 201:
            raise RuntimeError(f"POST /api/documents/ answered {status}: {body}")
        return body["id"]

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(create, range(count)))


def document_state(target: Target, document_id: str) -> tuple[int, str] | None:
    """Return the stored (rev, text) of a document, or None for the bare pipeline."""
    if target.app.startswith("bare"):
        return None
    path = f"/api/documents/{document_id}/content/?format=text"
    status, body = target.first.request("GET", path, token=target.token)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}: {body}")
    return body["rev"], body["content"]
