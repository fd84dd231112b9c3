"""Rate limits for one connection: a token bucket, and a count of recent abuse."""

import time
from collections import deque
from collections.abc import Callable


class TokenBucket:
    """Allow `rate` events per second on average, with bursts of up to `burst`."""

    def __init__(self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic):
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens = burst
        self.updated = clock()

    def _refill(self) -> None:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def take(self) -> bool:
        """Spend one token if there is one; return whether the event may proceed."""
        self._refill()
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    def wait_time(self) -> float:
        """Return the seconds until a token is available."""
        self._refill()
        return max(0.0, (1 - self.tokens) / self.rate)


class AbuseCounter:
    """Count offences in a sliding window; `exceeded` once there are more than `limit`."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self.times: deque[float] = deque()

    def record(self) -> bool:
        """Record one offence; return whether the limit is now exceeded."""
        now = self.clock()
        self.times.append(now)
        while self.times and self.times[0] < now - self.window:
            self.times.popleft()
        return len(self.times) > self.limit
