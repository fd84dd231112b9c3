"""The client side of PROTOCOL.md: a pure sync state machine and an asyncio transport.

`CollabState` is the whole algorithm, in the style of prosemirror-collab and
ot.js: the server's order is the truth, at most one op is in flight, local
edits made meanwhile are composed into a buffer, and every remote op is
transformed past the in-flight op and the buffer. It does no I/O, so tests can
drive it against an in-memory server. `ReferenceClient` only moves frames
between a WebSocket and that state, reconnecting when the connection drops;
benchmarks and black-box tests use it as a well-behaved client.
"""

import asyncio
import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from editor import ot

Ops = list[dict[str, Any]]

# An op error with one of these codes left nothing committed: resend the same cid later.
RETRYABLE_OP_ERRORS = frozenset({"unavailable", "rate_limited"})
# After these close codes (PROTOCOL.md) reconnecting cannot help.
FINAL_CLOSE_CODES = frozenset({4403, 4404, 4429})
MAX_CLIENT_ID_LENGTH = 40  # leaves room for "-<counter>" within the 64-character cid


class ProtocolViolation(Exception):
    """The server broke the wire contract (a gap, a duplicate, an ack out of place)."""

    code = "protocol_violation"


class NotSynced(Exception):
    """A local edit before the first welcome: there is no document to edit yet."""

    code = "not_synced"


class InflightOp(NamedTuple):
    ops: Ops
    cid: str


class CollabState:
    """The client's view of one document: the last server revision and the unconfirmed edits.

    `document` is the local document: revision `rev` with `inflight` and then
    `buffer` applied. `inflight` was sent (or is about to be) against `rev`;
    `buffer` holds the edits made since, against `rev` plus `inflight`.
    """

    def __init__(self, client_id: str) -> None:
        if not 0 < len(client_id) <= MAX_CLIENT_ID_LENGTH:
            raise ValueError(f"client_id must be 1 to {MAX_CLIENT_ID_LENGTH} characters")
        self.client_id = client_id
        self.rev: int | None = None
        self.document: Ops | None = None
        self.inflight: InflightOp | None = None
        self.buffer: Ops | None = None
        self.edits_discarded = 0
        self._edit_count = 0
        self._inflight_sent = False

    @property
    def is_synchronized(self) -> bool:
        """Return whether the server has every local edit."""
        return self.inflight is None and self.buffer is None

    def local_edit(self, ops: Ops) -> None:
        """Apply a local edit to the document and queue it for the server."""
        if self.document is None:
            raise NotSynced("no welcome yet")
        self.document = ot.apply(self.document, ops)  # raises InvalidOp, changing nothing
        self.buffer = ot.compose(self.buffer or [], ops) or None

    def next_op_to_send(self) -> tuple[int, str, Ops] | None:
        """Return the (rev, cid, ops) to send now, or None while an op awaits its ack."""
        if self.inflight is None and self.buffer is not None:
            self._edit_count += 1
            self.inflight = InflightOp(self.buffer, f"{self.client_id}-{self._edit_count}")
            self.buffer = None
            self._inflight_sent = False
        if self.inflight is None or self._inflight_sent:
            return None
        self._inflight_sent = True
        return self.rev, self.inflight.cid, self.inflight.ops

    def retry_inflight(self, cid: str) -> bool:
        """Mark the in-flight op unsent after a retryable error; return whether cid was it."""
        if self.inflight is None or self.inflight.cid != cid:
            return False
        self._inflight_sent = False
        return True

    def on_ack(self, cid: str, rev: int) -> bool:
        """Take the server's ack; return whether it confirmed our in-flight op.

        An ack for another cid is stale (the catch-up of a welcome already
        confirmed that op) and is ignored.
        """
        if self.inflight is None or self.inflight.cid != cid:
            return False
        self._expect_next(rev, "ack")
        self.inflight = None
        self.rev = rev
        return True

    def on_remote_op(self, rev: int, ops: Ops, cid: str | None = None) -> bool:
        """Apply a committed op on top of revision rev - 1; return whether it was our own.

        Our in-flight op coming back (a catch-up after a reconnect, or a server
        that announced it before acking) is its ack, never an op to apply again.
        """
        if self.inflight is not None and cid == self.inflight.cid:
            return self.on_ack(cid, rev)
        self._expect_next(rev, "op")
        inflight, buffer = self.inflight, self.buffer
        if inflight is not None:
            # The server committed `ops` first, so it wins ties at the same index.
            inflight, ops = (
                InflightOp(ot.transform(ops, inflight.ops, True), inflight.cid),
                ot.transform(inflight.ops, ops, False),
            )
        if buffer is not None:
            buffer, ops = ot.transform(ops, buffer, True), ot.transform(buffer, ops, False)
        self.document = ot.apply(self.document, ops)  # first, so that a bad op changes nothing
        self.inflight, self.buffer, self.rev = inflight, buffer, rev
        return False

    def on_welcome(
        self, rev: int, content: Ops | None = None, ops: list[dict] | None = None
    ) -> str | None:
        """Start a session: adopt a snapshot, or catch up with the committed ops since `rev`.

        `ops` entries are op frames (`{"rev", "ops", "cid", ...}`). Return the cid
        of our in-flight op when the catch-up shows it committed; otherwise the
        in-flight op goes out again, with the same cid, from `next_op_to_send`.
        """
        if content is not None:
            self._adopt_snapshot(rev, content)
            return None
        if self.rev is None:
            raise ProtocolViolation("a catch-up welcome answered a sync without a revision")
        inflight_cid = self.inflight.cid if self.inflight else None
        for entry in ops or []:
            self.on_remote_op(entry["rev"], entry["ops"], entry.get("cid"))
        if self.rev != rev:
            raise ProtocolViolation(f"the catch-up ends at {self.rev}, the welcome says {rev}")
        self._inflight_sent = False
        return inflight_cid if inflight_cid and self.inflight is None else None

    def _adopt_snapshot(self, rev: int, content: Ops) -> None:
        # A snapshot cannot tell whether it holds our in-flight op, and edits
        # made on top of it cannot be rebased without the ops in between:
        # they are dropped (and counted) rather than guessed at.
        if not self.is_synchronized:
            self.edits_discarded += 1
        self.rev, self.document = rev, content
        self.inflight = self.buffer = None

    def _expect_next(self, rev: int, what: str) -> None:
        if self.rev is None or rev != self.rev + 1:
            raise ProtocolViolation(f"{what} at revision {rev} after revision {self.rev}")


