"""Settings come from the environment; production refuses unsafe configurations."""

import subprocess
import sys

from tests.live_server import PROJECT_DIR

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "SECRET_KEY": "a-production-like-secret-key-with-enough-entropy-0123456789abcdefXYZ",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "docs.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://docs.example.com",
    "HTTPS": "1",
    "PATH": "/usr/bin:/bin",
}


def run_python(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, env=env, capture_output=True, text=True
    )


def settings_value(expression: str, **env: str) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = run_python(code, {**PRODUCTION_ENV, **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_local_debug_runs_without_a_secret_key():
    assert settings_value("settings.DEBUG", SECRET_KEY="", DEBUG="1") == "True"


def test_a_malformed_boolean_is_a_clear_error():
    result = run_python("import django; django.setup()", {**PRODUCTION_ENV, "DEBUG": "maybe"})
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_without_database_url_the_database_is_a_sqlite_file_in_the_project():
    name = settings_value("settings.DATABASES['default']['NAME']")
    assert name == str(PROJECT_DIR / "db.sqlite3")


def test_database_url_selects_postgresql():
    engine = settings_value(
        "settings.DATABASES['default']['ENGINE']",
        DATABASE_URL="postgres://cowrite:pw@db.internal:5432/cowrite",
    )
    assert engine == "django.db.backends.postgresql"


def test_without_redis_url_the_channel_layer_is_in_memory():
    backend = settings_value("settings.CHANNEL_LAYERS['default']['BACKEND']")
    assert backend == "channels.layers.InMemoryChannelLayer"


def test_redis_url_selects_channels_redis():
    layers = settings_value("settings.CHANNEL_LAYERS['default']", REDIS_URL="redis://cache:6379/2")
    assert "channels_redis" in layers
    assert "redis://cache:6379/2" in layers


def test_deploy_check_is_clean_with_production_variables():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=PRODUCTION_ENV,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (2 silenced)" in result.stdout
