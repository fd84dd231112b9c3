"""Documents over REST: list with filters and paging, create, read, rename, delete; auth."""

from unittest import mock

import pytest
from rest_framework.pagination import PageNumberPagination
from rest_framework.test import APIClient

from docs_app.models import Collaborator, Document
from tests.rest_support import make_cast, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return make_cast()


def titles(response) -> list[str]:
    return sorted(document["title"] for document in response.json()["results"])


def test_a_document_has_the_fields_of_the_protocol(cast):
    body = cast.client("editor").get(cast.url).json()
    owner = cast.users["owner"]
    assert set(body) >= {"id", "title", "owner", "rev", "role", "created_at", "updated_at"}
    assert body["id"] == str(cast.document.pk)
    assert body["owner"] == {"id": owner.pk, "username": "owner"}
    assert (body["title"], body["rev"], body["role"]) == ("Plan", 0, "editor")


@pytest.mark.parametrize("who", ["owner", "editor", "viewer"])
def test_the_list_gives_each_caller_their_role(cast, who):
    body = cast.client(who).get("/api/documents/").json()
    assert [document["role"] for document in body["results"]] == [who]


def test_the_list_has_only_visible_documents(cast):
    Document.objects.create(owner=cast.users["stranger"], title="Secret")
    assert titles(cast.client("viewer").get("/api/documents/")) == ["Plan"]
    assert titles(cast.client("stranger").get("/api/documents/")) == ["Secret"]


def test_the_list_filters_owned_shared_and_by_title(cast):
    editor = cast.users["editor"]
    Document.objects.create(owner=editor, title="Own notes")
    api = cast.client("editor")
    assert titles(api.get("/api/documents/")) == ["Own notes", "Plan"]
    assert titles(api.get("/api/documents/?owned=1")) == ["Own notes"]
    assert titles(api.get("/api/documents/?shared=1")) == ["Plan"]
    assert titles(api.get("/api/documents/?search=NOTES")) == ["Own notes"]
    assert titles(api.get("/api/documents/?shared=true&search=plan")) == ["Plan"]


@mock.patch.object(PageNumberPagination, "page_size", 2)
def test_the_list_is_paginated(cast):
    for number in range(3):
        Document.objects.create(owner=cast.users["owner"], title=f"Extra {number}")
    api = cast.client("owner")
    first = api.get("/api/documents/").json()
    assert len(first["results"]) == 2 and first["next"]
    rest = api.get(first["next"]).json()
    assert rest["next"] is None
    assert len(rest["results"]) == 2


def test_create_answers_201_with_the_document(cast):
    response = cast.client("stranger").post("/api/documents/", {"title": "New"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["title"], body["rev"], body["role"]) == ("New", 0, "owner")
    document = Document.objects.get(pk=body["id"])
    assert document.owner == cast.users["stranger"]
    assert document.content == [{"insert": "\n"}]


def test_create_without_a_title_gets_the_default(cast):
    response = cast.client("owner").post("/api/documents/", {}, format="json")
    assert response.status_code == 201
    assert response.json()["title"] == "Untitled document"


@pytest.mark.parametrize("title", ["", "x" * 201])
def test_create_with_a_bad_title_says_what_is_wrong(cast, title):
    response = cast.client("owner").post("/api/documents/", {"title": title}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("title: ")
    assert body["code"] == "invalid"
    assert "title" in body["errors"]


def test_rename_announces_the_title_to_live_editors_after_commit(
    cast, django_capture_on_commit_callbacks
):
    with (
        mock.patch("editor.service.announce_title") as announce,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = cast.client("owner").patch(cast.url, {"title": "Renamed"}, format="json")
    assert response.status_code == 200
    assert response.json()["title"] == "Renamed"
    assert cast.refresh().title == "Renamed"
    assert len(callbacks) == 1
    announce.assert_called_once_with(cast.document.pk, "Renamed")


def test_a_patch_without_a_title_changes_nothing(cast):
    with mock.patch("editor.service.announce_title") as announce:
        response = cast.client("owner").patch(cast.url, {}, format="json")
    assert response.status_code == 200
    assert response.json()["title"] == "Plan"
    announce.assert_not_called()


def test_put_is_not_offered(cast):
    response = cast.client("owner").put(cast.url, {"title": "X"}, format="json")
    assert response.status_code == 405


def test_delete_closes_live_editors_only_after_the_commit(cast, django_capture_on_commit_callbacks):
    with (
        mock.patch("editor.service.announce_deleted") as announce,
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        response = cast.client("owner").delete(cast.url)
        announce.assert_not_called()
    assert response.status_code == 204
    assert not Document.objects.filter(pk=cast.document.pk).exists()
    assert not Collaborator.objects.filter(document_id=cast.document.pk).exists()
    for callback in callbacks:
        callback()
    announce.assert_called_once_with(cast.document.pk)


def test_a_hidden_document_looks_exactly_like_a_missing_one(cast):
    api = cast.client("stranger")
    hidden = api.get(cast.url)
    missing = api.get("/api/documents/00000000-0000-4000-8000-000000000000/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == {"detail": "No such document.", "code": "not_found"}


def test_a_malformed_id_is_404(cast):
    assert cast.client("owner").get("/api/documents/not-a-uuid/").status_code == 404


def test_token_authentication_and_401_without_credentials(cast):
    api = APIClient()
    response = api.get(cast.url)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response.headers["WWW-Authenticate"] == "Token"
    token = api.post(
        "/api/auth/token/", {"username": "viewer", "password": "pw-viewer-123"}, format="json"
    ).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(cast.url).json()["role"] == "viewer"


def test_a_bad_token_is_401(cast):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get("/api/documents/").status_code == 401


def test_session_authentication_requires_the_csrf_token():
    user = make_user("carol")
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(user)
    assert api.get("/api/documents/").status_code == 200
    refused = api.post("/api/documents/", {"title": "No CSRF"}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    api.get("/accounts/login/")  # sets the CSRF cookie, as a page of the app would
    csrf = api.cookies["csrftoken"].value
    accepted = api.post(
        "/api/documents/", {"title": "With CSRF"}, format="json", HTTP_X_CSRFTOKEN=csrf
    )
    assert accepted.status_code == 201
