"""The client side of each scenario (S1-S4): drive reference clients, return figures.

Each function takes the spec the orchestrator wrote (server URLs, token,
documents, durations) and returns a dict of figures; `mark` lets the
orchestrator sample server CPU and memory at the phase boundaries.
"""

import asyncio
import random
import time
from pathlib import Path

from bench import clients as c
from bench.ot_trace import load_trace, patch_delta
from bench.stats import latency_summary, percentile
from tests.reference_client import ReferenceClient


def editor_rng(spec: dict, number: int) -> random.Random:
    """Return the random source of one editor: different per editor and per repeat."""
    return random.Random(spec["seed"] * 100_003 + number)


async def sleep_until(moment: float) -> None:
    await asyncio.sleep(max(0.0, moment - time.perf_counter()))


async def hot_document(spec: dict) -> dict:
    """S1: K editors on one document, each sending its next op once the last is acked."""
    groups = c.make_clients(spec, spec["k"])
    editors = groups[0]
    await c.start_all(editors)
    window = measurement_window(spec)
    typing = [
        asyncio.create_task(type_one_in_flight(editor, editor_rng(spec, n), window[1]))
        for n, editor in enumerate(editors)
    ]
    await marked_window(window)
    failures = [failure for failure in await asyncio.gather(*typing) if failure]
    figures = await editing_figures(spec, groups, window)
    figures["committed_ops_per_s"] = round(
        len(c.ack_latencies(editors, window)) / spec["duration"], 1
    )
    figures["typing_failures"] = failures[:3]
    return figures


async def type_one_in_flight(editor: ReferenceClient, rng: random.Random, stop_at: float):
    """Insert, wait for the ack, insert again, until stop_at; return a failure or None."""
    try:
        while time.perf_counter() < stop_at:
            editor.edit(c.random_insert(rng, editor))
            await editor.wait_synced(30)
    except (TimeoutError, ConnectionError) as failure:
        return f"{editor.state.client_id}: {type(failure).__name__} {failure}"
    return None


async def typing_load(spec: dict) -> dict:
    """S2: every connection types one op per period, whatever the acks do (open loop)."""
    groups = c.make_clients(spec, spec["per_document"])
    everyone = [client for group in groups for client in group]
    await c.start_all(everyone)
    window = measurement_window(spec)
    start, lags, edits = time.perf_counter(), [], [0]
    typing = [
        type_periodically(client, editor_rng(spec, n), (start, window), spec["period"], lags, edits)
        for n, client in enumerate(everyone)
    ]
    waiting = asyncio.gather(*typing)
    await marked_window(window)
    await waiting
    figures = await editing_figures(spec, groups, window)
    figures["offered_edits_per_s"] = round(edits[0] / spec["duration"], 1)
    figures["ops_sent_per_s"] = round(c.sent_in(everyone, window) / spec["duration"], 1)
    figures["client_timer_lag_p99_ms"] = round(1000 * (percentile(lags, 99) or 0), 2)
    return figures


async def type_periodically(client, rng, times, period: float, lags: list, edits: list):
    """Make one edit every `period` seconds at a random phase; count the ones in the window."""
    start, window = times
    due = start + rng.uniform(0, period)
    while due < window[1]:
        await sleep_until(due)
        lags.append(time.perf_counter() - due)
        if client.connected:
            client.edit(c.random_insert(rng, client))
            edits[0] += c.in_window(due, window)
        due += period


def measurement_window(spec: dict) -> tuple[float, float]:
    begin = time.perf_counter() + spec["warmup"]
    return begin, begin + spec["duration"]


async def marked_window(window: tuple[float, float]) -> None:
    await sleep_until(window[0])
    await c.mark("window_start")
    await sleep_until(window[1])
    await c.mark("window_end")


async def editing_figures(spec: dict, groups: list, window: tuple[float, float]) -> dict:
    """Drain, then return latency and delivery figures and each document's final state."""
    settled = await c.drain(groups, spec["drain_timeout"])
    everyone = [client for group in groups for client in group]
    delivered, expected = c.deliveries(groups, window)
    figures = {
        "connections": len(everyone),
        "ops_sent": c.sent_in(everyone, window),
        **latency_summary("ack", c.ack_latencies(everyone, window)),
        **latency_summary("delivery", delivered),
        "delivered_pct": round(100 * len(delivered) / expected, 3) if expected else None,
        "settled": settled,
        **c.health(everyone),
        "documents": {
            document_id: final_state(group)
            for document_id, group in zip(spec["documents"], groups, strict=True)
        },
    }
    await c.close_all(everyone)
    return figures


def final_state(group: list[ReferenceClient]) -> dict:
    texts = {client.text() for client in group}
    return {"rev": group[0].state.rev, "text": group[0].text(), "clients_agree": len(texts) == 1}


async def idle_connections(spec: dict) -> dict:
    """S3: connect and sync many clients, then hold them idle while the server is measured."""
    warm_spec = {**spec, "documents": spec["documents"][: spec["warm_documents"]]}
    warm = [client for group in c.make_clients(warm_spec, spec["per_document"]) for client in group]
    await c.start_all(warm)
    await c.close_all(warm)
    await asyncio.sleep(1)
    await c.mark("baseline")
    everyone = [client for group in c.make_clients(spec, spec["per_document"]) for client in group]
    started = time.perf_counter()
    await c.start_all(everyone, seconds_each=120)
    connect_seconds = time.perf_counter() - started
    await c.mark("idle", connections=len(everyone))
    still = sum(client.connected for client in everyone)
    await c.close_all(everyone)
    return {
        "connections": len(everyone),
        "connect_seconds": round(connect_seconds, 2),
        "connections_per_s": round(len(everyone) / connect_seconds, 1),
        "still_connected": still,
        **c.health(everyone),
    }


async def trace_replay(spec: dict) -> dict:
    """S4: type a whole editing trace through one client as fast as it can take it."""
    trace = load_trace(Path(spec["trace"]))
    txns = [[patch_delta(*patch) for patch in txn["patches"]] for txn in trace["txns"]]
    (typist,) = c.make_clients(spec, 1)[0]
    await typist.start()
    await c.mark("window_start")
    started = time.perf_counter()
    for txn in txns:
        for ops in txn:
            typist.edit(ops)
        await asyncio.sleep(0)  # let acks in: edits made meanwhile compose into the buffer
    typed = time.perf_counter()
    await typist.wait_synced(spec["drain_timeout"])
    finished = time.perf_counter()
    await c.mark("window_end")
    edits = sum(len(txn) for txn in txns)
    figures = {
        "edits": edits,
        "edits_per_s": round(edits / (finished - started), 1),
        "seconds": round(finished - started, 3),
        "client_typing_seconds": round(typed - started, 3),
        "ops_sent": len(typist.timings.sent_at),
        "edits_per_op": round(edits / max(1, len(typist.timings.sent_at)), 1),
        "client_text_ok": typist.text() == trace["endContent"] + "\n",
        **latency_summary("ack", list(ack_times(typist))),
        **c.health([typist]),
    }
    await typist.close()
    return figures


def ack_times(client: ReferenceClient):
    for cid, sent in client.timings.sent_at.items():
        if cid in client.timings.acked_at:
            yield client.timings.acked_at[cid] - sent


SCENARIOS = {
    "S1": hot_document,
    "S2": typing_load,
    "S3": idle_connections,
    "S4": trace_replay,
}