def plain_text(document: Ops) -> str:
    """Return the text of a document, leaving out embeds as Quill's getText does."""
    return "".join(op["insert"] for op in document if isinstance(op.get("insert"), str))


@dataclass
class OpTimings:
    """time.perf_counter() stamps by cid, for ack latency and broadcast latency.

    perf_counter is the system-wide monotonic clock on Linux, so stamps of
    clients in different processes on one machine compare.
    """

    sent_at: dict[str, float] = field(default_factory=dict)  # first send of our op
    acked_at: dict[str, float] = field(default_factory=dict)
    received_at: dict[str, float] = field(default_factory=dict)  # someone else's op arrived


class ReferenceClient:
    """Speak PROTOCOL.md over a WebSocket for one document, reconnecting as it asks.

    `edit` applies a local edit at once and sends it when nothing is in
    flight; `wait_synced` waits until the server has every edit.
    """

    def __init__(
        self,
        url: str,
        token: str,
        *,
        client_id: str | None = None,
        origin: str | None = None,
        backoff_base: float = 0.05,
        backoff_cap: float = 5.0,
        rng: random.Random | None = None,
    ) -> None:
        self.url = url
        self.state = CollabState(client_id or uuid.uuid4().hex[:12])
        self.timings = OpTimings()
        self.acks_received = self.ops_received = self.reconnects = 0
        self.errors: list[dict] = []  # error frames, as received
        self.violations: list[str] = []  # contract breaches seen (each forced a reconnect)
        self.session: str | None = None
        self.role: str | None = None
        self.title: str | None = None
        self.peers: dict[str, dict] = {}  # session -> latest presence frame
        self.final_close_code: int | None = None
        self._headers = {"Authorization": f"Token {token}"}
        self._origin = origin
        self._backoff = (backoff_base, backoff_cap, rng or random.Random())
        self._ws: ClientConnection | None = None
        self._outbox: asyncio.Queue[bytes] = asyncio.Queue()
        self._welcomed = False  # a welcome arrived on the current connection
        self._snapshot_next = True  # the next sync asks for a fresh snapshot
        self._closing = False
        self._op_retries = 0
        self._reconnect_attempt = 0
        self._changed = asyncio.Event()
        self._pongs: list[asyncio.Future[float]] = []
        self._runner: asyncio.Task | None = None

    # The timeout parameters (ASYNC109) are the API the benchmarks and tests call with.
    async def start(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Connect, sync, and return once the first welcome is in; raise if refused."""
        ws = await self._connect()
        self._runner = asyncio.create_task(self._run(ws))
        await self._wait_until(lambda: self._welcomed, timeout)

    def edit(self, ops: Ops) -> None:
        """Make a local edit (raise ot.InvalidOp if it does not apply to the local document)."""
        self.state.local_edit(ops)
        self._flush()

    async def wait_synced(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until connected with nothing in flight or buffered; raise TimeoutError."""
        await self._wait_until(lambda: self._welcomed and self.state.is_synchronized, timeout)

    def set_presence(self, range_: dict | None) -> None:
        """Announce our selection at the current revision (None hides it)."""
        if self._welcomed:
            self._send({"type": "presence", "rev": self.state.rev, "range": range_})

    async def ping(self, timeout: float = 10.0) -> float:  # noqa: ASYNC109
        """Send an application ping; return the seconds until its pong."""
        started = time.perf_counter()
        pong = asyncio.get_running_loop().create_future()
        self._pongs.append(pong)
        self._send({"type": "ping"})
        async with asyncio.timeout(timeout):
            return await pong - started

    def disconnect_abruptly(self) -> None:
        """Drop the TCP connection without a close handshake, forcing a reconnect."""
        if self._ws is not None:
            self._ws.transport.abort()

    async def close(self) -> None:
        """Close the connection and stop reconnecting."""
        self._closing = True
        if self._ws is not None:
            await self._ws.close()
        if self._runner is not None:
            self._runner.cancel()
            await asyncio.gather(self._runner, return_exceptions=True)

    def text(self) -> str:
        """Return the plain text of the local document."""
        return plain_text(self.state.document or [])

    @property
    def connected(self) -> bool:
        """Return whether the current connection has been welcomed."""
        return self._welcomed

    async def _connect(self) -> ClientConnection:
        return await connect(
            self.url,
            additional_headers=self._headers,
            origin=self._origin,
            compression=None,  # frames are small; deflate would cost CPU on both sides
            proxy=None,
        )

    async def _run(self, ws: ClientConnection | None) -> None:
        try:
            while True:
                if ws is not None:
                    await self._serve(ws)
                if self._closing or self.final_close_code is not None:
                    return
                await asyncio.sleep(self._backoff_delay(self._reconnect_attempt))
                self._reconnect_attempt += 1
                ws = await self._reconnect()
                self.reconnects += ws is not None
        finally:
            self._changed.set()

    async def _serve(self, ws: ClientConnection) -> None:
        """Run one connection until it drops."""
        self._ws, self._outbox = ws, asyncio.Queue()
        writer = asyncio.create_task(self._write(ws, self._outbox))
        try:
            sync_rev = None if self._snapshot_next else self.state.rev
            await ws.send(orjson.dumps({"type": "sync", "rev": sync_rev}), text=True)
            while True:
                self._dispatch(orjson.loads(await ws.recv(decode=False)))
        except ConnectionClosed:
            if ws.close_code in FINAL_CLOSE_CODES:
                self.final_close_code = ws.close_code
        except ProtocolViolation as violation:
            self._resync_after(violation, snapshot=False)
        except (ot.InvalidOp, KeyError, TypeError, ValueError) as violation:
            # A malformed frame or an op that does not apply: our document may
            # have diverged, so only a fresh snapshot is safe.
            self._resync_after(violation, snapshot=True)
        finally:
            writer.cancel()
            self._ws, self._welcomed = None, False
            self._changed.set()

    def _resync_after(self, violation: Exception, *, snapshot: bool) -> None:
        self.violations.append(f"{type(violation).__name__}: {violation}")
        self._snapshot_next = self._snapshot_next or snapshot
        self.disconnect_abruptly()

    async def _reconnect(self) -> ClientConnection | None:
        try:
            return await self._connect()
        except InvalidStatus as refused:
            if refused.response.status_code == 403:  # access revoked or the session ended
                self.final_close_code = 403
            return None
        except (OSError, InvalidHandshake, TimeoutError):
            return None

    def _backoff_delay(self, attempt: int) -> float:
        # Full jitter: clients dropped together do not come back together.
        base, cap, rng = self._backoff
        return rng.uniform(0, min(cap, base * 2**attempt))

    @staticmethod
    async def _write(ws: ClientConnection, outbox: asyncio.Queue[bytes]) -> None:
        while True:
            data = await outbox.get()
            try:
                await ws.send(data, text=True)
            except ConnectionClosed:
                return  # the reader sees the same close and reconnects

    def _send(self, message: dict) -> None:
        if self._ws is not None:
            self._outbox.put_nowait(orjson.dumps(message))

    def _flush(self) -> None:
        if not self._welcomed:
            return
        outgoing = self.state.next_op_to_send()
        if outgoing is not None:
            rev, cid, ops = outgoing
            self.timings.sent_at.setdefault(cid, time.perf_counter())
            self._send({"type": "op", "rev": rev, "cid": cid, "ops": ops})

    def _dispatch(self, message: dict) -> None:
        handler = getattr(self, f"_on_{message.get('type')}", None)
        if handler is None:
            return  # the server may add message types (PROTOCOL.md)
        handler(message)
        self._flush()
        self._changed.set()

    def _on_welcome(self, message: dict) -> None:
        self.session, self.role = message.get("session"), message.get("role")
        self.title = message.get("title")
        self.peers = {peer["session"]: peer for peer in message.get("peers", [])}
        acked_cid = self.state.on_welcome(
            message["rev"], content=message.get("content"), ops=message.get("ops")
        )
        if acked_cid is not None:
            self._record_ack(acked_cid)
        self._snapshot_next = False
        self._welcomed = True
        self._reconnect_attempt = 0

    def _on_op(self, message: dict) -> None:
        cid = message.get("cid")
        if self.state.on_remote_op(message["rev"], message["ops"], cid):
            self._record_ack(cid)
            return
        self.ops_received += 1
        if cid is not None:
            self.timings.received_at[cid] = time.perf_counter()

    def _on_ack(self, message: dict) -> None:
        if self.state.on_ack(message["cid"], message["rev"]):
            self._record_ack(message["cid"])

    def _record_ack(self, cid: str) -> None:
        self.acks_received += 1
        self._op_retries = 0
        self.timings.acked_at[cid] = time.perf_counter()

    def _on_presence(self, message: dict) -> None:
        self.peers[message["session"]] = message

    def _on_leave(self, message: dict) -> None:
        self.peers.pop(message["session"], None)

    def _on_meta(self, message: dict) -> None:
        self.title = message.get("title", self.title)

    def _on_pong(self, _message: dict) -> None:
        if self._pongs:
            self._pongs.pop(0).set_result(time.perf_counter())

    def _on_error(self, message: dict) -> None:
        self.errors.append(message)
        if not self._welcomed:
            # Our sync was refused (e.g. bad_rev: too old to catch up): start over.
            self._snapshot_next = True
            self.disconnect_abruptly()
            return
        cid = message.get("cid")
        if cid is None or self.state.inflight is None or self.state.inflight.cid != cid:
            return
        if message.get("code") in RETRYABLE_OP_ERRORS:
            self._op_retries += 1
            delay = self._backoff_delay(self._op_retries)
            asyncio.get_running_loop().call_later(delay, self._retry, cid)
            return
        # The server refused our edit for good, so the local document has
        # diverged: start over from a fresh snapshot (dropping the edit).
        self._snapshot_next = True
        self.disconnect_abruptly()

    def _retry(self, cid: str) -> None:
        if self.state.retry_inflight(cid):
            self._flush()

    async def _wait_until(self, condition, seconds: float) -> None:
        async with asyncio.timeout(seconds):
            while not condition():
                if self._runner is None or self._runner.done():
                    raise ConnectionError(
                        f"the client stopped (close code {self.final_close_code})"
                    )
                self._changed.clear()
                await self._changed.wait()
