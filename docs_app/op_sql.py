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


# The commit of a WebSocket batch on PostgreSQL (docs_app.async_commit): one
# statement each for any number of documents.
#
# READ: every document's rev, its content unless the cache holds that revision,
# and the ops after `since` (never further back than COWRITE_MAX_TRANSFORM) or
# with a cid of the batch. One snapshot: the rows agree with each other.
READ_FOR_COMMIT = """
WITH request AS (
    SELECT * FROM unnest(%(ids)s::uuid[], %(since)s::int[], %(cached_revs)s::int[])
        AS q(id, since, cached_rev)
), document AS (
    SELECT d.id, d.rev,
           CASE WHEN d.rev = q.cached_rev THEN NULL ELSE d.content::text END AS content,
           LEAST(d.rev, GREATEST(q.since, d.rev - %(max_transform)s)) AS read_after
    FROM docs_app_document d JOIN request q ON q.id = d.id
)
SELECT true, id, rev, content, read_after, NULL, NULL, NULL FROM document
UNION ALL
SELECT false, r.document_id, r.rev, r.ops::text, NULL, r.cid, r.session, r.author_id
FROM docs_app_revision r JOIN document d ON r.document_id = d.id
WHERE r.rev > d.read_after
   OR (r.document_id, r.cid) IN (SELECT * FROM unnest(%(cid_ids)s::uuid[], %(cids)s::text[]))
ORDER BY 1 DESC, 2, 3
"""
# LOCK, in id order as commit_many does. Its own statement: a statement that
# waited for a lock sees the locked row as it is now but every other row as it
# was when the statement began, which would miss the ops committed meanwhile.
LOCK_DOCUMENTS = "SELECT id FROM docs_app_document WHERE id = ANY(%s) ORDER BY id FOR UPDATE"
# WRITE: for each document still at `expected_rev` and holding none of the
# new ops' cids, store the new revisions, content and snapshots; return the
# ids of those documents. Any other document is left as it was. The rows come
# as three JSON arrays (encoded by orjson: adapting Python lists cost more).
WRITE_COMMITS = """
WITH locked AS (
    -- A document another transaction is writing is skipped, not waited for: its
    -- revision is about to change anyway, and waiting made every batch of one
    -- process queue behind the other's fsync (measured). Never waiting for a
    -- document, it cannot deadlock with another process's batch either.
    SELECT id FROM docs_app_document WHERE id = ANY(%(ids)s::uuid[])
    FOR NO KEY UPDATE SKIP LOCKED
), document AS (
    UPDATE docs_app_document d
    SET rev = w.new_rev, content = w.content, updated_at = %(now)s
    FROM jsonb_to_recordset(%(documents)s::jsonb)
        AS w(id uuid, expected_rev int, new_rev int, content jsonb)
    WHERE d.id = w.id AND d.id IN (SELECT id FROM locked)
      AND d.rev = w.expected_rev AND NOT EXISTS (
        SELECT 1 FROM docs_app_revision r
        JOIN jsonb_to_recordset(%(ops)s::jsonb) AS c(id uuid, cid text)
            ON r.document_id = c.id AND r.cid = c.cid
        WHERE c.id = w.id
    )
    RETURNING d.id
), revision AS (
    INSERT INTO docs_app_revision (document_id, rev, ops, cid, session, author_id, created_at)
    SELECT o.id, o.rev, o.ops, o.cid, o.session, o.author_id, %(now)s
    FROM jsonb_to_recordset(%(ops)s::jsonb)
        AS o(id uuid, rev int, ops jsonb, cid text, session text, author_id bigint)
    WHERE o.id IN (SELECT id FROM document)
), snapshot AS (
    INSERT INTO docs_app_snapshot (document_id, rev, content, created_at)
    SELECT s.id, s.rev, s.content, %(now)s
    FROM jsonb_to_recordset(%(snapshots)s::jsonb) AS s(id uuid, rev int, content jsonb)
    WHERE s.id IN (SELECT id FROM document)
)
SELECT id FROM document
"""


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
