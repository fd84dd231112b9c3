"""Replay a sequential editing trace through ot.apply, and through quill-delta in Node.

    python -m bench.ot_trace [trace-name] [--repeat N]

Each patch [pos, delNum, insStr] becomes the Delta [retain pos, delete delNum,
insert insStr] (zero parts left out), applied op by op to the document
[{"insert": "\\n"}]. Both replays are checked against the trace's endContent;
the best of --repeat runs is reported. Traces are read from
$COWRITE_TRACES_DIR (default: <repo>/../shared/traces).
"""

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from editor import ot

REPO = Path(__file__).resolve().parents[1]
DEFAULT_TRACE = "automerge-paper"

# doc = doc.compose(op) per edit is what applying a Delta is in quill-delta.
_NODE_REPLAY = """
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
const require = createRequire(process.env.COWRITE_FRONTEND_PACKAGE);
const Delta = require('quill-delta');
const trace = JSON.parse(gunzipSync(readFileSync(process.env.COWRITE_TRACE)));
const ops = [];
for (const txn of trace.txns) {
  for (const [pos, del, ins] of txn.patches) {
    ops.push(new Delta().retain(pos).delete(del).insert(ins));
  }
}
let best = Infinity, ok = true;
for (let run = 0; run < Number(process.env.COWRITE_REPEAT); run++) {
  const start = performance.now();
  let doc = new Delta([{ insert: '\\n' }]);
  for (const op of ops) doc = doc.compose(op);
  best = Math.min(best, (performance.now() - start) / 1000);
  ok = ok && doc.ops.map((op) => op.insert).join('') === trace.endContent + '\\n';
}
console.log(JSON.stringify({ seconds: best, ok }));
"""


def traces_dir() -> Path:
    """Return the directory holding the editing traces."""
    return Path(os.environ.get("COWRITE_TRACES_DIR") or REPO.parent / "shared" / "traces")


def trace_path(name: str) -> Path:
    """Return the file of a sequential trace named like "automerge-paper" or "ascii_only/x"."""
    return traces_dir() / "sequential_traces" / f"{name}.json.gz"


def load_trace(path: Path) -> dict[str, Any]:
    """Return the decoded trace stored at path."""
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return json.load(stream)


def patch_delta(position: int, deleted: int, inserted: str) -> list[dict[str, Any]]:
    """Return the Delta for one patch; positions must already be UTF-16 offsets."""
    ops: list[dict[str, Any]] = []
    if position:
        ops.append({"retain": position})
    if deleted:
        ops.append({"delete": deleted})
    if inserted:
        ops.append({"insert": inserted})
    return ops


def trace_deltas(trace: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """Return every patch of a trace as a Delta, in order.

    The traces count code points; none holds an astral character (see the
    traces README), so code points and UTF-16 units agree.
    """
    return [patch_delta(*patch) for txn in trace["txns"] for patch in txn["patches"]]


def replay(deltas: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Return the document after applying every Delta to a new document."""
    document: list[dict[str, Any]] = [{"insert": "\n"}]
    for delta in deltas:
        document = ot.apply(document, delta)
    return document


def time_python(trace: dict[str, Any], repeat: int) -> tuple[float, bool]:
    """Return the best replay time in seconds and whether the text came out right."""
    deltas = trace_deltas(trace)
    best, ok = float("inf"), True
    for _ in range(repeat):
        start = time.perf_counter()
        document = replay(deltas)
        best = min(best, time.perf_counter() - start)
        ok = ok and "".join(run["insert"] for run in document) == trace["endContent"] + "\n"
    return best, ok


def time_node(path: Path, repeat: int) -> tuple[float, bool] | None:
    """Return quill-delta's best replay time and check, or None without node."""
    package = REPO / "frontend" / "package.json"
    node = shutil.which("node")
    if node is None or not (REPO / "frontend" / "node_modules" / "quill-delta").is_dir():
        return None
    env = {
        **os.environ,
        "COWRITE_FRONTEND_PACKAGE": str(package),
        "COWRITE_TRACE": str(path),
        "COWRITE_REPEAT": str(repeat),
    }
    done = subprocess.run(
        [node, "--input-type=module", "-e", _NODE_REPLAY],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout)
    return result["seconds"], result["ok"]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.ot_trace", description=__doc__)
    parser.add_argument("trace", nargs="?", default=DEFAULT_TRACE)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    path = trace_path(args.trace)
    trace = load_trace(path)
    edits = sum(len(txn["patches"]) for txn in trace["txns"])
    print(f"trace {args.trace}: {edits} edits, final length {len(trace['endContent'])}")
    python_seconds, python_ok = time_python(trace, args.repeat)
    _report("python ot.apply", edits, python_seconds, python_ok)
    node = time_node(path, args.repeat)
    if node is None:
        print("node quill-delta: skipped (node or frontend/node_modules missing)")
        return 0 if python_ok else 1
    _report("node quill-delta", edits, *node)
    print(f"ratio: python is {node[0] / python_seconds:.2f}x the speed of quill-delta in node")
    return 0 if python_ok and node[1] else 1


def _report(label: str, edits: int, seconds: float, ok: bool) -> None:
    check = "text ok" if ok else "TEXT MISMATCH"
    print(f"{label}: {seconds:.3f} s, {edits / seconds:,.0f} edits/s, {check}")


if __name__ == "__main__":
    sys.exit(main())
