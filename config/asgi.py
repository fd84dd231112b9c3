"""ASGI entry point: Django for HTTP, Channels for WebSockets (served by Daphne)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django must be set up before anything imports models (consumers, auth).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from editor.handshake import HandshakeAuthMiddleware, OriginCheckMiddleware  # noqa: E402
from editor.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": OriginCheckMiddleware(
            HandshakeAuthMiddleware(URLRouter(websocket_urlpatterns))
        ),
    }
)
