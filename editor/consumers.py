"""WebSocket transport: decode a frame, call the pure layer, encode the answer."""

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from docs_app.selectors import document_role


class DocumentConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        document_id = self.scope["url_route"]["kwargs"]["document_id"]
        self.role = await database_sync_to_async(document_role)(self.scope["user"], document_id)
        if self.role is None:
            await self.close()  # before accept: Daphne answers the handshake with 403
            return
        await self.accept()

    async def receive(self, text_data=None, bytes_data=None):
        try:
            message = json.loads(text_data) if text_data is not None else None
        except ValueError:
            message = None
        if isinstance(message, dict) and message.get("type") == "ping":
            await self.send(text_data='{"type":"pong"}')
            return
        await self.send(
            text_data=json.dumps(
                {
                    "type": "error",
                    "code": "bad_message",
                    "message": "Expected a JSON object with a known type.",
                }
            )
        )
