"""The pages Django serves: health, sign-in, the document list, the admin."""

import pytest
from django.contrib.auth import get_user_model

from docs_app.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return get_user_model().objects.create_user("alice", password="pw-alice-123")


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_login_page_signs_a_user_in(client, alice):
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": "alice", "password": "pw-alice-123"})
    assert response.status_code == 302
    assert response.url == "/"


def test_login_page_rejects_a_wrong_password(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert b"didn't match" in response.content


def test_document_list_requires_a_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_document_list_shows_only_my_documents(client, alice):
    bob = get_user_model().objects.create_user("bob", password="pw-bob-123")
    Document.objects.create(owner=alice, title="Alice's plan")
    Document.objects.create(owner=bob, title="Bob's secret")
    client.force_login(alice)
    body = client.get("/").content.decode()
    assert "Alice&#x27;s plan" in body
    assert "Bob" not in body.split("<main>")[1]


def test_admin_lists_documents(admin_client, alice):
    Document.objects.create(owner=alice, title="Quarterly report")
    response = admin_client.get("/admin/docs_app/document/?q=quarterly")
    assert response.status_code == 200
    assert b"Quarterly report" in response.content


def test_demo_user_command_is_idempotent(capsys):
    from django.core.management import call_command

    call_command("ensure_demo_user", username="demo", password="demo-pw-1")
    call_command("ensure_demo_user", username="demo", password="demo-pw-1")
    output = capsys.readouterr().out
    assert output.count("Created the demo user.") == 1
    assert "Demo login: username 'demo', password 'demo-pw-1'" in output
    demo = get_user_model().objects.get(username="demo")
    assert demo.is_superuser
    assert Document.objects.filter(owner=demo).count() == 1


def test_editor_page_opens_for_the_owner_and_is_404_for_others(client, alice):
    document = Document.objects.create(owner=alice, title="Draft")
    stranger = get_user_model().objects.create_user("mallory", password="pw-mallory-1")
    client.force_login(alice)
    response = client.get(f"/documents/{document.id}/")
    assert response.status_code == 200
    assert f'data-document-id="{document.id}"' in response.content.decode()
    assert 'data-role="owner"' in response.content.decode()
    client.force_login(stranger)
    assert client.get(f"/documents/{document.id}/").status_code == 404
