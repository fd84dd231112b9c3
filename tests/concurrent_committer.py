"""One of several processes committing to the same document at once (see test_ordering_processes).

Usage: python -m tests.concurrent_committer DOCUMENT_ID NAME COUNT SEED
Reads the database from DATABASE_URL. Each op is made against a revision read a
moment earlier, so most are concurrent with other processes' commits.
"""

import os
import random
import sys


def main(document_id: str, name: str, count: int, seed: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from docs_app.models import Document
    from editor import errors
    from editor.service import commit

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


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
