"""The WebSocket protocol of PROTOCOL.md, message by message, through the real ASGI stack."""

import asyncio
import json
from unittest import mock

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from config.asgi import application
from docs_app.models import Collaborator, Document, Revision
from docs_app.op_store import content_cache
from editor import consumers, errors, service

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("release_db_thread_connections"),
    pytest.mark.timeout(30),
]


@database_sync_to_async
def make_user(name: str) -> str:
    user = get_user_model().objects.create_user(name, password="pw-for-tests-1")
    return Token.objects.create(user=user).key


@database_sync_to_async
def make_document(owner: str) -> Document:
    return Document.objects.create(owner=get_user_model().objects.get(username=owner))


@database_sync_to_async
def share(document: Document, username: str, role: str) -> None:
    user = get_user_model().objects.get(username=username)
    Collaborator.objects.create(document=document, user=user, role=role)


class Client:
    def __init__(self, document, token):
        self.socket = WebsocketCommunicator(
            application,
            f"/ws/documents/{document.id}/",
            headers=[(b"authorization", f"Token {token}".encode())],
        )

    async def open(self, rev=None) -> dict:
        connected, _ = await self.socket.connect()
        assert connected
        await self.send(type="sync", rev=rev)
        welcome = await self.receive()
        assert welcome["type"] == "welcome"
        return welcome

    async def send(self, **frame):
        await self.socket.send_json_to(frame)

    async def receive(self, seconds=5) -> dict:
        return await self.socket.receive_json_from(seconds)

    async def receive_type(self, kind: str) -> dict:
        while (frame := await self.receive())["type"] != kind:
            pass
        return frame

    async def silent(self, seconds=0.2) -> bool:
        return await self.socket.receive_nothing(seconds)

    async def close(self):
        await self.socket.disconnect()


@pytest.fixture
async def alice_doc():
    token = await make_user("alice")
    return await make_document("alice"), token


async def test_sync_gets_a_welcome_with_a_snapshot(alice_doc):
    document, token = alice_doc
    client = Client(document, token)
    welcome = await client.open()
    assert welcome["rev"] == 0
    assert welcome["content"] == [{"insert": "\n"}]
    assert welcome["role"] == "owner"
    assert welcome["title"] == document.title
    assert welcome["peers"] == []
    assert isinstance(welcome["session"], str) and welcome["session"]
    assert "ops" not in welcome
    await client.close()


async def test_an_op_is_acked_to_its_sender_and_broadcast_to_the_others(alice_doc):
    document, alice_token = alice_doc
    bob_token = await make_user("bob")
    await share(document, "bob", "editor")
    alice, bob = Client(document, alice_token), Client(document, bob_token)
    alice_welcome = await alice.open()
    await bob.open()
    await alice.send(
        type="op", rev=0, cid="a1", ops=[{"insert": "Hi", "attributes": {"bold": True}}]
    )
    assert await alice.receive() == {"type": "ack", "cid": "a1", "rev": 1}
    op = await bob.receive()
    assert op == {
        "type": "op",
        "rev": 1,
        "cid": "a1",
        "ops": [{"insert": "Hi", "attributes": {"bold": True}}],
        "session": alice_welcome["session"],
        "author": {"id": op["author"]["id"], "name": "alice"},
    }
    assert await alice.silent()  # no echo of one's own op
    await alice.close()
    await bob.close()


async def test_concurrent_ops_are_transformed_and_delivered_in_order(alice_doc):
    document, token = alice_doc
    first, second = Client(document, token), Client(document, token)
    await first.open()
    await second.open()
    await first.send(type="op", rev=0, cid="f1", ops=[{"insert": "abc"}])
    await second.send(type="op", rev=0, cid="s1", ops=[{"insert": "X"}])
    assert (await first.receive())["type"] == "ack"
    frames = [await second.receive(), await second.receive()]
    assert [frame["type"] for frame in frames] == ["op", "ack"]
    assert frames[0]["rev"] == 1 and frames[1] == {"type": "ack", "cid": "s1", "rev": 2}
    transformed = await first.receive()
    assert transformed["rev"] == 2
    assert transformed["ops"] == [{"retain": 3}, {"insert": "X"}]
    stored = await database_sync_to_async(Document.objects.get)(pk=document.pk)
    assert stored.content == [{"insert": "abcX\n"}]
    await first.close()
    await second.close()


