"""The bare Channels pipeline the benchmarks compare Cowrite against: no OT, no storage.

Same routing shape (`/ws/documents/<uuid>/`), same Daphne, same CHANNEL_LAYERS
(read from `config.settings`), and just enough of PROTOCOL.md for the reference
client: `welcome` with an empty document, `op` broadcast to the document's group
with the next revision, `ack`, `pong`. The Token header is ignored.

A revision comes from an in-process counter per document, or from Redis INCR
when `BENCH_BARE_REVS=redis` (several processes must agree on revisions). Every
op goes out once through `group_send`; each consumer, the sender included,
releases the group's messages in revision order, and the sender's own op coming
back is its ack. That gives the client the ordering PROTOCOL.md promises
(the ack for revision k after every op below k) without storage.

    daphne bench.bare_asgi:application
    daphne bench.bare_asgi:direct_application   # without the per-message thread hop
"""

import itertools
import os
import secrets
from collections import defaultdict

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

import orjson  # noqa: E402
from channels.consumer import get_handler_name  # noqa: E402
from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import WebsocketDenier  # noqa: E402
from django.urls import path, re_path  # noqa: E402

EMPTY_DOCUMENT = [{"insert": "\n"}]
MAX_OUT_OF_ORDER = 1000  # pending revisions before a consumer gives up on a lost one
PONG = orjson.dumps({"type": "pong"}).decode()


class RevisionCounter:
    """The next revision of each document: in-process, or shared through Redis INCR."""

    def __init__(self) -> None:
        self.local: dict[str, itertools.count] = defaultdict(lambda: itertools.count(1))
        self.current: dict[str, int] = defaultdict(int)
        self.redis = None
        if os.environ.get("BENCH_BARE_REVS") == "redis":
            import redis.asyncio

            self.redis = redis.asyncio.Redis.from_url(os.environ["REDIS_URL"])

    async def next(self, document: str) -> int:
        if self.redis is not None:
            return await self.redis.incr(f"bench.bare.rev.{document}")
        rev = next(self.local[document])
        self.current[document] = rev
        return rev

    async def head(self, document: str) -> int:
        if self.redis is not None:
            return int(await self.redis.get(f"bench.bare.rev.{document}") or 0)
        return self.current[document]


counter = RevisionCounter()


class BareConsumer(AsyncWebsocketConsumer):
    next_rev: int | None = None

    async def connect(self):
        self.document = str(self.scope["url_route"]["kwargs"]["document_id"])
        self.group = f"bare.{self.document}"
        self.session = secrets.token_urlsafe(12)
        self.pending: dict[int, dict] = {}
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        message = orjson.loads(text_data if text_data is not None else bytes_data)
        kind = message.get("type")
        if kind == "sync":
            await self.on_sync()
        elif kind == "op":
            await self.on_op(message)
        elif kind == "ping":
            await self.send(text_data=PONG)

    async def on_sync(self):
        rev = await counter.head(self.document)
        self.next_rev = rev + 1
        welcome = {"type": "welcome", "session": self.session, "rev": rev, "role": "owner"}
        welcome.update(title="", peers=[], content=EMPTY_DOCUMENT)
        await self.send(text_data=orjson.dumps(welcome).decode())

    async def on_op(self, message: dict):
        rev = await counter.next(self.document)
        frame = {"type": "op", "rev": rev, "ops": message["ops"], "cid": message["cid"]}
        frame.update(session=self.session, author=None)
        event = {"type": "bare.op", "rev": rev, "frame": orjson.dumps(frame).decode()}
        event.update(session=self.session, cid=message["cid"])
        await self.channel_layer.group_send(self.group, event)

    async def bare_op(self, event):
        if self.next_rev is None or event["rev"] < self.next_rev:
            return  # before our welcome: already in its revision
        self.pending[event["rev"]] = event
        while self.next_rev in self.pending:
            await self.release(self.pending.pop(self.next_rev))
            self.next_rev += 1
        if len(self.pending) > MAX_OUT_OF_ORDER:
            await self.close(1011)  # a broadcast was lost; the client resyncs

    async def release(self, event: dict):
        if event["session"] == self.session:
            ack = {"type": "ack", "cid": event["cid"], "rev": event["rev"]}
            await self.send(text_data=orjson.dumps(ack).decode())
        else:
            await self.send(text_data=event["frame"])


class DirectBareConsumer(BareConsumer):
    """BareConsumer without Channels 4.2+'s per-message hop to the database thread.

    `AsyncConsumer.dispatch` awaits `aclose_old_connections()` (a
    sync_to_async call) before every handler, for every frame and every group
    message; this variant measures what that hop costs the pipeline.
    """

    async def dispatch(self, message):
        await getattr(self, get_handler_name(message))(message)


def websocket_application(consumer: type[BareConsumer]) -> ProtocolTypeRouter:
    return ProtocolTypeRouter(
        {
            "websocket": URLRouter(
                [
                    path("ws/documents/<uuid:document_id>/", consumer.as_asgi()),
                    re_path(r"", WebsocketDenier.as_asgi()),
                ]
            )
        }
    )


application = websocket_application(BareConsumer)
direct_application = websocket_application(DirectBareConsumer)
