"""Cowrite with SQL and thread-hop counters, for `bench.run --profile` only.

    daphne bench.query_counter:application

Counted and timed by kind: every SQL statement ("SELECT docs_app_revision",
"SELECT docs_app_document FOR UPDATE", ...), every COMMIT (where a durable
commit waits for the WAL flush), every connection health check (`SELECT 1`,
run outside Django's cursor), and every hop to a worker thread through
asgiref's SyncToAsync (its wall time includes the wait for the thread).
`GET /__bench__/queries` answers the counts since `POST /__bench__/queries`
reset them. The server code is untouched: the counters wrap library calls.
"""

import re
import threading
import time
from collections import defaultdict

import orjson
from asgiref.sync import SyncToAsync
from django.db.backends.postgresql.base import DatabaseWrapper
from django.db.backends.signals import connection_created

from config.asgi import application as cowrite_application

STATS_PATH = "/__bench__/queries"
TABLE = re.compile(r'\b(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', re.IGNORECASE)


class StatementCounter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.started = time.perf_counter()
            self.kinds: dict[str, list] = defaultdict(lambda: [0, 0.0])

    def record(self, kind: str, seconds: float) -> None:
        with self.lock:
            entry = self.kinds[kind]
            entry[0] += 1
            entry[1] += seconds

    def timed(self, kind: str):
        """Return a context manager that records the time spent inside it under `kind`."""
        return Timed(self, kind)

    def report(self) -> dict:
        with self.lock:
            kinds = {
                kind: {"count": n, "seconds": round(s, 4)} for kind, (n, s) in self.kinds.items()
            }
            return {"wall_seconds": round(time.perf_counter() - self.started, 3), "kinds": kinds}

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.record(statement_kind(sql), time.perf_counter() - started)


def statement_kind(sql: str) -> str:
    verb = sql.lstrip().split(None, 1)[0].upper()
    table = TABLE.search(sql)
    kind = f"{verb} {table.group(1) if table else ''}".strip()
    return kind + " FOR UPDATE" if "FOR UPDATE" in sql else kind


counter = StatementCounter()


def count_statements(sender, connection, **kwargs) -> None:
    if counter not in connection.execute_wrappers:
        connection.execute_wrappers.append(counter)


class Timed:
    def __init__(self, owner: StatementCounter, kind: str) -> None:
        self.owner, self.kind = owner, kind

    def __enter__(self) -> None:
        self.started = time.perf_counter()

    def __exit__(self, *exc) -> None:
        self.owner.record(self.kind, time.perf_counter() - self.started)


def timed_method(method, kind: str):
    def timed(self, *args, **kwargs):
        with counter.timed(kind):
            return method(self, *args, **kwargs)

    return timed


def counted_hop(call):
    async def hop(self, *args, **kwargs):
        with counter.timed(f"thread hop: {getattr(self.func, '__name__', '?')}"):
            return await call(self, *args, **kwargs)

    return hop


connection_created.connect(count_statements)
DatabaseWrapper._commit = timed_method(DatabaseWrapper._commit, "COMMIT")
DatabaseWrapper.is_usable = timed_method(DatabaseWrapper.is_usable, "SELECT 1 (health check)")
SyncToAsync.__call__ = counted_hop(SyncToAsync.__call__)


async def application(scope, receive, send):
    if scope["type"] == "http" and scope["path"] == STATS_PATH:
        if scope["method"] == "POST":
            counter.reset()
        body = orjson.dumps(counter.report())
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})
        return
    await cowrite_application(scope, receive, send)
