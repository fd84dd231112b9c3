"""REST over the real stacks: a token-only client against a real Daphne, and REST edits,
renames, unsharing and deletion reaching live WebSocket editors."""

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework.authtoken.models import Token

from config.asgi import application
from docs_app.models import Collaborator, Document
from tests.rest_support import make_cast


@pytest.mark.timeout(90)
def test_a_token_client_works_through_the_whole_api(embedded_server):
    server = embedded_server
    alice, bob = server.create_user("alice"), server.create_user("bob")

    def call(method, path, body=None, token=alice, expect=200):
        status, answer = server.request(method, path, body, token=token)
        assert status == expect, (method, path, status, answer)
        return answer

    document = call("POST", "/api/documents/", {"title": "Story"}, expect=201)
    url = f"/api/documents/{document['id']}/"
    assert call("POST", url + "ops/", {"rev": 0, "ops": [{"insert": "Hello"}]}, expect=201)
    edit = {"rev": 1, "ops": [{"retain": 5}, {"insert": " world"}], "cid": "w"}
    assert call("POST", url + "ops/", edit, expect=201)["rev"] == 2
    assert call("POST", url + "ops/", edit)["rev"] == 2  # a retry is answered, not reapplied
    bold = {"rev": 2, "ops": [{"retain": 5, "attributes": {"bold": True}}]}
    call("POST", url + "ops/", bold, expect=201)

    log = call("GET", url + "revisions/?limit=2")
    assert [revision["rev"] for revision in log["results"]] == [1, 2]
    assert log["results"][0]["author"]["username"] == "alice"
    assert [revision["rev"] for revision in call("GET", url + "revisions/?after=2")["results"]] == [
        3
    ]

    assert call("GET", url + "content/?rev=1&format=text")["content"] == "Hello\n"
    html = call("GET", url + "content/?rev=3&format=html")["content"]
    assert html == "<p><strong>Hello</strong> world</p>"
    diff = call("GET", url + "diff/?from=1&to=2")
    assert diff == {"from": 1, "to": 2, "ops": [{"retain": 5}, {"insert": " world"}]}

    assert call("POST", url + "restore/", {"rev": 1}, expect=201)["rev"] == 4
    assert call("GET", url + "content/?format=text") == {
        "rev": 4,
        "format": "text",
        "content": "Hello\n",
    }

    call("GET", url, token=bob, expect=404)
    call("POST", url + "collaborators/", {"username": "bob", "role": "viewer"}, expect=201)
    assert call("GET", url, token=bob)["role"] == "viewer"
    call("POST", url + "ops/", {"rev": 4, "ops": []}, token=bob, expect=403)
    call("GET", url, token=None, expect=401)


@database_sync_to_async
def cast_with_tokens():
    cast = make_cast()
    tokens = {who: Token.objects.create(user=user).key for who, user in cast.users.items()}
    return cast, tokens


async def open_editor(cast, token) -> WebsocketCommunicator:
    socket = WebsocketCommunicator(
        application,
        f"/ws/documents/{cast.document.pk}/",
        headers=[(b"authorization", f"Token {token}".encode())],
    )
    connected, _ = await socket.connect()
    assert connected
    await socket.send_json_to({"type": "sync", "rev": None})
    assert (await socket.receive_json_from(5))["type"] == "welcome"
    return socket


def rest(cast, who, method, path, body=None):
    """Send one REST request from a worker thread, as a separate client would."""
    api = cast.client(who)
    return sync_to_async(getattr(api, method))(cast.url + path, body, format="json")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("release_db_thread_connections")
@pytest.mark.timeout(30)
async def test_rest_changes_reach_live_editors_at_once():
    cast, tokens = await cast_with_tokens()
    viewer, owner = (
        await open_editor(cast, tokens["viewer"]),
        await open_editor(cast, tokens["owner"]),
    )

    response = await rest(cast, "editor", "post", "ops/", {"rev": 0, "ops": [{"insert": "Hi"}]})
    assert response.status_code == 201
    frame = await viewer.receive_json_from(1)
    editor = cast.users["editor"]
    assert frame == {
        "type": "op",
        "rev": 1,
        "ops": [{"insert": "Hi"}],
        "cid": response.json()["cid"],
        "session": None,
        "author": {"id": editor.pk, "name": "editor"},
    }
    assert (await owner.receive_json_from(1))["rev"] == 1

    await rest(cast, "owner", "patch", "", {"title": "Renamed"})
    assert await viewer.receive_json_from(1) == {"type": "meta", "title": "Renamed"}

    await rest(cast, "owner", "post", "restore/", {"rev": 0})
    assert (await viewer.receive_json_from(1))["ops"] == [{"delete": 2}]

    await rest(cast, "owner", "delete", f"collaborators/{cast.users['viewer'].pk}/")
    assert await viewer.receive_output(1) == {"type": "websocket.close", "code": 4403}
    assert not await database_sync_to_async(
        Collaborator.objects.filter(user=cast.users["viewer"]).exists
    )()

    await rest(cast, "owner", "delete", "")
    assert not await database_sync_to_async(Document.objects.filter(pk=cast.document.pk).exists)()
    while (output := await owner.receive_output(1))["type"] != "websocket.close":
        pass  # the owner's socket also saw the title, the restore
    assert output["code"] == 4404
