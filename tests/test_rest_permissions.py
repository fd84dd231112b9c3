"""Who may do what, for every endpoint and every caller: owner, editor, viewer, stranger, anonymous.

A stranger gets 404 (the document's existence is not revealed), a visible
document the caller may not change 403, no credentials 401; a refused request
changes nothing.
"""

import pytest

from docs_app.models import Collaborator, Document, Revision
from tests.rest_support import make_cast, make_user

pytestmark = pytest.mark.django_db

CALLERS = ("owner", "editor", "viewer", "stranger", "anonymous")
READ = {"owner": 200, "editor": 200, "viewer": 200}
WRITE = {"owner": 201, "editor": 201, "viewer": 403}


def owner_only(success: int) -> dict:
    return {"owner": success, "editor": 403, "viewer": 403}


# (method, path under the document, body, statuses of owner/editor/viewer)
ENDPOINTS = [
    ("get", "", None, READ),
    ("patch", "", {"title": "Renamed"}, owner_only(200)),
    ("delete", "", None, owner_only(204)),
    ("get", "content/?format=html", None, READ),
    ("get", "revisions/", None, READ),
    ("get", "diff/?from=0", None, READ),
    ("post", "ops/", {"rev": 0, "ops": [{"insert": "x"}]}, WRITE),
    ("post", "restore/", {"rev": 0}, WRITE),
    ("get", "collaborators/", None, READ),
    ("post", "collaborators/", {"username": "newcomer", "role": "viewer"}, owner_only(201)),
    ("delete", "collaborators/{viewer_id}/", None, owner_only(204)),
]
EXPECTED = {"stranger": 404, "anonymous": 401}


def state(document_id) -> tuple:
    """Return what any write would change."""
    return (
        list(Document.objects.filter(pk=document_id).values_list("title", "rev")),
        list(Revision.objects.filter(document_id=document_id).values_list("rev")),
        sorted(Collaborator.objects.filter(document_id=document_id).values_list("user_id", "role")),
    )


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(
    ("method", "path", "body", "allowed"),
    ENDPOINTS,
    ids=[f"{method.upper()} {path or '.'}" for method, path, _, _ in ENDPOINTS],
)
def test_the_permission_matrix(caller, method, path, body, allowed):
    cast = make_cast()
    make_user("newcomer")
    url = cast.url + path.format(viewer_id=cast.users["viewer"].pk)
    before = state(cast.document.pk)
    response = getattr(cast.client(caller), method)(url, body, format="json")
    expected = {**allowed, **EXPECTED}[caller]
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response.json()["detail"]
        assert state(cast.document.pk) == before


@pytest.mark.parametrize(
    ("caller", "listed", "created"),
    [("owner", 1, 201), ("viewer", 1, 201), ("stranger", 0, 201), ("anonymous", None, 401)],
)
def test_the_document_list_and_creation(caller, listed, created):
    cast = make_cast()
    api = cast.client(caller)
    response = api.get("/api/documents/")
    if listed is None:
        assert response.status_code == 401
    else:
        assert response.json()["count"] == listed
    assert api.post("/api/documents/", {"title": "Mine"}, format="json").status_code == created
