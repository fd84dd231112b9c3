"""Convergence over real Daphne processes and real sockets, with random disconnects."""

import asyncio
import gzip
import json
import random
from collections import Counter

import pytest

from bench.ot_trace import traces_dir
from tests.live_editing import client_for, compose_log, edit_randomly, settle, stored_document
from tests.ot.conftest import skip_or_fail

pytestmark = pytest.mark.timeout(180)

CLIENTS = 8
TRACE = traces_dir() / "sequential_traces" / "sveltecomponent.json.gz"


def create_document(server, token: str) -> str:
    status, body = server.request("POST", "/api/documents/", {"title": "Race"}, token=token)
    assert status == 201, body
    return body["id"]


async def converge(servers, seed: int, seconds: float = 3.0):
    owner = servers[0]
    token = owner.create_user("alice")
    document_id = create_document(owner, token)
    clients = [
        client_for(servers[n % len(servers)], token, document_id, f"c{n}", seed + n)
        for n in range(CLIENTS)
    ]
    await asyncio.gather(*(client.start() for client in clients))
    try:
        edits = await edit_randomly(clients, random.Random(seed), seconds, disconnect_rate=0.01)
        head = await settle(clients)
    finally:
        await asyncio.gather(*(client.close() for client in clients))

    rev, content, log = stored_document(owner.env["DATABASE_URL"], document_id)
    assert rev == head
    assert [entry[0] for entry in log] == list(range(1, rev + 1)), "gapless revisions"
    assert compose_log(log) == content, "stored content is the composition of the log"
    for client in clients:
        assert client.state.document == content, f"{client.state.client_id} diverged"
        assert not client.violations, client.violations
    acked = [cid for client in clients for cid in client.timings.acked_at]
    logged = Counter(entry[2] for entry in log)
    assert all(logged[cid] == 1 for cid in acked), "every acked cid is in the log exactly once"
    assert sum(logged.values()) == len(logged)
    assert edits > 50 and rev > 20  # the session really exercised the server
    assert sum(client.reconnects for client in clients) > 0
    print(f"{edits} edits, {rev} revisions, {sum(c.reconnects for c in clients)} reconnects")


async def test_eight_clients_converge_on_the_embedded_server(embedded_server):
    await converge([embedded_server], seed=1)


@pytest.mark.postgres
@pytest.mark.redis
async def test_eight_clients_converge_across_two_processes(scaled_servers):
    await converge(scaled_servers, seed=2)


async def test_a_trace_typed_through_one_client_ends_as_the_trace_does(embedded_server):
    if not TRACE.exists():
        skip_or_fail(f"trace {TRACE} is missing; set COWRITE_TRACES_DIR")
    with gzip.open(TRACE) as file:
        trace = json.load(file)
    token = embedded_server.create_user("typist")
    document_id = create_document(embedded_server, token)
    client = client_for(embedded_server, token, document_id, "typist", 0)
    await client.start()
    try:
        for txn in trace["txns"]:
            for position, deleted, inserted in txn["patches"]:
                ops = [{"retain": position}] if position else []
                ops += [{"delete": deleted}] if deleted else []
                ops += [{"insert": inserted}] if inserted else []
                client.edit(ops)
            await asyncio.sleep(0)  # let acks in: the client composes edits while one is in flight
        await client.wait_synced(60)
    finally:
        await client.close()
    _, content, _ = stored_document(embedded_server.env["DATABASE_URL"], document_id)
    assert "".join(run["insert"] for run in content) == trace["endContent"] + "\n"


async def test_nothing_is_lost_when_the_server_restarts_mid_session(embedded_server):
    token = embedded_server.create_user("alice")
    document_id = create_document(embedded_server, token)
    clients = [client_for(embedded_server, token, document_id, f"r{n}", n) for n in range(4)]
    await asyncio.gather(*(client.start() for client in clients))
    rng = random.Random(7)
    try:
        await edit_randomly(clients, rng, 1.0, disconnect_rate=0)
        await asyncio.to_thread(embedded_server.stop)
        # Edits made while the server is down stay local and are sent after the reconnect.
        for client in clients:
            client.edit([{"insert": f"<{client.state.client_id} offline>"}])
        await asyncio.to_thread(embedded_server.start)
        head = await settle(clients)
    finally:
        await asyncio.gather(*(client.close() for client in clients))
    rev, content, log = stored_document(embedded_server.env["DATABASE_URL"], document_id)
    assert rev == head
    assert all(client.state.document == content for client in clients)
    assert sum(client.reconnects for client in clients) >= len(clients)
    text = "".join(run["insert"] for run in content)
    for client in clients:
        assert text.count(f"<{client.state.client_id} offline>") == 1
    acked = [cid for client in clients for cid in client.timings.acked_at]
    assert sorted(acked) == sorted(cid for _, _, cid in log), "every acked op, once"
