"""Who is looking at a document in this process, and the colour each person gets."""

PALETTE = [
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4",
    "#f032e6", "#469990", "#9a6324", "#800000", "#808000", "#000075",
]  # fmt: skip


def user_color(user_id: int) -> str:
    """Return a stable colour for a user, the same in every process.

    Consecutive ids (people who joined around the same time, who often work
    together) get different colours.
    """
    return PALETTE[user_id % len(PALETTE)]


class PresenceRegistry:
    """The latest presence of each local session, per document.

    A `welcome` lists these at once; sessions in other processes answer the
    newcomer's `presence.hello` over the channel layer.
    """

    def __init__(self) -> None:
        self._documents: dict = {}

    def update(self, document_id, session: str, presence: dict) -> None:
        self._documents.setdefault(document_id, {})[session] = presence

    def remove(self, document_id, session: str) -> None:
        sessions = self._documents.get(document_id, {})
        sessions.pop(session, None)
        if not sessions:
            self._documents.pop(document_id, None)

    def peers(self, document_id, exclude: str) -> list[dict]:
        sessions = self._documents.get(document_id, {})
        return [presence for session, presence in sessions.items() if session != exclude]
