"""Who may open /ws/documents/<id>/, tested in-process through the real ASGI stack."""

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from config.asgi import application
from docs_app.models import Document

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("release_db_thread_connections"),
]


@database_sync_to_async
def make_document(owner_name: str = "alice"):
    owner = get_user_model().objects.create_user(owner_name, password="pw-for-tests-1")
    return Document.objects.create(owner=owner, title="Plan"), Token.objects.create(user=owner)


@database_sync_to_async
def make_stranger_token():
    stranger = get_user_model().objects.create_user("mallory", password="pw-for-tests-1")
    return Token.objects.create(user=stranger)


def communicator(document_id, token=None, origin=None, path=None, cookie=None):
    headers = []
    if token is not None:
        headers.append((b"authorization", f"Token {token}".encode()))
    if cookie is not None:
        headers.append((b"cookie", cookie.encode()))
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    return WebsocketCommunicator(
        application, path or f"/ws/documents/{document_id}/", headers=headers
    )


async def test_owner_with_token_connects_and_gets_pong():
    document, token = await make_document()
    socket = communicator(document.id, token.key)
    connected, _ = await socket.connect()
    assert connected
    await socket.send_to(text_data='{"type":"ping"}')
    assert await socket.receive_json_from() == {"type": "pong"}
    await socket.disconnect()


async def test_a_bad_frame_gets_an_error_and_the_socket_stays_open():
    document, token = await make_document()
    socket = communicator(document.id, token.key)
    await socket.connect()
    await socket.send_to(text_data="not json")
    error = await socket.receive_json_from()
    assert error["type"] == "error"
    assert error["code"] == "bad_message"
    await socket.send_to(text_data=json.dumps({"type": "ping"}))
    assert await socket.receive_json_from() == {"type": "pong"}
    await socket.disconnect()


async def test_anonymous_is_refused():
    document, _ = await make_document()
    connected, _ = await communicator(document.id).connect()
    assert not connected


async def test_an_unknown_token_is_refused():
    document, _ = await make_document()
    connected, _ = await communicator(document.id, "0" * 40).connect()
    assert not connected


async def test_a_stranger_is_refused():
    document, _ = await make_document()
    stranger_token = await make_stranger_token()
    connected, _ = await communicator(document.id, stranger_token.key).connect()
    assert not connected


async def test_a_foreign_origin_is_refused():
    document, token = await make_document()
    connected, _ = await communicator(document.id, token.key, "https://evil.example").connect()
    assert not connected


async def test_an_own_origin_is_accepted():
    document, token = await make_document()
    socket = communicator(document.id, token.key, "http://localhost:8000")
    connected, _ = await socket.connect()
    assert connected
    await socket.disconnect()


async def test_an_unknown_path_is_refused():
    _document, token = await make_document()
    connected, _ = await communicator(None, token.key, path="/ws/elsewhere/").connect()
    assert not connected


@database_sync_to_async
def session_cookie(username: str, password: str = "pw-for-tests-1") -> str:
    """Log in as a browser does and return its Cookie header."""
    from django.test import Client

    client = Client()
    assert client.login(username=username, password=password)
    return "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())


async def test_a_logged_in_browser_session_connects():
    document, _ = await make_document()
    socket = communicator(document.id, cookie=await session_cookie("alice"))
    connected, _ = await socket.connect()
    assert connected
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from() == {"type": "pong"}
    await socket.disconnect()


async def test_a_session_ended_by_a_password_change_is_refused():
    document, _ = await make_document()
    cookie = await session_cookie("alice")

    @database_sync_to_async
    def change_password():
        user = get_user_model().objects.get(username="alice")
        user.set_password("another-pw-for-tests-2")
        user.save()

    await change_password()
    connected, _ = await communicator(document.id, cookie=cookie).connect()
    assert not connected


async def test_an_unknown_session_is_refused():
    document, _ = await make_document()
    connected, _ = await communicator(document.id, cookie="sessionid=forged").connect()
    assert not connected