async def test_sync_after_a_reconnect_catches_up_with_the_missed_ops(alice_doc):
    document, token = alice_doc
    writer = Client(document, token)
    await writer.open()
    for rev in range(3):
        await writer.send(type="op", rev=rev, cid=f"w{rev}", ops=[{"insert": str(rev)}])
        await writer.receive_type("ack")
    late = Client(document, token)
    welcome = await late.open(rev=1)
    assert welcome["rev"] == 3
    assert "content" not in welcome
    assert [(op["rev"], op["cid"], op["ops"]) for op in welcome["ops"]] == [
        (2, "w1", [{"insert": "1"}]),
        (3, "w2", [{"insert": "2"}]),
    ]
    await writer.close()
    await late.close()


async def test_a_resent_cid_is_acked_with_its_original_rev_and_applied_once(alice_doc):
    document, token = alice_doc
    client = Client(document, token)
    await client.open()
    await client.send(type="op", rev=0, cid="dup", ops=[{"insert": "once"}])
    assert await client.receive() == {"type": "ack", "cid": "dup", "rev": 1}
    await client.send(type="op", rev=0, cid="dup", ops=[{"insert": "once"}])
    assert await client.receive() == {"type": "ack", "cid": "dup", "rev": 1}
    assert await database_sync_to_async(Revision.objects.count)() == 1
    await client.close()


async def test_a_viewer_receives_ops_but_may_not_send_them(alice_doc):
    document, alice_token = alice_doc
    viewer_token = await make_user("victor")
    await share(document, "victor", "viewer")
    alice, viewer = Client(document, alice_token), Client(document, viewer_token)
    await alice.open()
    assert (await viewer.open())["role"] == "viewer"
    await viewer.send(type="op", rev=0, cid="v1", ops=[{"insert": "nope"}])
    error = await viewer.receive()
    assert (error["type"], error["code"], error["cid"]) == ("error", "forbidden", "v1")
    await alice.send(type="op", rev=0, cid="a1", ops=[{"insert": "yes"}])
    assert (await viewer.receive())["cid"] == "a1"
    assert await database_sync_to_async(Revision.objects.count)() == 1
    await alice.close()
    await viewer.close()


@pytest.mark.parametrize(
    "frame",
    [
        "not json",
        "[1, 2]",
        '{"type": "teleport"}',
        '{"type": "sync", "rev": "3"}',
        '{"type": "op", "rev": 0, "cid": "", "ops": []}',
        '{"type": "op", "rev": true, "cid": "c", "ops": []}',
        '{"type": "op", "rev": 0, "cid": "c", "ops": {"insert": "x"}}',
        '{"type": "presence", "rev": 0, "range": {"index": -1, "length": 0}}',
    ],
)
async def test_a_malformed_frame_is_bad_message_and_the_socket_stays_open(alice_doc, frame):
    document, token = alice_doc
    client = Client(document, token)
    await client.open()
    await client.socket.send_to(text_data=frame)
    error = await client.receive()
    assert (error["type"], error["code"]) == ("error", "bad_message")
    assert error["message"]
    await client.send(type="ping")
    assert await client.receive() == {"type": "pong"}
    await client.close()


async def test_an_op_before_sync_is_bad_message(alice_doc):
    document, token = alice_doc
    client = Client(document, token)
    await client.socket.connect()
    await client.send(type="op", rev=0, cid="early", ops=[{"insert": "x"}])
    error = await client.receive()
    assert (error["code"], error["cid"]) == ("bad_message", "early")
    await client.close()


async def test_an_op_that_does_not_apply_is_invalid_op_and_changes_nothing(alice_doc):
    document, token = alice_doc
    client = Client(document, token)
    await client.open()
    await client.send(type="op", rev=0, cid="bad", ops=[{"retain": 5}, {"insert": "x"}])
    error = await client.receive()
    assert (error["code"], error["cid"]) == ("invalid_op", "bad")
    assert "retain" in error["message"] or "length" in error["message"]
    assert await database_sync_to_async(Revision.objects.count)() == 0
    await client.close()


async def test_an_op_against_a_future_revision_is_bad_rev(alice_doc):
    document, token = alice_doc
    client = Client(document, token)
    await client.open()
    await client.send(type="op", rev=7, cid="future", ops=[{"insert": "x"}])
    assert (await client.receive())["code"] == "bad_rev"
    await client.send(type="sync", rev=9)
    assert (await client.receive())["code"] == "bad_rev"
    await client.close()


async def test_a_frame_over_the_size_limit_is_too_large(alice_doc, settings):
    settings.COWRITE_MAX_FRAME_BYTES = 200
    document, token = alice_doc
    client = Client(document, token)
    await client.open()
    await client.send(type="op", rev=0, cid="big", ops=[{"insert": "x" * 300}])
    assert (await client.receive())["code"] == "too_large"
    await client.close()


