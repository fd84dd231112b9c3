"""Several processes commit to one document at once: the log stays exact.

PostgreSQL serialises them with a row lock, SQLite with IMMEDIATE transactions.
On PostgreSQL half the processes commit as WebSocket batches do (pipelined,
async) and half as REST does: the two paths interleave on the same lock.
"""

import subprocess
import sys

import pytest

from tests.live_editing import compose_log, stored_document
from tests.live_server import PROJECT_DIR, manage, server_env

pytestmark = pytest.mark.timeout(180)

PROCESSES = 4
OPS_PER_PROCESS = 40


@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres), "sqlite"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/db.sqlite3"
    return request.getfixturevalue("postgres_url")


def test_concurrent_committers_in_separate_processes(database_url):
    env = server_env(database_url)
    postgres = database_url.startswith("postgres")
    manage(env, "migrate", "--noinput", "-v", "0")
    document_id = create_document(env)
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.concurrent_committer",
                document_id,
                f"p{n}",
                str(OPS_PER_PROCESS),
                str(n),
                "async" if postgres and n % 2 else "sync",
            ],
            cwd=PROJECT_DIR,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    for worker in workers:
        _, stderr = worker.communicate(timeout=150)
        assert worker.returncode == 0, stderr

    rev, content, log = stored_document(database_url, document_id)
    total = PROCESSES * OPS_PER_PROCESS
    assert [row[0] for row in log] == list(range(1, total + 1)), "revisions must be gapless"
    assert rev == total
    cids = [row[2] for row in log]
    assert sorted(cids) == sorted(
        f"p{n}-{i}" for n in range(PROCESSES) for i in range(OPS_PER_PROCESS)
    )
    assert compose_log(log) == content, "stored content must equal the composition of the log"
    text = "".join(op["insert"] for op in content)
    for n in range(PROCESSES):
        for i in range(OPS_PER_PROCESS):
            assert text.count(f"[p{n}:{i}]") == 1


def create_document(env: dict) -> str:
    code = (
        "from django.contrib.auth.models import User; from docs_app.models import Document; "
        "print(Document.objects.create(owner=User.objects.create(username='owner')).pk)"
    )
    return manage(env, "shell", "-c", code).strip().splitlines()[-1]
