"""Settings for the test suite: the real settings, with a throwaway secret key."""

import os

os.environ.setdefault("SECRET_KEY", "insecure-test-only-key-" + "x" * 40)

from config import settings as base
from config.settings import *  # noqa: F403

# The manifest storage needs collectstatic; tests render templates without it.
STORAGES = {
    **base.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Static files are served from the finders in tests (no collectstatic run).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Threads of database_sync_to_async would otherwise keep connections open past
# the test, and PostgreSQL refuses to drop a test database that is in use.
DATABASES = {"default": {**base.DATABASES["default"], "CONN_MAX_AGE": 0}}
