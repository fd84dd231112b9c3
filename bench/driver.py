"""Run one case's load client against running servers and measure the servers meanwhile.

The client (`python -m bench.load`) is a separate process. At each phase mark
it pauses its controlling task until we answer, so CPU and memory samples are
taken exactly at the phase boundaries while the load keeps running.
"""

import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import psycopg
import redis

from bench.cases import Case
from bench.procstat import CpuMeter, CpuSample, loadavg, rss_bytes
from bench.system import POSTGRES_ADMIN_URL, PROJECT_DIR, REDIS_URL, Target, create_documents


@dataclass
class Probe:
    """What is measured on the server side during one client run."""

    meter: CpuMeter
    profile_dir: Path | None = None
    label: str = ""
    cpu: list[CpuSample] = field(default_factory=list)
    readings: dict[str, float] = field(default_factory=dict)
    profilers: list[subprocess.Popen] = field(default_factory=list)
    queries: dict | None = None
    wal: list[tuple[float, int, int]] = field(default_factory=list)


def run_case(case: Case, target: Target, seed: int, profile_dir: Path | None) -> dict:
    """Create the case's documents, run its client, return client and server figures."""
    documents = create_documents(target, case.documents)
    spec = {
        "scenario": case.scenario,
        "urls": target.ws_urls,
        "token": target.token,
        "documents": documents,
        "seed": seed,
        **case.params,
    }
    client = subprocess.Popen(
        [sys.executable, "-m", "bench.load", orjson.dumps(spec).decode()],
        cwd=PROJECT_DIR,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    meter = CpuMeter(
        {"server": target.pids, "client": [client.pid], "redis": [redis_pid()]},
        dynamic={"postgres": "postgres"},
    )
    probe = Probe(meter, profile_dir, f"{case.label}-{target.app}")
    figures = converse(client, probe, target, case)
    figures.update(server_figures(probe), server_code=target.code)
    return {**figures, "documents_ids": documents}


def converse(client: subprocess.Popen, probe: Probe, target: Target, case: Case) -> dict:
    watchdog = threading.Timer(case.timeout, client.kill)
    watchdog.start()
    try:
        for line in client.stdout:
            event = orjson.loads(line)
            if event["event"] == "result":
                return event["figures"]
            on_mark(event, probe, target, case)
            client.stdin.write("go\n")
            client.stdin.flush()
    finally:
        watchdog.cancel()
        client.wait(30)
        for profiler in probe.profilers:
            profiler.wait(60)
    raise RuntimeError(
        f"{case.label}: the load client ended without a result ({client.returncode})"
    )


def on_mark(event: dict, probe: Probe, target: Target, case: Case) -> None:
    name = event["name"]
    if name == "window_start":
        probe.cpu.append(probe.meter.sample())
        probe.wal.append(wal_totals())
        start_profiling(probe, target, case)
    elif name == "window_end":
        probe.cpu.append(probe.meter.sample())
        probe.wal.append(wal_totals())
        probe.readings["loadavg_1m"] = loadavg()[0]
        read_queries(probe, target)
    elif name == "baseline":
        probe.readings["baseline"] = total_rss(target)
    elif name == "idle":
        time.sleep(case.params["hold"])  # let the connections' buffers settle
        probe.readings["idle"] = total_rss(target)
        probe.readings["connections"] = event["connections"]


def total_rss(target: Target) -> int:
    return sum(rss_bytes(pid) for pid in target.pids)


def server_figures(probe: Probe) -> dict:
    result = {}
    if len(probe.cpu) == 2:
        for group, percent in CpuMeter.percent(*probe.cpu).items():
            result[f"{group}_cpu_pct"] = percent
        result["other_busiest"] = CpuMeter.top_others(*probe.cpu)
    if "idle" in probe.readings:
        growth = probe.readings["idle"] - probe.readings["baseline"]
        result["rss_baseline_mb"] = round(probe.readings["baseline"] / 2**20, 1)
        result["rss_idle_mb"] = round(probe.readings["idle"] / 2**20, 1)
        result["rss_per_connection_kb"] = round(growth / probe.readings["connections"] / 1024, 2)
    if len(probe.wal) == 2:
        (started, bytes_before, syncs_before), (ended, bytes_after, syncs_after) = probe.wal
        result["wal_mb_per_s"] = round((bytes_after - bytes_before) / 2**20 / (ended - started), 2)
        result["wal_syncs_per_s"] = round((syncs_after - syncs_before) / (ended - started), 1)
    if "loadavg_1m" in probe.readings:
        result["loadavg_1m"] = probe.readings["loadavg_1m"]
    if probe.queries is not None:
        result["queries"] = probe.queries
    return result


def wal_totals() -> tuple[float, int, int]:
    """Return (now, WAL bytes, WAL syncs) of the whole PostgreSQL cluster (pg_stat_wal).

    Cluster-wide: other databases' writes count too. Durable commits of large
    rows show up here, and as kernel time (`other` CPU) for the flushes.
    """
    with psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres", autocommit=True) as connection:
        row = connection.execute("SELECT wal_bytes, wal_sync FROM pg_stat_wal").fetchone()
    wal_bytes, syncs = row
    return time.perf_counter(), int(wal_bytes), int(syncs)


def redis_pid() -> int:
    return int(redis.Redis.from_url(REDIS_URL).info("server")["process_id"])


# Profiling (bench.run --profile): py-spy on every server process, and the SQL counter.


def start_profiling(probe: Probe, target: Target, case: Case) -> None:
    if probe.profile_dir is None:
        return
    if target.app == "cowrite-counted":
        target.first.request("POST", "/__bench__/queries")
    seconds = case.params.get("duration", 30)
    for pid in target.pids:
        name = probe.label.replace(" ", "_").replace("=", "") + f"-{pid}.txt"
        probe.profilers.append(py_spy(pid, seconds, probe.profile_dir / name))


def py_spy(pid: int, seconds: float, output: Path) -> subprocess.Popen:
    """Sample the process's GIL holder (where its CPU goes) as collapsed stacks."""
    command = [str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid)]
    command += ["--duration", str(max(1, int(seconds))), "--rate", "250", "--gil", "--nonblocking"]
    command += ["--format", "raw", "--output", str(output)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def read_queries(probe: Probe, target: Target) -> None:
    if probe.profile_dir is not None and target.app == "cowrite-counted":
        status, body = target.first.request("GET", "/__bench__/queries")
        probe.queries = body if status == 200 else {"error": status}
