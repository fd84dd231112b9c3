import asyncio

import pytest

from tests.live_server import daphne_processes, migrated_sqlite_url, server_env
from tests.services import fresh_postgres_database, postgres_service, redis_service


@pytest.fixture(scope="session")
def redis_url():
    with redis_service() as url:
        yield url


@pytest.fixture(scope="session")
def postgres_server_url():
    with postgres_service() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server_url):
    """An empty PostgreSQL database of this test's own."""
    with fresh_postgres_database(postgres_server_url) as url:
        yield url


@pytest.fixture
def embedded_server():
    """The embedded default: one Daphne, SQLite, the in-memory channel layer."""
    with (
        migrated_sqlite_url() as database_url,
        daphne_processes(server_env(database_url)) as (server,),
    ):
        yield server


@pytest.fixture
def scaled_servers(postgres_url, redis_url):
    """The scaled-out mode: two Daphne processes sharing PostgreSQL and Redis."""
    with daphne_processes(server_env(postgres_url, redis_url), count=2) as servers:
        yield servers


@pytest.fixture
async def release_db_thread_connections():
    """Close what the test left open, so the test database can be dropped.

    That is the thread of database_sync_to_async, the committer's thread
    (SQLite) and its connections (PostgreSQL).
    """
    yield
    from channels.db import database_sync_to_async
    from django.db import connections

    from docs_app.async_commit import idle_connections
    from editor.service import commit_executor

    await database_sync_to_async(connections.close_all)()
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(commit_executor(), connections.close_all)
    await idle_connections.close_all()
