"""The first REST slice: token login and the caller's documents."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from docs_app.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def alice():
    return get_user_model().objects.create_user("alice", password="pw-alice-123")


def test_documents_need_authentication(api):
    assert api.get("/api/documents/").status_code == 401


def test_token_login_then_list_own_documents(api, alice):
    bob = get_user_model().objects.create_user("bob", password="pw-bob-123")
    Document.objects.create(owner=alice, title="Mine")
    Document.objects.create(owner=bob, title="Not mine")
    response = api.post("/api/auth/token/", {"username": "alice", "password": "pw-alice-123"})
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    body = api.get("/api/documents/").json()
    assert [document["title"] for document in body["results"]] == ["Mine"]
    assert body["results"][0]["owner"] == {"id": alice.id, "username": "alice"}
    assert body["next"] is None


def test_token_login_with_a_wrong_password_is_refused(api, alice):
    response = api.post("/api/auth/token/", {"username": "alice", "password": "wrong"})
    assert response.status_code == 400


def test_create_document(api, alice):
    api.force_authenticate(alice)
    response = api.post("/api/documents/", {"title": "Fresh"}, format="json")
    assert response.status_code == 201
    assert Document.objects.get(pk=response.json()["id"]).owner == alice
