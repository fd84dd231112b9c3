"""The SQL of the commit path, for PostgreSQL and SQLite.

Written by hand because it runs for every committed op, where building the
queries with the ORM cost more than the database took to run them (measured).
JSON travels as text both ways and is encoded and decoded with orjson.
"""

import functools
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from docs_app.models import Document

REVISION_COLUMNS = "rev, {ops}, cid, session, author_id"


@dataclass(frozen=True)
class Statements:
    lock_document: str
    select_content: str
    select_log: str  # ends with "IN (" and takes the placeholders of the cids
    insert_revision: str
    update_document: str
    insert_snapshot: str

    def log_since(self, cid_count: int) -> str:
        """Select the ops after a revision (up to the head) and those with any of the cids."""
        return self.select_log + ", ".join(["%s"] * cid_count or ["NULL"]) + ")) ORDER BY rev"


# The read of a pipelined commit on PostgreSQL (docs_app.async_commit): the lock
# skips the content when the cache holds it at the locked revision, and the log
# is read without knowing the revision yet, never further back than an op
# could be transformed from (COWRITE_MAX_TRANSFORM).
LOCK_FOR_COMMIT = (
    "SELECT rev, CASE WHEN rev = %s THEN NULL ELSE content::text END "
    "FROM docs_app_document WHERE id = %s FOR UPDATE"
)
LOG_FOR_COMMIT = (
    f"SELECT {REVISION_COLUMNS.format(ops='ops::text')} FROM docs_app_revision "
    "WHERE document_id = %s AND (rev > GREATEST(%s, "
    "(SELECT rev FROM docs_app_document WHERE id = %s) - %s) OR cid = ANY(%s)) ORDER BY rev"
)


@functools.cache
def statements_for(vendor: str) -> Statements:
    postgres = vendor == "postgresql"
    json_in = "%s::jsonb" if postgres else "%s"
    columns = REVISION_COLUMNS.format(ops="ops::text" if postgres else "ops")
    return Statements(
        lock_document="SELECT rev FROM docs_app_document WHERE id = %s"
        + (" FOR UPDATE" if postgres else ""),
        select_content="SELECT {} FROM docs_app_document WHERE id = %s".format(
            "content::text" if postgres else "content"
        ),
        select_log=f"SELECT {columns} FROM docs_app_revision "
        "WHERE document_id = %s AND ((rev > %s AND rev <= %s) OR cid IN (",
        insert_revision="INSERT INTO docs_app_revision "
        "(document_id, rev, ops, cid, session, author_id, created_at) "
        f"VALUES (%s, %s, {json_in}, %s, %s, %s, %s)",
        update_document=f"UPDATE docs_app_document SET rev = %s, content = {json_in}, "
        "updated_at = %s WHERE id = %s",
        insert_snapshot="INSERT INTO docs_app_snapshot (document_id, rev, content, created_at) "
        f"VALUES (%s, %s, {json_in}, %s)",
    )


def statements() -> Statements:
    return statements_for(connection.vendor)


def primary_key(document_id):
    """Return the document id as the database stores it (a UUID, or hex text on SQLite)."""
    return Document._meta.pk.get_db_prep_value(document_id, connection)


def adapt_now():
    return connection.ops.adapt_datetimefield_value(timezone.now())
