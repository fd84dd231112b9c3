"""Diff two strings into equal, deleted and inserted parts (Myers' O(ND) algorithm).

A port of the core of diff-match-patch, on which fast-diff (quill-delta's
diff) is built: trim the common prefix and suffix, take the shortcuts for an
empty side or one text inside the other, then find the middle snake and
recurse. Unlike fast-diff it skips the half-match heuristic and the semantic
cleanup, so its answers can differ from quill-delta's (both are correct diffs),
and it gives up on a sub-problem (delete it all, insert it all) once a work
budget is spent, so two large unrelated texts cannot stall the caller. It
works on Python code points, so it never splits a surrogate pair.
"""

EQUAL, INSERT, DELETE = 0, 1, -1
Diff = list[tuple[int, str]]

DEFAULT_BUDGET = 2_000_000  # steps of the edit-graph walk, a few seconds at most


class _Budget:
    __slots__ = ("left",)

    def __init__(self, steps: int) -> None:
        self.left = steps

    def spend(self, steps: int) -> bool:
        self.left -= steps
        return self.left >= 0


def diff_text(a: str, b: str, budget: int = DEFAULT_BUDGET) -> Diff:
    """Return (kind, text) parts that turn a into b; kind is EQUAL, INSERT or DELETE."""
    return _cleanup(_diff(a, b, _Budget(budget)))


def common_prefix(a: str, b: str) -> int:
    """Return the length of the common prefix of a and b (a binary search over slices)."""
    if not a or not b or a[0] != b[0]:
        return 0
    low, high, start = 0, min(len(a), len(b)), 0
    middle = high
    while low < middle:
        if a[start:middle] == b[start:middle]:
            low = start = middle
        else:
            high = middle
        middle = (high - low) // 2 + low
    return middle


def common_suffix(a: str, b: str) -> int:
    """Return the length of the common suffix of a and b."""
    if not a or not b or a[-1] != b[-1]:
        return 0
    low, high, end = 0, min(len(a), len(b)), 0
    middle = high
    while low < middle:
        if a[len(a) - middle : len(a) - end] == b[len(b) - middle : len(b) - end]:
            low = end = middle
        else:
            high = middle
        middle = (high - low) // 2 + low
    return middle


def _diff(a: str, b: str, budget: _Budget) -> Diff:
    if a == b:
        return [(EQUAL, a)] if a else []
    prefix = common_prefix(a, b)
    suffix = common_suffix(a[prefix:], b[prefix:])
    middle = _compute(a[prefix : len(a) - suffix], b[prefix : len(b) - suffix], budget)
    head = [(EQUAL, a[:prefix])] if prefix else []
    tail = [(EQUAL, a[len(a) - suffix :])] if suffix else []
    return [*head, *middle, *tail]


def _compute(a: str, b: str, budget: _Budget) -> Diff:
    if not a:
        return [(INSERT, b)]
    if not b:
        return [(DELETE, a)]
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    found = longer.find(shorter)
    if found != -1:
        kind = DELETE if len(a) > len(b) else INSERT
        rest = longer[found + len(shorter) :]
        return [(kind, longer[:found]), (EQUAL, shorter), (kind, rest)]
    if len(shorter) == 1:
        return [(DELETE, a), (INSERT, b)]
    return _bisect(a, b, budget)


def _bisect(a: str, b: str, budget: _Budget) -> Diff:
    """Find the middle snake of the edit graph walking from both ends, then split there."""
    n, m = len(a), len(b)
    max_d = (n + m + 1) // 2
    forward, backward = [-1] * (2 * max_d + 2), [-1] * (2 * max_d + 2)
    forward[max_d + 1] = backward[max_d + 1] = 0
    walk = _Walk(a, b, max_d, forward, backward)
    for d in range(max_d):
        if not budget.spend(2 * d + 2):
            break
        split = walk.forward_step(d) or walk.backward_step(d)
        if split:
            x, y = split
            return [*_diff(a[:x], b[:y], budget), *_diff(a[x:], b[y:], budget)]
    return [(DELETE, a), (INSERT, b)]


class _Walk:
    """The state of the two searches of _bisect (diff-match-patch's diff_bisect_)."""

    def __init__(self, a: str, b: str, offset: int, forward: list[int], backward: list[int]):
        self.a, self.b, self.offset = a, b, offset
        self.forward, self.backward = forward, backward
        self.delta = len(a) - len(b)
        self.front = self.delta % 2 != 0  # odd: the forward path meets the reverse one
        self.k1start = self.k1end = self.k2start = self.k2end = 0

    def forward_step(self, d: int) -> tuple[int, int] | None:
        a, b, v, offset = self.a, self.b, self.forward, self.offset
        n, m = len(a), len(b)
        for k in range(-d + self.k1start, d + 1 - self.k1end, 2):
            at = offset + k
            x = v[at + 1] if k == -d or (k != d and v[at - 1] < v[at + 1]) else v[at - 1] + 1
            y = x - k
            while x < n and y < m and a[x] == b[y]:
                x += 1
                y += 1
            v[at] = x
            if x > n:
                self.k1end += 2
            elif y > m:
                self.k1start += 2
            elif self.front:
                other = offset + self.delta - k
                reached = self.backward[other] if 0 <= other < len(v) else -1
                if reached != -1 and x >= n - reached:
                    return x, y
        return None

    def backward_step(self, d: int) -> tuple[int, int] | None:
        a, b, v, offset = self.a, self.b, self.backward, self.offset
        n, m = len(a), len(b)
        for k in range(-d + self.k2start, d + 1 - self.k2end, 2):
            at = offset + k
            x = v[at + 1] if k == -d or (k != d and v[at - 1] < v[at + 1]) else v[at - 1] + 1
            y = x - k
            while x < n and y < m and a[n - x - 1] == b[m - y - 1]:
                x += 1
                y += 1
            v[at] = x
            if x > n:
                self.k2end += 2
            elif y > m:
                self.k2start += 2
            elif not self.front:
                other = offset + self.delta - k
                if 0 <= other < len(v) and self.forward[other] != -1:
                    x1 = self.forward[other]
                    if x1 >= n - x:
                        return x1, offset + x1 - other
        return None


def _cleanup(parts: Diff) -> Diff:
    """Merge neighbours of a kind; move text common to a delete and an insert out of them."""
    merged: Diff = []
    deleted: list[str] = []
    inserted: list[str] = []
    for kind, text in [*parts, (EQUAL, "")]:
        if kind == DELETE:
            deleted.append(text)
        elif kind == INSERT:
            inserted.append(text)
        else:
            _flush(merged, "".join(deleted), "".join(inserted))
            deleted, inserted = [], []
            _add_equal(merged, text)
    return merged


def _flush(merged: Diff, deleted: str, inserted: str) -> None:
    suffix = ""
    if deleted and inserted:
        prefix = common_prefix(deleted, inserted)
        _add_equal(merged, deleted[:prefix])
        deleted, inserted = deleted[prefix:], inserted[prefix:]
        common = common_suffix(deleted, inserted)
        if common:
            suffix = deleted[len(deleted) - common :]
            deleted, inserted = deleted[: len(deleted) - common], inserted[: len(inserted) - common]
    if deleted:
        merged.append((DELETE, deleted))
    if inserted:
        merged.append((INSERT, inserted))
    _add_equal(merged, suffix)


def _add_equal(merged: Diff, text: str) -> None:
    if not text:
        return
    if merged and merged[-1][0] == EQUAL:
        merged[-1] = (EQUAL, merged[-1][1] + text)
    else:
        merged.append((EQUAL, text))
