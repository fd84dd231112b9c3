"""Summarise py-spy collapsed stacks: where a server process spends its GIL time.

    python -m bench.profile_summary bench/results/profiles/<stamp>/<file>.txt[.gz] [--rate 250]

Each sample is charged to one layer: the one of the frame nearest the leaf
that belongs to a known layer (C code such as orjson or psycopg's libpq calls
shows up as the Python frame that called it). Also prints the busiest threads,
the leaf functions, and Cowrite's own functions inclusive of what they call.
"""

import argparse
import gzip
import re
import sys
from collections import Counter
from pathlib import Path

# (layer, pattern on "function (file:line)"), checked in order for each frame from the leaf up.
LAYERS = [
    ("JSON (orjson, json)", r"^(encode|dumps|loads|parse_client_frame|serialize|deserialize) "),
    ("JSON (orjson, json)", r"[/ ]json/|orjson|msgpack"),
    ("PostgreSQL driver (psycopg)", r"psycopg"),
    ("Django ORM and transactions", r"django/db/"),
    ("OT (editor/ot)", r"editor/ot/"),
    ("channel layer (channels_redis)", r"channels_redis/"),
    ("Redis client (redis-py)", r"site-packages/redis/"),
    ("WebSocket framing (autobahn)", r"autobahn/"),
    ("Daphne", r"daphne/"),
    ("Twisted", r"twisted/"),
    ("Channels consumer machinery", r"site-packages/channels/"),
    ("asgiref (sync/async bridges)", r"asgiref/"),
    ("Cowrite storage (docs_app)", r"docs_app/"),
    ("Cowrite editor (consumer, committer, delivery)", r"editor/|bench/"),
    ("Django (other)", r"django/"),
    ("thread pool", r"concurrent/futures|threading\.py"),
    ("asyncio event loop", r"asyncio/"),
]
COMPILED = [(layer, re.compile(pattern)) for layer, pattern in LAYERS]
PROJECT = re.compile(r"\((?:editor|docs_app|config)/")


def read_samples(path: Path) -> list[tuple[list[str], int]]:
    text = gzip.decompress(path.read_bytes()).decode() if path.suffix == ".gz" else path.read_text()
    samples = []
    for line in text.splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            samples.append((stack.split(";"), int(count)))
    return samples


def layer_of(frames: list[str]) -> str:
    for frame in reversed(frames):
        for layer, pattern in COMPILED:
            if pattern.search(frame):
                return layer
    return "other"


def thread_of(frames: list[str]) -> str:
    if any(frame.startswith("_worker (concurrent/futures/thread.py") for frame in frames):
        return "worker thread (database_sync_to_async)"
    return "event loop thread"


def summarise(samples: list[tuple[list[str], int]]) -> dict:
    layers, threads, leaves, inclusive = Counter(), Counter(), Counter(), Counter()
    for frames, count in samples:
        layers[layer_of(frames)] += count
        threads[thread_of(frames)] += count
        leaves[short(frames[-1])] += count
        for frame in {short(frame) for frame in frames if PROJECT.search(frame)}:
            inclusive[frame] += count
    return {
        "samples": sum(count for _, count in samples),
        "layers": layers,
        "threads": threads,
        "leaves": leaves,
        "project_inclusive": inclusive,
    }


def short(frame: str) -> str:
    """Return "function (path:line)" with the site-packages prefix cut off."""
    return re.sub(r"\(.*?(site-packages/|python3\.\d+/|main/)", "(", frame)


def render(summary: dict, rate: float | None, top: int) -> str:
    total = summary["samples"] or 1
    seconds = f" = {summary['samples'] / rate:.1f} s of GIL time" if rate else ""
    lines = [f"{summary['samples']} samples{seconds}"]
    for title, key, limit in (
        ("layer (nearest known frame to the leaf)", "layers", None),
        ("thread", "threads", None),
        ("leaf function (self time)", "leaves", top),
        ("Cowrite function (inclusive)", "project_inclusive", top),
    ):
        lines.append(f"\n{title}:")
        for name, count in summary[key].most_common(limit):
            lines.append(f"  {100 * count / total:5.1f} %  {name}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_summary")
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--rate", type=float, default=250.0, help="py-spy samples per second")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    for path in args.files:
        print(f"== {path.name}")
        print(render(summarise(read_samples(path)), args.rate, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
