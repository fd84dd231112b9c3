"""Several processes commit to one document at once on PostgreSQL: the log stays exact."""

import subprocess
import sys

import psycopg
import pytest

from editor import ot
from tests.live_server import PROJECT_DIR, manage, server_env

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(180)]

PROCESSES = 4
OPS_PER_PROCESS = 40


def test_concurrent_committers_in_separate_processes(postgres_url):
    env = server_env(postgres_url)
    manage(env, "migrate", "--noinput", "-v", "0")
    document_id = create_document(postgres_url)
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

    with psycopg.connect(postgres_url) as connection:
        revisions = connection.execute(
            "SELECT rev, ops, cid FROM docs_app_revision WHERE document_id = %s ORDER BY rev",
            (document_id,),
        ).fetchall()
        rev, content = connection.execute(
            "SELECT rev, content FROM docs_app_document WHERE id = %s", (document_id,)
        ).fetchone()

    total = PROCESSES * OPS_PER_PROCESS
    assert [row[0] for row in revisions] == list(range(1, total + 1)), "revisions must be gapless"
    assert rev == total
    cids = [row[2] for row in revisions]
    assert sorted(cids) == sorted(
        f"p{n}-{i}" for n in range(PROCESSES) for i in range(OPS_PER_PROCESS)
    )
    composed = [{"insert": "\n"}]
    for row in revisions:
        composed = ot.apply(composed, row[1])
    assert composed == content, "stored content must equal the composition of the log"
    text = "".join(op["insert"] for op in content)
    for n in range(PROCESSES):
        for i in range(OPS_PER_PROCESS):
            assert text.count(f"[p{n}:{i}]") == 1


def create_document(database_url: str) -> str:
    with psycopg.connect(database_url) as connection:
        user_id = connection.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, "
            "email, is_staff, is_active, date_joined) "
            "VALUES ('!', false, 'owner', '', '', '', false, true, now()) RETURNING id"
        ).fetchone()[0]
        return str(
            connection.execute(
                "INSERT INTO docs_app_document (id, title, owner_id, rev, content, created_at, "
                "updated_at) VALUES (gen_random_uuid(), 'race', %s, 0, '[{\"insert\": \"\\n\"}]', "
                "now(), now()) RETURNING id",
                (user_id,),
            ).fetchone()[0]
        )
