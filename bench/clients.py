"""Reference clients as a load generator: connect many, type, drain, and read their stamps."""

import asyncio
import random
import string
import sys
import time

import orjson

from editor import ot
from tests.reference_client import ReferenceClient

CONNECT_CONCURRENCY = 32  # Daphne (Twisted) listens with a backlog of 50
LETTERS = string.ascii_letters


def emit(event: dict) -> None:
    """Write one JSON line for the orchestrator (bench.run) to read."""
    sys.stdout.write(orjson.dumps(event).decode() + "\n")
    sys.stdout.flush()


async def mark(name: str, **fields) -> None:
    """Tell the orchestrator a phase began and wait until it has taken its samples."""
    emit({"event": "mark", "name": name, **fields})
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(120):
        answer = await loop.run_in_executor(None, sys.stdin.readline)
    if not answer:
        raise RuntimeError("the orchestrator went away")


def document_url(base: str, document_id: str) -> str:
    return f"{base}/ws/documents/{document_id}/"


def make_clients(spec: dict, per_document: int) -> list[list[ReferenceClient]]:
    """Return `per_document` clients for each document, over the servers round-robin.

    Placement "spread" (the default) spreads each document's clients over the
    servers; "by-document" puts them all on one server, documents round-robin.
    """
    urls, groups, index = spec["urls"], [], 0
    by_document = spec.get("placement") == "by-document"
    for document_number, document_id in enumerate(spec["documents"]):
        group = []
        for seat in range(per_document):
            server = document_number if by_document else index
            url = document_url(urls[server % len(urls)], document_id)
            name = f"d{document_number}c{seat}"
            group.append(
                ReferenceClient(url, spec["token"], client_id=name, rng=random.Random(index))
            )
            index += 1
        groups.append(group)
    return groups


async def start_all(clients: list[ReferenceClient], seconds_each: float = 60) -> None:
    """Connect and sync every client, a bounded number at a time."""
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def start(client: ReferenceClient) -> None:
        async with gate:
            await client.start(seconds_each)

    await asyncio.gather(*(start(client) for client in clients))


async def close_all(clients: list[ReferenceClient]) -> None:
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY * 4)

    async def close(client: ReferenceClient) -> None:
        async with gate:
            await client.close()

    await asyncio.gather(*(close(client) for client in clients), return_exceptions=True)


def random_insert(rng: random.Random, client: ReferenceClient) -> list:
    """Return an op inserting 1-3 letters at a random position before the final newline."""
    position = rng.randrange(ot.length(client.state.document))
    text = "".join(rng.choices(LETTERS, k=rng.randint(1, 3)))
    return [{"retain": position}, {"insert": text}] if position else [{"insert": text}]


async def drain(groups: list[list[ReferenceClient]], seconds: float) -> bool:
    """Wait until every client is synchronized and level with its document's peers.

    Ping every second meanwhile: the server fills a gap left by a lost
    broadcast when a ping shows the client behind. Return whether it settled.
    """
    deadline = time.monotonic() + seconds
    next_ping = 0.0
    clients = [client for group in groups for client in group]
    while time.monotonic() < deadline:
        if all(settled(group) for group in groups):
            return True
        if time.monotonic() >= next_ping:
            for client in clients:
                if client.connected:
                    asyncio.ensure_future(client.ping(timeout=5)).add_done_callback(ignore)
            next_ping = time.monotonic() + 1.0
        await asyncio.sleep(0.02)
    return False


def settled(group: list[ReferenceClient]) -> bool:
    synced = all(client.connected and client.state.is_synchronized for client in group)
    return synced and len({client.state.rev for client in group}) == 1


def ignore(future: asyncio.Future) -> None:
    """Retrieve a ping's outcome so that a timed-out one is not logged as unhandled."""
    if not future.cancelled():
        future.exception()


def in_window(stamp: float, window: tuple[float, float]) -> bool:
    return window[0] <= stamp < window[1]


def ack_latencies(clients: list[ReferenceClient], window: tuple[float, float]) -> list[float]:
    """Return send-to-ack seconds of the ops sent in the window."""
    latencies = []
    for client in clients:
        acked = client.timings.acked_at
        for cid, sent in client.timings.sent_at.items():
            if in_window(sent, window) and cid in acked:
                latencies.append(acked[cid] - sent)
    return latencies


def deliveries(
    groups: list[list[ReferenceClient]], window: tuple[float, float]
) -> tuple[list[float], int]:
    """Return (send-to-receipt seconds at each peer, expected receipts) for ops sent in the window.

    Every op sent in the window is expected at every other client of its
    document; one that never arrives (or was never committed) counts as lost.
    """
    latencies, expected = [], 0
    for group in groups:
        for sender in group:
            for cid, sent in sender.timings.sent_at.items():
                if not in_window(sent, window):
                    continue
                for receiver in group:
                    if receiver is sender:
                        continue
                    expected += 1
                    received = receiver.timings.received_at.get(cid)
                    if received is not None:
                        latencies.append(received - sent)
    return latencies, expected


def sent_in(clients: list[ReferenceClient], window: tuple[float, float]) -> int:
    return sum(
        in_window(sent, window) for client in clients for sent in client.timings.sent_at.values()
    )


def health(clients: list[ReferenceClient]) -> dict:
    """Return what went wrong on the wire: reconnects, contract violations, error frames."""
    return {
        "reconnects": sum(client.reconnects for client in clients),
        "violations": sum(len(client.violations) for client in clients),
        "error_frames": sum(len(client.errors) for client in clients),
        "first_violation": next((v for c in clients for v in c.violations), None),
        "first_error": next((e for c in clients for e in c.errors), None),
    }
