"""Diff two strings into equal, deleted and inserted parts, as fast-diff does.

A port of diff-match-patch as fast-diff (quill-delta's text diff) runs it, with
its semantic cleanup on. First a diff: trim the common prefix and suffix, take
the shortcuts for an empty side or one text inside the other, split around a
half match, else find the middle snake of Myers' O(ND) walk and recurse. Then
the cleanup, which trades a minimal diff for one a person reads: an equality no
longer than the edits on both sides of it is folded into them ("Bad cat" to
"Good dog" deletes and inserts whole words, not letters around a shared "d"),
and an edit slides sideways to a word or line boundary.

It differs from fast-diff in two ways. It works on Python code points, so it
never splits a surrogate pair, while the cleanup still counts lengths in UTF-16
code units, as fast-diff does. And every search spends steps of a work budget
(the diff and the cleanup one budget each): once it is spent, a sub-problem is
given up (delete it all, insert it all), a half match is no longer looked for
and edits no longer slide, so large or repetitive texts cannot stall the caller.
"""

from editor.ot import utf16

EQUAL, INSERT, DELETE = 0, 1, -1
Diff = list[tuple[int, str]]

# Steps of the edit-graph walk, and as many for the cleanup: a few seconds at most.
DEFAULT_BUDGET = 2_000_000
# Copying, comparing or scanning about this many characters costs one step.
_CHARACTERS_PER_STEP = 1024


class _Budget:
    __slots__ = ("left",)

    def __init__(self, steps: int) -> None:
        self.left = steps

    def spend(self, steps: int) -> bool:
        self.left -= steps
        return self.left >= 0


def _cost(characters: int) -> int:
    return 1 + characters // _CHARACTERS_PER_STEP


def diff_text(a: str, b: str, budget: int = DEFAULT_BUDGET) -> Diff:
    """Return (kind, text) parts that turn a into b; kind is EQUAL, INSERT or DELETE.

    The parts are fast-diff's with cleanup on (not a minimal diff, a readable
    one); neighbouring parts may share a kind, as fast-diff's may.
    """
    return _cleanup_semantic(_diff(a, b, _Budget(budget)), _Budget(budget))


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


# The diff: diff-match-patch's diff_main, diff_compute_, diff_halfMatch_ and diff_bisect_.


def _diff(a: str, b: str, budget: _Budget) -> Diff:
    if a == b:
        return [(EQUAL, a)] if a else []
    prefix = common_prefix(a, b)
    suffix = common_suffix(a[prefix:], b[prefix:])
    middle = _compute(a[prefix : len(a) - suffix], b[prefix : len(b) - suffix], budget)
    head = [(EQUAL, a[:prefix])] if prefix else []
    tail = [(EQUAL, a[len(a) - suffix :])] if suffix else []
    # Merged at every level of the recursion, as diff_main does: merging only
    # the whole can slide an edit elsewhere.
    return _merge([*head, *middle, *tail])


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
    half = _half_match(a, b, budget)
    if half is not None:
        a_head, a_tail, b_head, b_tail, common = half
        return [*_diff(a_head, b_head, budget), (EQUAL, common), *_diff(a_tail, b_tail, budget)]
    return _bisect(a, b, budget)


HalfMatch = tuple[str, str, str, str, str]


