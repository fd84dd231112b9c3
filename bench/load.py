"""The load client process: `python -m bench.load '<spec JSON>'`.

It runs one scenario's client side (bench.scenarios) in its own process, apart
from the servers, writes JSON lines to stdout (phase marks, then the result)
and waits for a line on stdin after each mark.
"""

import asyncio
import sys

import orjson

from bench.clients import emit
from bench.procstat import raise_fd_limit
from bench.scenarios import SCENARIOS


def main() -> None:
    spec = orjson.loads(sys.argv[1])
    raise_fd_limit()
    result = asyncio.run(SCENARIOS[spec["scenario"]](spec))
    emit({"event": "result", "figures": result})


if __name__ == "__main__":
    main()
