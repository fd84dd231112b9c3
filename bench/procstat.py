"""CPU time and resident memory of processes, read from /proc (Linux)."""

import os
import resource
import time
from dataclasses import dataclass

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """Return the user + system CPU seconds the process has used so far."""
    with open(f"/proc/{pid}/stat") as file:
        # The command name may hold spaces; the fields after it are fixed.
        fields = file.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_bytes(pid: int) -> int:
    """Return the process's resident set size."""
    with open(f"/proc/{pid}/status") as file:
        for line in file:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise ValueError(f"no VmRSS for process {pid}")


def pids_named(name: str) -> list[int]:
    """Return the ids of the processes whose command name is `name` (e.g. postgres)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/comm") as file:
                if file.read().strip() == name:
                    found.append(int(entry))
        except OSError:
            continue  # the process ended meanwhile
    return found


def cpu_by_pid(pids: list[int]) -> dict[int, float]:
    seconds = {}
    for pid in pids:
        try:
            seconds[pid] = cpu_seconds(pid)
        except OSError:
            continue  # ended meanwhile
    return seconds


def machine_busy_seconds() -> float:
    """Return the CPU seconds all cores have spent busy (not idle, not waiting for I/O)."""
    with open("/proc/stat") as file:
        ticks = [int(value) for value in file.readline().split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / CLOCK_TICKS


def all_pids() -> list[int]:
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]


def command_name(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm") as file:
            return file.read().strip()
    except OSError:
        return "?"


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """Return the CPU seconds used between two samples of the same processes.

    A process that appeared meanwhile (e.g. the PostgreSQL backend of a
    connection opened during the window) used all its time in between; one
    that ended meanwhile is lost to the sample.
    """
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


@dataclass
class CpuSample:
    """CPU seconds per process of each group, of every process, and of the machine."""

    at: float
    seconds: dict[str, dict[int, float]]
    machine: float
    everyone: dict[int, float]


class CpuMeter:
    """Sample the CPU time of named process groups; report % of one core between samples."""

    def __init__(self, groups: dict[str, list[int]], dynamic: dict[str, str] | None = None):
        self.groups = groups
        self.dynamic = dynamic or {}  # group -> command name, re-listed at every sample

    def sample(self) -> CpuSample:
        seconds = {group: cpu_by_pid(pids) for group, pids in self.groups.items()}
        for group, name in self.dynamic.items():
            seconds[group] = cpu_by_pid(pids_named(name))
        everyone = cpu_by_pid(all_pids())
        return CpuSample(time.perf_counter(), seconds, machine_busy_seconds(), everyone)

    @staticmethod
    def percent(start: CpuSample, end: CpuSample) -> dict[str, float]:
        """Return each group's CPU % of one core.

        `machine` is every core's busy time; `other` what no group accounts for
        (other work on the machine, and the kernel's share of networking).
        """
        wall = end.at - start.at
        result = {}
        for group, before in start.seconds.items():
            result[group] = round(100 * cpu_used(before, end.seconds[group]) / wall, 1)
        result["machine"] = round(100 * (end.machine - start.machine) / wall, 1)
        result["other"] = round(result["machine"] - sum(result[g] for g in start.seconds), 1)
        return result

    @staticmethod
    def top_others(start: CpuSample, end: CpuSample, count: int = 3) -> list[str]:
        """Return the busiest processes outside the groups, as "name pid: X %"."""
        ours = {pid for pids in start.seconds.values() for pid in pids}
        wall = end.at - start.at
        used = {
            pid: seconds - start.everyone.get(pid, 0.0)
            for pid, seconds in end.everyone.items()
            if pid not in ours
        }
        busiest = sorted(used, key=used.get, reverse=True)[:count]
        return [f"{command_name(pid)} {pid}: {100 * used[pid] / wall:.0f} %" for pid in busiest]


def loadavg() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def raise_fd_limit() -> None:
    """Let this process hold as many sockets as the hard limit allows (S3: 2000+)."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def machine_busy_percent(seconds: float = 1.0) -> float:
    """Return how busy all cores were over the next `seconds`, in % of one core."""
    before, started = machine_busy_seconds(), time.perf_counter()
    time.sleep(seconds)
    return 100 * (machine_busy_seconds() - before) / (time.perf_counter() - started)


def wait_for_quiet(busy_below: float, at_most: float) -> tuple[float, float]:
    """Wait until the machine is quieter than `busy_below` % of a core (bounded by `at_most` s).

    Return (seconds waited, the last busy %). Other work on a shared machine
    skews every figure; a run that still starts busy records how busy.
    """
    started = time.monotonic()
    busy = machine_busy_percent()
    while busy >= busy_below and time.monotonic() - started < at_most:
        time.sleep(2.0)
        busy = machine_busy_percent()
    return round(time.monotonic() - started, 1), round(busy, 1)
