"""Errors of the collaboration protocol, each with the stable `code` of PROTOCOL.md.

Client-recoverable errors leave the connection open; the client may retry or
correct. `Unavailable` is internal: storage failed and nothing was committed.
"""


class ProtocolError(Exception):
    code = "error"
    default_message = "The request failed."

    def __init__(self, message: str | None = None, *, cid: str | None = None) -> None:
        self.message = message or self.default_message
        self.cid = cid
        super().__init__(self.message)


class BadMessage(ProtocolError):
    code = "bad_message"
    default_message = "The frame is not a JSON object of a known type with valid fields."


class InvalidOp(ProtocolError):
    code = "invalid_op"
    default_message = "The op does not apply to the document."


class BadRev(ProtocolError):
    code = "bad_rev"
    default_message = "The revision is ahead of the document or too old to transform from."


class Forbidden(ProtocolError):
    code = "forbidden"
    default_message = "You may not do this on this document."


class TooLarge(ProtocolError):
    code = "too_large"
    default_message = "The frame is too large."


class RateLimited(ProtocolError):
    code = "rate_limited"
    default_message = "Too many messages; slow down."


class Unavailable(ProtocolError):
    code = "unavailable"
    default_message = "Storage is unavailable; nothing was committed. Resend the same cid later."


class DocumentNotFound(ProtocolError):
    code = "not_found"
    default_message = "The document does not exist."
