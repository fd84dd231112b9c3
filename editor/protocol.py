"""The message vocabulary of PROTOCOL.md (WebSocket part): the only copy of it.

Client frames are parsed into small typed values or a typed error; server frames
are built here and nowhere else.
"""

from dataclasses import dataclass

import orjson

from editor.errors import BadMessage, TooLarge

MAX_CID_LENGTH = 64


@dataclass(frozen=True)
class Sync:
    rev: int | None


@dataclass(frozen=True)
class SubmitOp:
    rev: int
    cid: str
    ops: list


@dataclass(frozen=True)
class Presence:
    rev: int
    range: dict | None


@dataclass(frozen=True)
class Ping:
    pass


ClientMessage = Sync | SubmitOp | Presence | Ping


def parse_client_frame(text: str | bytes | None, max_bytes: int) -> ClientMessage:
    """Return the typed message of one client frame; raise BadMessage or TooLarge."""
    if text is None:
        raise BadMessage("Frames must be JSON text, not binary.")
    if len(text) > max_bytes or (len(text) * 4 > max_bytes and len(text.encode()) > max_bytes):
        raise TooLarge(f"The frame is larger than {max_bytes} bytes.")
    try:
        message = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise BadMessage("The frame is not valid JSON.") from None
    if not isinstance(message, dict):
        raise BadMessage("A frame must be a JSON object.")
    parser = PARSERS.get(message.get("type"))
    if parser is None:
        raise BadMessage(f"Unknown message type {message.get('type')!r}.")
    return parser(message)


def is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def parse_sync(message: dict) -> Sync:
    rev = message.get("rev")
    if rev is not None and not is_count(rev):
        raise BadMessage("sync.rev must be a non-negative integer or null.")
    return Sync(rev)


def parse_op(message: dict) -> SubmitOp:
    rev, cid, ops = message.get("rev"), message.get("cid"), message.get("ops")
    if not isinstance(cid, str) or not 0 < len(cid) <= MAX_CID_LENGTH:
        raise BadMessage(f"op.cid must be a string of 1 to {MAX_CID_LENGTH} characters.")
    if not is_count(rev):
        raise BadMessage("op.rev must be a non-negative integer.", cid=cid)
    if not isinstance(ops, list):
        raise BadMessage("op.ops must be a Delta: a list of operations.", cid=cid)
    return SubmitOp(rev, cid, ops)


def parse_presence(message: dict) -> Presence:
    rev, selection = message.get("rev"), message.get("range")
    if not is_count(rev):
        raise BadMessage("presence.rev must be a non-negative integer.")
    if selection is not None and not (
        isinstance(selection, dict)
        and is_count(selection.get("index"))
        and is_count(selection.get("length"))
    ):
        raise BadMessage("presence.range must be null or {index, length} of non-negative ints.")
    return Presence(rev, None if selection is None else dict(selection))


PARSERS = {
    "sync": parse_sync,
    "op": parse_op,
    "presence": parse_presence,
    "ping": lambda message: Ping(),
}


def encode(frame: dict) -> str:
    return orjson.dumps(frame).decode()


def welcome_frame(*, session, rev, role, title, peers, content=None, ops=None) -> str:
    frame = {"type": "welcome", "session": session, "rev": rev, "role": role, "title": title}
    frame["peers"] = peers
    if ops is None:
        frame["content"] = content
    else:
        frame["ops"] = ops
    return encode(frame)


def op_payload(*, rev: int, ops: list, cid: str, session: str | None, author: dict | None):
    """Return a committed op as sent to other clients (also the welcome's catch-up entries)."""
    return {"type": "op", "rev": rev, "ops": ops, "cid": cid, "session": session, "author": author}


def ack_frame(cid: str, rev: int) -> str:
    return encode({"type": "ack", "cid": cid, "rev": rev})


def error_frame(code: str, message: str, cid: str | None = None) -> str:
    frame = {"type": "error", "code": code, "message": message}
    if cid is not None:
        frame["cid"] = cid
    return encode(frame)


def presence_payload(*, session: str, user: dict, rev: int, range: dict | None) -> dict:
    return {"type": "presence", "session": session, "user": user, "rev": rev, "range": range}


def leave_frame(session: str) -> str:
    return encode({"type": "leave", "session": session})


def meta_frame(title: str) -> str:
    return encode({"type": "meta", "title": title})


PONG_FRAME = encode({"type": "pong"})
