"""One of several processes committing to the same document at once (see test_ordering_processes).

Usage: python -m tests.concurrent_committer DOCUMENT_ID NAME COUNT SEED [sync|async]
Reads the database from DATABASE_URL. Each op is made against a revision read a
moment earlier, so most are concurrent with other processes' commits. `sync`
commits as REST does; `async` as WebSocket batches do on PostgreSQL.
"""

import asyncio
import os
import random
import sys


def main(document_id: str, name: str, count: int, seed: int, mode: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from docs_app.models import Document
    from editor import errors

    commit = commit_async if mode == "async" else commit_sync

    rng = random.Random(seed)
    for index in range(count):
        base_rev = Document.objects.values_list("rev", flat=True).get(pk=document_id)
        ops = [{"insert": f"[{name}:{index}]"}]  # at the start: valid at any revision
        for attempt in range(50):
            try:
                commit(
                    document_id,
                    base_rev=base_rev,
                    ops=ops,
                    cid=f"{name}-{index}",
                    author=None,
                    session=name,
                )
                break
            except errors.Unavailable:
                # A serialisation failure or lock timeout: resend the same cid.
                if attempt == 49:
                    raise
        if rng.random() < 0.2:
            # Resend an earlier op: must be answered with its original revision, not applied again.
            commit(
                document_id,
                base_rev=0,
                ops=ops,
                cid=f"{name}-{rng.randrange(index + 1)}",
                author=None,
                session=name,
            )


def commit_sync(document_id, **op):
    from editor.service import commit

    return commit(document_id, **op)


def commit_async(document_id, *, base_rev, ops, cid, author, session):
    from docs_app.async_commit import acommit_many
    from editor.ordering import OrderingPolicy, Submission

    submission = Submission(base_rev, ops, cid, None if author is None else author.pk, session)
    outcomes = asyncio.run(acommit_many({document_id: [submission]}, OrderingPolicy()))
    outcome = outcomes[document_id]
    result = outcome if isinstance(outcome, Exception) else outcome[0]
    if isinstance(result, Exception):
        raise result
    return result


if __name__ == "__main__":
    mode = sys.argv[5] if len(sys.argv) > 5 else "sync"
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), mode)