async def test_a_flood_of_ops_is_rate_limited_then_closed(alice_doc, settings):
    settings.COWRITE_OP_RATE, settings.COWRITE_OP_BURST, settings.COWRITE_ABUSE_LIMIT = 1, 2, 2
    document, token = alice_doc
    client = Client(document, token)
    await client.open()
    codes = []
    for index in range(6):
        await client.send(type="op", rev=index, cid=f"f{index}", ops=[{"insert": "x"}])
    while len(codes) < 6:
        output = await client.socket.receive_output(5)
        if output["type"] == "websocket.close":
            codes.append(output["code"])
            break
        frame = json.loads(output["text"])
        codes.append(frame.get("code", frame["type"]))
    assert codes[:2] == ["ack", "ack"]
    assert codes[2:5] == ["rate_limited"] * 3  # the third offence over the limit of 2 closes
    assert codes[5] == 4429
    assert await database_sync_to_async(Revision.objects.count)() == 2


async def test_storage_failure_is_unavailable_and_nothing_is_committed(alice_doc):
    document, token = alice_doc
    client = Client(document, token)
    await client.open()
    # A database outage is a fault we cannot cause for real inside the test database.
    failing = mock.AsyncMock(side_effect=errors.Unavailable(cid="u1"))
    with mock.patch.object(service.committer(), "commit_many", failing):
        await client.send(type="op", rev=0, cid="u1", ops=[{"insert": "x"}])
        error = await client.receive()
    assert (error["code"], error["cid"]) == ("unavailable", "u1")
    await client.send(type="op", rev=0, cid="u1", ops=[{"insert": "x"}])
    assert await client.receive() == {"type": "ack", "cid": "u1", "rev": 1}
    await client.close()


async def test_presence_is_broadcast_and_leave_follows_a_disconnect(alice_doc):
    document, token = alice_doc
    first, second = Client(document, token), Client(document, token)
    first_welcome = await first.open()
    await second.open()
    await first.send(type="presence", rev=0, range={"index": 0, "length": 1})
    presence = await second.receive()
    assert presence["type"] == "presence"
    assert presence["session"] == first_welcome["session"]
    assert presence["range"] == {"index": 0, "length": 1}
    assert presence["user"]["name"] == "alice" and presence["user"]["color"].startswith("#")
    third = Client(document, token)
    welcome = await third.open()
    assert [peer["session"] for peer in welcome["peers"]] == [first_welcome["session"]]
    await first.close()
    # A presence may come twice (a broadcast and an answer to a newcomer's hello): it is a state.
    while (frame := await second.receive())["type"] == "presence":
        assert frame["session"] == first_welcome["session"]
    assert frame == {"type": "leave", "session": first_welcome["session"]}
    await second.close()
    await third.close()


async def test_presence_floods_are_coalesced_to_the_latest_selection(alice_doc, settings):
    settings.COWRITE_PRESENCE_RATE = 5
    document, token = alice_doc
    sender, watcher = Client(document, token), Client(document, token)
    await sender.open()
    await watcher.open()
    for index in range(20):
        await sender.send(type="presence", rev=0, range={"index": 0, "length": index % 2})
    await sender.send(type="presence", rev=0, range=None)
    received = []
    while not await watcher.silent(0.5):
        received.append((await watcher.receive())["range"])
    assert 0 < len(received) <= 7
    assert received[-1] is None  # the latest selection always arrives
    await sender.close()
    await watcher.close()


async def test_a_lost_broadcast_is_filled_from_storage(alice_doc):
    document, token = alice_doc
    watcher, writer = Client(document, token), Client(document, token)
    await watcher.open()
    await writer.open()
    # Committed without a broadcast, as when the channel layer drops one.
    await database_sync_to_async(service.commit)(
        document.id, base_rev=0, ops=[{"insert": "lost "}], cid="lost", author=None, session=""
    )
    await writer.send(type="op", rev=1, cid="next", ops=[{"insert": "found"}])
    first, second = await watcher.receive(), await watcher.receive()
    assert [(first["rev"], first["cid"]), (second["rev"], second["cid"])] == [
        (1, "lost"),
        (2, "next"),
    ]
    assert first["author"] is None
    await watcher.close()
    await writer.close()


