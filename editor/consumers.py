"""WebSocket transport: decode a frame, call the pure layer, encode the answer."""

import asyncio
import secrets

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import ChannelFull
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from docs_app.op_store import head_rev, op_payloads_between, sync_state
from docs_app.selectors import document_role
from editor import errors, protocol, service
from editor.delivery import OpSequencer, SequencerOverflow
from editor.limits import AbuseCounter, TokenBucket
from editor.ordering import Submission
from editor.presence import PresenceRegistry, user_color

CLOSE_ACCESS_REVOKED = 4403
CLOSE_DOCUMENT_DELETED = 4404
CLOSE_ABUSE = 4429
# Too far behind to catch up in order (the layer lost too much): the client
# reconnects and syncs from its last revision, as after any disconnect.
CLOSE_RESYNC = 4408
# How long a gap in the revisions may wait for its broadcasts before storage is read.
GAP_GRACE = 0.05

presence_registry = PresenceRegistry()


class DocumentConsumer(AsyncWebsocketConsumer):
    sequencer: OpSequencer | None = None
    presence: dict | None = None
    gap_check_pending = False
    gap_timer: asyncio.TimerHandle | asyncio.Future | None = None

    async def dispatch(self, message):
        # Channels hops to the database thread before every handler to close stale
        # connections. Every database call here runs through database_sync_to_async,
        # which does that itself, so the hop only cost time: about three per op,
        # 13-17 % of the event loop (measured, bench/README).
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        user = self.scope["user"]
        self.document_id = self.scope["url_route"]["kwargs"]["document_id"]
        self.role = await database_sync_to_async(document_role)(user, self.document_id)
        if self.role is None:
            await self.close()  # before accept: Daphne answers the handshake with 403
            return
        self.user = user
        # Read once: the user is a lazy object and settings are too, and ops are many.
        self.user_id = user.pk
        self.max_frame_bytes = settings.COWRITE_MAX_FRAME_BYTES
        self.session = secrets.token_urlsafe(12)
        self.group = service.group_name(self.document_id)
        self.user_info = {"id": user.pk, "name": user.get_username(), "color": user_color(user.pk)}
        self.op_bucket = TokenBucket(settings.COWRITE_OP_RATE, settings.COWRITE_OP_BURST)
        rate = settings.COWRITE_PRESENCE_RATE
        self.presence_bucket = TokenBucket(rate, rate)
        self.abuse = AbuseCounter(settings.COWRITE_ABUSE_LIMIT, window=10.0)
        self.presence_flush: asyncio.TimerHandle | None = None
        # Join before anything is read, so no broadcast falls between a read and the join.
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if not hasattr(self, "group"):
            return
        if self.presence_flush is not None:
            self.presence_flush.cancel()
        if self.gap_timer is not None:
            self.gap_timer.cancel()
        presence_registry.remove(self.document_id, self.session)
        await self.channel_layer.group_send(
            self.group, {"type": "presence.leave", "session": self.session}
        )
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        try:
            message = protocol.parse_client_frame(
                text_data if text_data is not None else bytes_data,
                self.max_frame_bytes,
            )
            await self.HANDLERS[type(message)](self, message)
        except errors.DocumentNotFound:
            await self.close(CLOSE_DOCUMENT_DELETED)
        except errors.ProtocolError as error:
            await self.send(text_data=protocol.error_frame(error.code, error.message, error.cid))
            if not isinstance(error, errors.Unavailable) and self.abuse.record():
                await self.close(CLOSE_ABUSE)

    # Client messages

    async def on_ping(self, message: protocol.Ping):
        await self.send(text_data=protocol.PONG_FRAME)
        if self.sequencer is not None:
            # A lost broadcast of the newest op shows no gap until a later op arrives;
            # the client's heartbeat bounds how long that can go unnoticed.
            head = await database_sync_to_async(head_rev)(self.document_id)
            self.sequencer.note_committed(head)
            self.gap_check_pending = False  # a lost gap.check must not stall delivery
            await self.fill_gaps()

    async def on_sync(self, message: protocol.Sync):
        state = await database_sync_to_async(sync_state)(self.document_id, message.rev)
        self.sequencer = OpSequencer(state["rev"] + 1)
        peers = presence_registry.peers(self.document_id, exclude=self.session)
        await self.send(
            text_data=protocol.welcome_frame(
                session=self.session,
                rev=state["rev"],
                role=self.role,
                title=state["title"],
                peers=peers,
                content=state.get("content"),
                ops=state.get("ops"),
            )
        )
        # Peers in other processes answer with their presence.
        await self.channel_layer.group_send(
            self.group,
            {"type": "presence.hello", "session": self.session, "reply_to": self.channel_name},
        )

    async def on_op(self, message: protocol.SubmitOp):
        if self.role == "viewer":
            raise errors.Forbidden("Viewers cannot edit this document.", cid=message.cid)
        if self.sequencer is None:
            raise errors.BadMessage("Send sync before the first op.", cid=message.cid)
        if not self.op_bucket.take():
            raise errors.RateLimited("Too many ops; wait for acks.", cid=message.cid)
        submission = Submission(
            message.rev,
            message.ops,
            message.cid,
            self.user_id,
            self.session,
            self.user_info["name"],
        )
        outcome = await service.committer().submit(self.document_id, submission)
        if isinstance(outcome, errors.ProtocolError):
            raise outcome
        # The committer broadcast the op before answering, so the ack cannot overtake it.
        rev = outcome.op.rev
        self.sequencer.note_committed(rev)
        await self.deliver(self.sequencer.offer_ack(rev, protocol.ack_frame(message.cid, rev)))

    async def on_presence(self, message: protocol.Presence):
        self.presence = protocol.presence_payload(
            session=self.session, user=self.user_info, rev=message.rev, range=message.range
        )
        presence_registry.update(self.document_id, self.session, self.presence)
        if self.presence_flush is None:
            if self.presence_bucket.take():
                await self.broadcast_presence()
            else:
                # Coalesce: the latest selection goes out once the rate allows.
                loop = asyncio.get_running_loop()
                self.presence_flush = loop.call_later(
                    self.presence_bucket.wait_time(),
                    lambda: asyncio.ensure_future(self.flush_presence()),
                )

    HANDLERS = {
        protocol.Ping: on_ping,
        protocol.Sync: on_sync,
        protocol.SubmitOp: on_op,
        protocol.Presence: on_presence,
    }

    async def flush_presence(self):
        self.presence_flush = None
        self.presence_bucket.take()
        await self.broadcast_presence()

    async def broadcast_presence(self):
        await self.channel_layer.group_send(
            self.group,
            {
                "type": "presence.update",
                "session": self.session,
                "frame": protocol.encode(self.presence),
            },
        )

    # Delivery in revision order

    async def deliver(self, frames: list[str]):
        """Send deliverable frames; if revisions are missing, look for them soon."""
        for frame in frames:
            await self.send(text_data=frame)
        if self.sequencer.gap() is not None and not self.gap_check_pending:
            # The missing ops are nearly always queued for this consumer already (it
            # was busy committing its own) and fill the gap within moments. Only a
            # gap that outlives the grace period makes it read storage: a message to
            # itself per gap cost a channel-layer round trip per op (measured).
            self.gap_check_pending = True
            self.gap_timer = asyncio.get_running_loop().call_later(GAP_GRACE, self.on_gap_timer)

    def on_gap_timer(self):
        if self.sequencer.gap() is None:
            self.gap_check_pending = False
        else:
            # Through the consumer's own queue: handlers must not run concurrently.
            self.gap_timer = asyncio.ensure_future(self.request_gap_check())

    async def request_gap_check(self):
        try:
            await self.channel_layer.send(self.channel_name, {"type": "gap.check"})
        except ChannelFull:
            self.gap_timer = asyncio.get_running_loop().call_later(GAP_GRACE, self.on_gap_timer)

    async def fill_gaps(self):
        """Read the missing revisions from storage and deliver what they release."""
        try:
            while (gap := self.sequencer.gap()) is not None:
                first, last = gap
                payloads = await database_sync_to_async(op_payloads_between)(
                    self.document_id, first - 1, last
                )
                if not payloads:
                    raise errors.DocumentNotFound()  # committed ops vanish only with the document
                for payload in payloads:
                    rev, frame = payload["rev"], protocol.encode(payload)
                    for ready in self.sequencer.offer_op(rev, frame):
                        await self.send(text_data=ready)
        except SequencerOverflow:
            await self.close(CLOSE_RESYNC)
        except errors.DocumentNotFound:
            await self.close(CLOSE_DOCUMENT_DELETED)

    # Group messages

    async def gap_check(self, event):
        self.gap_check_pending = False
        await self.fill_gaps()

    async def ops_committed(self, event):
        service.follow_committed(self.document_id, event["ops"])
        if self.sequencer is not None:
            ready = []
            for rev, frame in event["ops"]:
                ready += self.sequencer.offer_op(rev, frame)
            await self.deliver(ready)

    async def presence_update(self, event):
        if event["session"] != self.session and self.sequencer is not None:
            await self.send(text_data=event["frame"])

    async def presence_hello(self, event):
        if event["session"] != self.session and self.presence is not None:
            await self.channel_layer.send(
                event["reply_to"],
                {
                    "type": "presence.update",
                    "session": self.session,
                    "frame": protocol.encode(self.presence),
                },
            )

    async def presence_leave(self, event):
        if event["session"] != self.session and self.sequencer is not None:
            await self.send(text_data=protocol.leave_frame(event["session"]))

    async def document_meta(self, event):
        await self.send(text_data=protocol.meta_frame(event["title"]))

    async def access_changed(self, event):
        if event["user_id"] != self.user_id:
            return
        self.role = await database_sync_to_async(document_role)(self.user, self.document_id)
        if self.role is None:
            await self.close(CLOSE_ACCESS_REVOKED)

    async def document_deleted(self, event):
        await self.close(CLOSE_DOCUMENT_DELETED)
