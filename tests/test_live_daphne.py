"""The app served by a real Daphne process over real sockets, in both deployment modes."""

import json

import pytest
import websockets

pytestmark = pytest.mark.timeout(90)


async def ping_over_websocket(server, token: str, document_id: str) -> dict:
    url = f"{server.ws_url}/ws/documents/{document_id}/"
    async with websockets.connect(
        url, additional_headers={"Authorization": f"Token {token}"}
    ) as ws:
        await ws.send(json.dumps({"type": "ping"}))
        return json.loads(await ws.recv())


def create_document(server, token: str) -> str:
    status, body = server.request("POST", "/api/documents/", {"title": "Live"}, token=token)
    assert status == 201, body
    return body["id"]


async def test_embedded_mode_serves_http_and_websocket(embedded_server):
    status, body = embedded_server.request("GET", "/healthz")
    assert (status, body) == (200, {"status": "ok"})
    token = embedded_server.create_user("alice")
    document_id = create_document(embedded_server, token)
    assert await ping_over_websocket(embedded_server, token, document_id) == {"type": "pong"}


async def test_embedded_mode_refuses_a_stranger_with_403(embedded_server):
    owner_token = embedded_server.create_user("alice")
    stranger_token = embedded_server.create_user("mallory")
    document_id = create_document(embedded_server, owner_token)
    with pytest.raises(websockets.exceptions.InvalidStatus) as refusal:
        await ping_over_websocket(embedded_server, stranger_token, document_id)
    assert refusal.value.response.status_code == 403


@pytest.mark.postgres
@pytest.mark.redis
async def test_scaled_out_mode_serves_both_processes(scaled_servers):
    first, second = scaled_servers
    token = first.create_user("alice")
    document_id = create_document(first, token)
    # The document created through one process is visible to the other: one database.
    assert await ping_over_websocket(second, token, document_id) == {"type": "pong"}
    assert await ping_over_websocket(first, token, document_id) == {"type": "pong"}