def _half_match(a: str, b: str, budget: _Budget) -> HalfMatch | None:
    """Find a text common to a and b at least half as long as the longer one.

    Return (a's head, a's tail, b's head, b's tail, the common text), or None.
    The search may spend a quarter of the budget left, so that in a repetitive
    text, where its seed is found everywhere, the walk still gets the rest.
    """
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    if len(longer) < 4 or len(shorter) * 2 < len(longer):
        return None
    share = max(budget.left // 4, 0)
    allowance = _Budget(share)
    first = _half_match_at(longer, shorter, (len(longer) + 3) // 4, allowance)
    second = _half_match_at(longer, shorter, (len(longer) + 1) // 2, allowance)
    budget.spend(share - allowance.left)
    if first is None or (second is not None and len(second[4]) >= len(first[4])):
        first = second
    if first is None:
        return None
    longer_head, longer_tail, shorter_head, shorter_tail, common = first
    if len(a) > len(b):
        return longer_head, longer_tail, shorter_head, shorter_tail, common
    return shorter_head, shorter_tail, longer_head, longer_tail, common


def _half_match_at(longer: str, shorter: str, at: int, budget: _Budget) -> HalfMatch | None:
    """Grow each place of shorter holding the quarter of longer at `at`; keep the longest."""
    seed = longer[at : at + len(longer) // 4]
    best: HalfMatch | None = None
    best_length = 0
    if not budget.spend(_cost(len(shorter))):
        return None
    found = shorter.find(seed)
    while found != -1:
        if not budget.spend(_cost(len(longer) + len(shorter))):
            return None
        prefix = common_prefix(longer[at:], shorter[found:])
        suffix = common_suffix(longer[:at], shorter[:found])
        if best_length < prefix + suffix:
            best_length = prefix + suffix
            best = (
                longer[: at - suffix],
                longer[at + prefix :],
                shorter[: found - suffix],
                shorter[found + prefix :],
                shorter[found - suffix : found + prefix],
            )
        found = shorter.find(seed, found + 1)
    return best if best_length * 2 >= len(longer) else None


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


# The merge: diff-match-patch's diff_cleanupMerge.


def _merge(parts: Diff) -> Diff:
    """Merge neighbours of a kind, move text common to a delete and an insert out of
    them, and slide an edit over a neighbouring equality it can swallow; repeat."""
    while True:
        parts = _merge_runs(parts)
        if not _slide_over_equalities(parts):
            return parts


def _merge_runs(parts: Diff) -> Diff:
    merged: Diff = []
    deleted: list[str] = []
    inserted: list[str] = []
    for kind, text in parts:
        if not text:
            continue
        if kind == DELETE:
            deleted.append(text)
        elif kind == INSERT:
            inserted.append(text)
        else:
            _flush(merged, "".join(deleted), "".join(inserted))
            deleted, inserted = [], []
            _add_equal(merged, text)
    _flush(merged, "".join(deleted), "".join(inserted))
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


def _slide_over_equalities(parts: Diff) -> bool:
    """Slide each edit between equalities over one it ends or starts with: A<BA>C -> <AB>AC."""
    changed = False
    index = 1
    while index < len(parts) - 1:
        (before_kind, before), (kind, edit), (after_kind, after) = parts[index - 1 : index + 2]
        if before_kind == EQUAL and after_kind == EQUAL:
            if edit.endswith(before):
                slid = (kind, before + edit[: len(edit) - len(before)])
                parts[index - 1 : index + 2] = [slid, (EQUAL, before + after)]
                changed = True
            elif edit.startswith(after):
                slid = (kind, edit[len(after) :] + after)
                parts[index - 1 : index + 2] = [(EQUAL, before + after), slid]
                changed = True
        index += 1
    return changed


# The semantic cleanup: diff-match-patch's diff_cleanupSemantic.


def _cleanup_semantic(parts: Diff, budget: _Budget) -> Diff:
    if _fold_small_equalities(parts):
        parts = _merge(parts)
    _align_edits(parts, budget)
    return _split_overlaps(parts, budget)


def _fold_small_equalities(parts: Diff) -> bool:
    """Replace each equality no longer than the edits on both sides of it by a delete
    and an insert of its text; return whether any was.

    The edits on a side are measured as the longer of their deletes and inserts.
    After a fold the equality before it is measured again.
    """
    changed = False
    equalities: list[int] = []  # indexes of the equalities not folded, in order
    last: str | None = None  # the text of equalities[-1], until it is measured again
    before = after = (0, 0)  # (inserted, deleted) UTF-16 units on each side of last
    index = 0
    while index < len(parts):
        kind, text = parts[index]
        if kind == EQUAL:
            equalities.append(index)
            before, after, last = after, (0, 0), text
        else:
            size = utf16.length(text)
            after = (after[0] + size, after[1]) if kind == INSERT else (after[0], after[1] + size)
            if last and utf16.length(last) <= min(max(before), max(after)):
                at = equalities.pop()
                parts[at : at + 1] = [(DELETE, last), (INSERT, last)]
                if equalities:
                    equalities.pop()
                index = equalities[-1] if equalities else -1
                before = after = (0, 0)
                last = None
                changed = True
        index += 1
    return changed


def _align_edits(parts: Diff, budget: _Budget) -> None:
    """Slide each edit between two equalities to the most natural boundary
    (diff_cleanupSemanticLossless): "The c<at c>ame." -> "The <cat >came."."""
    index = 1
    while index < len(parts) - 1:
        if parts[index - 1][0] == EQUAL and parts[index + 1][0] == EQUAL:
            kind, edit = parts[index]
            before, after = parts[index - 1][1], parts[index + 1][1]
            new_before, new_edit, new_after = _best_boundary(before, edit, after, budget)
            if new_before != before:
                if new_before:
                    parts[index - 1] = (EQUAL, new_before)
                else:
                    del parts[index - 1]
                    index -= 1
                parts[index] = (kind, new_edit)
                if new_after:
                    parts[index + 1] = (EQUAL, new_after)
                else:
                    del parts[index + 1]
                    index -= 1
        index += 1


def _best_boundary(before: str, edit: str, after: str, budget: _Budget) -> tuple[str, str, str]:
    """Return before, edit, after with the edit slid to its best-scoring place.

    The edit first slides as far left as it can, then right one character at a
    time while it can; the last best score wins, so whitespace trails an edit.
    """
    common = common_suffix(before, edit)
    if common:
        moved = edit[len(edit) - common :]
        before, edit, after = before[: len(before) - common], moved + edit[:-common], moved + after
    text, start, size = before + edit + after, len(before), len(edit)
    reach = common_prefix(text[start:], text[start + size :])  # how far it can slide right
    reach = min(reach, max(budget.left, 0))
    budget.spend(reach)
    best, best_score = start, -1
    for at in range(start, start + reach + 1):
        score = _score(text, 0, at, at + size) + _score(text, at, at + size, len(text))
        if score >= best_score:
            best, best_score = at, score
    return text[:best], text[best : best + size], text[best + size :]


_ALPHANUMERIC = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
# JavaScript's \s, which fast-diff tests with, rather than Python's str.isspace().
_WHITESPACE = frozenset(
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)


def _score(text: str, start: int, at: int, end: int) -> int:
    """Score the boundary at `at` between text[start:at] and text[at:end], from 6
    (an edge) down to 0 (inside a word), as diff_cleanupSemanticScore_ does."""
    if at in (start, end):
        return 6
    first, second = text[at - 1], text[at]
    if first in "\r\n" and text.endswith(("\n\n", "\n\r\n"), start, at):
        return 5  # a blank line
    if second in "\r\n" and text.startswith(("\n\n", "\n\r\n", "\r\n\n", "\r\n\r\n"), at, end):
        return 5
    if first in "\r\n" or second in "\r\n":
        return 4  # a line break
    symbol_first, space_first = first not in _ALPHANUMERIC, first in _WHITESPACE
    if symbol_first and not space_first and second in _WHITESPACE:
        return 3  # the end of a sentence
    if space_first or second in _WHITESPACE:
        return 2
    if symbol_first or second not in _ALPHANUMERIC:
        return 1
    return 0


def _split_overlaps(parts: Diff, budget: _Budget) -> Diff:
    """Turn text that ends a delete and starts the next insert (or the other way
    round) into an equality, when it is at least half of either of them."""
    result: Diff = []
    index = 0
    while index < len(parts):
        if index + 1 < len(parts) and parts[index][0] == DELETE and parts[index + 1][0] == INSERT:
            result += _split_overlap(parts[index][1], parts[index + 1][1], budget)
            index += 2
        else:
            result.append(parts[index])
            index += 1
    return result


def _split_overlap(deleted: str, inserted: str, budget: _Budget) -> Diff:
    forward = _overlap(deleted, inserted, budget)
    backward = _overlap(inserted, deleted, budget)
    forward_units = utf16.length(inserted[:forward])
    backward_units = utf16.length(deleted[:backward])
    deleted_units, inserted_units = utf16.length(deleted), utf16.length(inserted)
    if forward_units >= backward_units:
        if 2 * forward_units >= min(deleted_units, inserted_units):
            parts = [
                (DELETE, deleted[: len(deleted) - forward]),
                (EQUAL, inserted[:forward]),
                (INSERT, inserted[forward:]),
            ]
            return [part for part in parts if part[1]]
    elif 2 * backward_units >= min(deleted_units, inserted_units):
        parts = [
            (INSERT, inserted[: len(inserted) - backward]),
            (EQUAL, deleted[:backward]),
            (DELETE, deleted[backward:]),
        ]
        return [part for part in parts if part[1]]
    return [(DELETE, deleted), (INSERT, inserted)]


def _overlap(first: str, second: str, budget: _Budget) -> int:
    """Return the length of the longest suffix of first that is a prefix of second
    (diff_commonOverlap_), or the longest found when the budget runs out."""
    if not first or not second:
        return 0
    size = min(len(first), len(second))
    first, second = first[len(first) - size :], second[:size]
    if first == second:
        return size
    best, length = 0, 1
    while length <= size and budget.spend(_cost(size)):
        found = second.find(first[size - length :])
        if found == -1:
            break
        length += found
        if found == 0 or first[size - length :] == second[:length]:
            best = length
            length += 1
    return best
