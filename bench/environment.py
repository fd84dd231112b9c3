"""What a result was measured on: the machine, the software versions, the code revision."""

import os
import platform
import subprocess
from importlib import metadata

import psycopg
import redis

from bench.procstat import loadavg
from bench.system import POSTGRES_ADMIN_URL, PROJECT_DIR, REDIS_URL

PACKAGES = (
    "Django",
    "channels",
    "channels-redis",
    "daphne",
    "Twisted",
    "autobahn",
    "redis",
    "psycopg",
    "orjson",
    "websockets",
)


def describe() -> dict:
    return {"machine": machine(), "versions": versions(), "code": code_revision()}


def machine() -> dict:
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "kernel": platform.release(),
        "loadavg_at_start": loadavg(),
    }


def cpu_model() -> str:
    with open("/proc/cpuinfo") as file:
        for line in file:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def versions() -> dict:
    found = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = None
    found.update(postgres_settings())
    found["redis_server"] = redis.Redis.from_url(REDIS_URL).info("server")["redis_version"]
    return found


def postgres_settings() -> dict:
    with psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres") as connection:
        show = {
            name: connection.execute(f"SHOW {name}").fetchone()[0]
            for name in ("server_version", "synchronous_commit", "fsync")
        }
    return {f"postgres_{name}": value for name, value in show.items()}


def code_revision() -> dict:
    def git(*args: str) -> str:
        result = subprocess.run(
            ["git", *args], cwd=PROJECT_DIR, capture_output=True, text=True, check=False
        )
        return result.stdout.strip()

    return {
        "commit": git("rev-parse", "HEAD"),
        "uncommitted_files": len(git("status", "--porcelain").splitlines()),
    }
