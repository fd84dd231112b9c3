"""Percentiles and medians for the benchmark figures."""

import math
import statistics


def percentile(values: list[float], q: float) -> float | None:
    """Return the q-th percentile (0-100) by linear interpolation, None without values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def millis(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


def latency_summary(prefix: str, samples: list[float]) -> dict:
    """Return p50/p99/max in milliseconds, keyed `<prefix>_p50_ms` etc., and the count."""
    return {
        f"{prefix}_p50_ms": millis(percentile(samples, 50)),
        f"{prefix}_p99_ms": millis(percentile(samples, 99)),
        f"{prefix}_max_ms": millis(max(samples, default=None)),
        f"{prefix}_samples": len(samples),
    }


def median_of(runs: list[dict]) -> dict:
    """Return each figure's median over the runs; a check holds only if it held in every run.

    Anything else (texts, nested reports) is taken from the first run.
    """
    merged = {}
    for key, first in runs[0].items():
        values = [run.get(key) for run in runs]
        if all(isinstance(value, bool) for value in values):
            merged[key] = all(values)
        elif all(isinstance(value, int | float) for value in values):
            merged[key] = round(statistics.median(values), 3)
        else:
            merged[key] = first
    return merged


def ratio(value, baseline) -> float | None:
    """Return value / baseline, or None when either is missing or the baseline is zero."""
    numeric = (int, float)
    if not isinstance(value, numeric) or not isinstance(baseline, numeric) or not baseline:
        return None
    return round(value / baseline, 2)
