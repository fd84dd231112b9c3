"""Fixtures for the OT core tests: the quill-delta reference and the traces."""

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
REFERENCE_SCRIPT = Path(__file__).with_name("quill_delta_reference.mjs")


def skip_or_fail(reason: str) -> None:
    """Skip a test whose service is missing, or fail it when REQUIRE_SERVICES=1."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def quill_delta() -> Callable[[list[list[Any]]], list[dict[str, Any]]]:
    """Return a function that answers a batch of calls with quill-delta in one node run."""
    node = shutil.which("node")
    if node is None:
        skip_or_fail("node is not installed; the quill-delta reference cannot run")
    if not (REPO / "frontend" / "node_modules" / "quill-delta").is_dir():
        skip_or_fail("frontend/node_modules/quill-delta is missing; run npm ci in frontend/")

    def call(calls: list[list[Any]]) -> list[dict[str, Any]]:
        done = subprocess.run(
            [node, str(REFERENCE_SCRIPT)],
            input=json.dumps(calls),
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        return json.loads(done.stdout)

    return call
