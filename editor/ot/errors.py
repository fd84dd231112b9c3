"""Errors raised by the Delta algebra."""

import json
from typing import Any


class InvalidOp(ValueError):
    """An op or document that is malformed, disallowed, or does not apply.

    `code` is the stable error code of the wire contract (`invalid_op`).
    """

    code = "invalid_op"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def describe(value: Any) -> str:
    """Return a short JSON rendering of a value for an error message."""
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= 60 else text[:57] + "..."
