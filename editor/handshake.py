"""ASGI middleware that decides who is on the other end of a WebSocket handshake."""

from urllib.parse import urlsplit

from channels.db import database_sync_to_async
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http.request import split_domain_port, validate_host


def header(scope, name: bytes) -> str | None:
    """Return the first value of a handshake header, decoded, or None."""
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def origin_allowed(origin: str | None) -> bool:
    """Return whether a handshake's Origin may open a socket.

    Browsers always send Origin, so cross-site socket hijacking is stopped by
    checking it; clients that send none (tokens, scripts) carry no ambient
    cookie to abuse.
    """
    if origin is None:
        return True
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    domain, _port = split_domain_port(urlsplit(origin).netloc)
    allowed_hosts = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed_hosts:
        allowed_hosts = [".localhost", "127.0.0.1", "[::1]"]
    return bool(domain) and validate_host(domain, allowed_hosts)


class OriginCheckMiddleware:
    """Refuse (HTTP 403) a WebSocket handshake from a foreign Origin."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not origin_allowed(header(scope, b"origin")):
            return await WebsocketDenier.as_asgi()(scope, receive, send)
        return await self.app(scope, receive, send)


@database_sync_to_async
def user_for_token(key: str):
    from rest_framework.authtoken.models import Token

    token = Token.objects.select_related("user").filter(key=key).first()
    if token is None or not token.user.is_active:
        return AnonymousUser()
    return token.user


class TokenAuthMiddleware:
    """Authenticate `Authorization: Token <key>`; it overrides any session cookie."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        authorization = header(scope, b"authorization")
        if authorization is not None:
            scheme, _, key = authorization.partition(" ")
            valid = scheme.lower() == "token" and key.strip()
            scope = {
                **scope,
                "user": await user_for_token(key.strip()) if valid else AnonymousUser(),
            }
        return await self.app(scope, receive, send)
