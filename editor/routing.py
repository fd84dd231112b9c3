from channels.security.websocket import WebsocketDenier
from django.urls import path, re_path

from editor.consumers import DocumentConsumer

websocket_urlpatterns = [
    path("ws/documents/<uuid:document_id>/", DocumentConsumer.as_asgi()),
    # Anything else is refused at the handshake rather than crashing the router.
    re_path(r"", WebsocketDenier.as_asgi()),
]