async def test_a_lost_newest_broadcast_arrives_with_the_next_heartbeat(alice_doc):
    document, token = alice_doc
    client = Client(document, token)
    await client.open()
    await database_sync_to_async(service.commit)(
        document.id, base_rev=0, ops=[{"insert": "quiet"}], cid="quiet", author=None, session=""
    )
    await client.send(type="ping")
    assert await client.receive() == {"type": "pong"}
    assert (await client.receive())["cid"] == "quiet"
    await client.close()


async def test_revoked_access_closes_with_4403_and_deletion_with_4404(alice_doc):
    document, token = alice_doc
    bob_token = await make_user("bob")
    await share(document, "bob", "editor")
    client, other = Client(document, token), Client(document, bob_token)
    await client.open()
    await other.open()
    layer = get_channel_layer()
    group = service.group_name(document.id)
    await layer.group_send(group, {"type": "document.meta", "title": "Renamed"})
    assert await client.receive() == {"type": "meta", "title": "Renamed"}
    assert await other.receive() == {"type": "meta", "title": "Renamed"}
    await layer.group_send(group, {"type": "access.changed", "user_id": -1})
    assert await client.silent()
    user_id = await database_sync_to_async(lambda: document.owner_id)()
    await layer.group_send(group, {"type": "access.changed", "user_id": user_id})
    assert await client.silent()  # the owner still has access
    await database_sync_to_async(Document.objects.filter(pk=document.pk).update)(
        owner=await database_sync_to_async(get_user_model().objects.create_user)("new-owner")
    )
    await layer.group_send(group, {"type": "access.changed", "user_id": user_id})
    assert await client.socket.receive_output(5) == {"type": "websocket.close", "code": 4403}
    await layer.group_send(group, {"type": "document.deleted"})
    assert await other.socket.receive_output(5) == {"type": "websocket.close", "code": 4404}
    await asyncio.sleep(0)


async def test_broadcasts_queued_behind_a_commit_fill_the_gap_without_reading_storage(
    alice_doc, monkeypatch
):
    # A grace far above any stall of a loaded CI machine's event loop: what is
    # checked is that the queued broadcasts fill the gap, not how fast they do.
    monkeypatch.setattr(consumers, "GAP_GRACE", 0.5)
    document, token = alice_doc
    clients = [Client(document, token) for _ in range(4)]
    for client in clients:
        await client.open()
    layer = get_channel_layer()
    with (
        mock.patch(
            "editor.consumers.op_payloads_between", wraps=consumers.op_payloads_between
        ) as storage_reads,
        mock.patch.object(layer, "send", wraps=layer.send) as layer_sends,
    ):
        for index, client in enumerate(clients):
            await client.send(type="op", rev=0, cid=f"c{index}", ops=[{"insert": str(index)}])
        for client in clients:
            frames = [await client.receive() for _ in range(4)]
            assert [frame["rev"] for frame in frames] == [1, 2, 3, 4]
            assert sum(frame["type"] == "ack" for frame in frames) == 1
        await asyncio.sleep(consumers.GAP_GRACE * 1.5)  # every grace timer has fired
    assert storage_reads.call_count == 0
    # Nor a gap.check through the channel layer: the queued broadcasts came first.
    assert not [call for call in layer_sends.call_args_list if call.args[1]["type"] == "gap.check"]
    for client in clients:
        await client.close()


def test_consecutive_users_get_different_colours():
    from editor.presence import user_color

    assert len({user_color(user_id) for user_id in range(1, 13)}) == 12


async def test_a_broadcast_of_another_process_commit_brings_this_process_cache_up(alice_doc):
    document, token = alice_doc
    client = Client(document, token)
    await client.open()
    await client.send(type="op", rev=0, cid="c1", ops=[{"insert": "one"}])
    assert (await client.receive_type("ack"))["rev"] == 1
    cached = content_cache.latest(document.id)
    # Another process commits revision 2; this process's cache knows nothing of it.
    elsewhere = await database_sync_to_async(service.commit)(
        document.id, base_rev=1, ops=[{"insert": "two "}], cid="x1", author=None, session="s"
    )
    content_cache.entries[document.id] = cached
    await get_channel_layer().group_send(
        service.group_name(document.id), service.committed_message([(elsewhere.op, None)])
    )
    assert (await client.receive())["rev"] == 2
    entry = content_cache.latest(document.id)
    assert (entry.rev, entry.content) == (2, [{"insert": "two one\n"}])
    assert [(op.rev, op.cid) for op in entry.recent] == [(1, "c1"), (2, "x1")]
    assert entry.recent[-1].session == "s"
    await client.close()
