"""Random concurrent editing sessions of reference clients against real servers."""

import asyncio
import random
import sqlite3
from urllib.parse import urlsplit

import psycopg

from editor import ot
from tests.ot.random_deltas import random_op
from tests.reference_client import ReferenceClient


def random_edit(rng: random.Random, document: list) -> list:
    """Return a random op (text with emoji, formatting, deletes) that keeps the final newline."""
    body = trim_final_newline(document)
    if not body:
        return [{"insert": "start 😀"}]
    return random_op(rng, body) or [{"insert": "x"}]


def trim_final_newline(document: list) -> list:
    *runs, last = document
    if len(last["insert"]) > 1:
        runs.append({**last, "insert": last["insert"][:-1]})
    return runs


async def edit_randomly(clients, rng: random.Random, seconds: float, disconnect_rate: float):
    """Let random clients make random edits, with random abrupt disconnects, for `seconds`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    edits = 0
    while loop.time() < deadline:
        client = rng.choice(clients)
        if client.connected:
            client.edit(random_edit(rng, client.state.document))
            edits += 1
        if rng.random() < disconnect_rate:
            rng.choice(clients).disconnect_abruptly()
        await asyncio.sleep(rng.uniform(0, 0.004))
    return edits


async def settle(clients, seconds: float = 60.0) -> int:
    """Wait until every client has all its edits acked and the same latest revision."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while True:
        await asyncio.gather(*(client.wait_synced(seconds) for client in clients))
        revs = {client.state.rev for client in clients}
        if len(revs) == 1:
            return revs.pop()
        if loop.time() > deadline:
            raise TimeoutError(f"clients stuck at revisions {sorted(revs)}")
        # A client whose last broadcast was lost learns of it at its next heartbeat.
        await asyncio.gather(*(client.ping() for client in clients if client.connected))
        await asyncio.sleep(0.05)


def stored_document(database_url: str, document_id: str) -> tuple[int, list, list[tuple]]:
    """Read (rev, content, [(rev, ops, cid)...]) straight from the server's database."""
    if database_url.startswith("sqlite"):
        connection = sqlite3.connect(urlsplit(database_url).path)
        placeholder, key = "?", document_id.replace("-", "")
    else:
        connection = psycopg.connect(database_url)
        placeholder, key = "%s", document_id
    with connection:
        cursor = connection.cursor()
        cursor.execute(
            f"SELECT rev, content FROM docs_app_document WHERE id = {placeholder}", (key,)
        )
        rev, content = cursor.fetchone()
        cursor.execute(
            "SELECT rev, ops, cid FROM docs_app_revision "
            f"WHERE document_id = {placeholder} ORDER BY rev",
            (key,),
        )
        log = cursor.fetchall()
    connection.close()
    decode = ot_json if isinstance(content, str) else (lambda value: value)
    return rev, decode(content), [(r, decode(ops), cid) for r, ops, cid in log]


def ot_json(text: str):
    import json

    return json.loads(text)


def compose_log(log) -> list:
    content = [{"insert": "\n"}]
    for _rev, ops, _cid in log:
        content = ot.apply(content, ops)
    return content


def client_for(server, token: str, document_id: str, name: str, seed: int) -> ReferenceClient:
    return ReferenceClient(
        f"{server.ws_url}/ws/documents/{document_id}/",
        token,
        client_id=name,
        rng=random.Random(seed),
    )
