"""Replay real editing traces (josephg/editing-traces) through ot.apply.

Every sequential trace, and its ascii_only copy, must end exactly at its
endContent. One trace also goes through validate_against op by op.
"""

import pytest

from bench.ot_trace import load_trace, replay, trace_deltas, traces_dir
from editor import ot
from tests.ot.conftest import skip_or_fail

SEQUENTIAL = traces_dir() / "sequential_traces"
TRACES = sorted(SEQUENTIAL.glob("*.json.gz")) + sorted(SEQUENTIAL.glob("ascii_only/*.json.gz"))


def _trace(path):
    if not path.is_file():
        skip_or_fail(f"trace {path} is missing; set COWRITE_TRACES_DIR")
    trace = load_trace(path)
    # Trace positions count code points; they equal UTF-16 offsets only without
    # astral characters, which the traces README promises.
    assert all(ord(character) <= 0xFFFF for character in trace["endContent"])
    return trace


def test_traces_are_present():
    if not TRACES:
        skip_or_fail(f"no traces found under {SEQUENTIAL}; set COWRITE_TRACES_DIR")
    assert len(TRACES) == 16


@pytest.mark.parametrize("path", TRACES, ids=[str(p.relative_to(SEQUENTIAL)) for p in TRACES])
def test_replay_reaches_the_end_content(path):
    trace = _trace(path)
    document = replay(trace_deltas(trace))
    assert document == [{"insert": trace["endContent"] + "\n"}]


def test_every_op_of_a_trace_validates_against_its_document():
    trace = _trace(SEQUENTIAL / "json-crdt-patch.json.gz")
    document = [{"insert": "\n"}]
    for delta in trace_deltas(trace):
        ot.validate(delta, ot.length(document))
        ot.validate_against(document, delta)
        document = ot.apply(document, delta)
    ot.validate_document(document)
    assert document == [{"insert": trace["endContent"] + "\n"}]
