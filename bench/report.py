"""The printed table: every headline figure for Cowrite, the bare pipeline, and their ratio."""

from bench.stats import ratio

HEADLINES = {
    "S1": (
        "committed_ops_per_s",
        "ack_p50_ms",
        "ack_p99_ms",
        "delivery_p50_ms",
        "delivery_p99_ms",
        "delivered_pct",
        "server_cpu_pct",
        "client_cpu_pct",
        "other_cpu_pct",
        "converged",
    ),
    "S2": (
        "offered_edits_per_s",
        "ops_sent_per_s",
        "delivery_p50_ms",
        "delivery_p99_ms",
        "delivered_pct",
        "ack_p99_ms",
        "server_cpu_pct",
        "postgres_cpu_pct",
        "redis_cpu_pct",
        "client_cpu_pct",
        "other_cpu_pct",
        "client_timer_lag_p99_ms",
        "converged",
    ),
    "S3": (
        "connections",
        "rss_per_connection_kb",
        "rss_baseline_mb",
        "rss_idle_mb",
        "connections_per_s",
        "still_connected",
    ),
    "S4": (
        "edits_per_s",
        "seconds",
        "ops_sent",
        "edits_per_op",
        "ack_p99_ms",
        "server_cpu_pct",
        "client_cpu_pct",
        "other_cpu_pct",
        "wal_mb_per_s",
        "client_typing_seconds",
        "content_ok",
    ),
}


SCALE_OUT_HEADLINES = (
    "offered_edits_per_s",
    "ops_sent_per_s",
    "delivery_p99_ms",
    "delivered_pct",
    "server_cpu_pct",
    "client_cpu_pct",
)


def headlines(case: dict) -> tuple[str, ...]:
    return SCALE_OUT_HEADLINES if case.get("ladder") else HEADLINES[case["scenario"]]


def ladder(cases: list[dict], processes: int, placement: str = "spread") -> list[dict]:
    """Return the scale-out steps run on `processes` servers, lowest offered rate first."""
    steps = [
        case
        for case in cases
        if case.get("ladder")
        and case["processes"] == processes
        and case["params"].get("placement", "spread") == placement
    ]
    return sorted(steps, key=lambda case: case["params"]["rate"])


def baselines(cases: list[dict]) -> list[str]:
    """Return the targets other than Cowrite that the cases ran against (bare first)."""
    names = {name for case in cases for name in case["median"] if name != "cowrite"}
    return sorted(names, key=lambda name: (name != "bare", name))


def table_rows(cases: list[dict]) -> list[tuple]:
    others = baselines(cases)
    rows = []
    for case in cases:
        medians = case["median"]
        for metric in headlines(case):
            ours = medians.get("cowrite", {}).get(metric)
            row = [case["label"], metric, ours]
            for other in others:
                theirs = medians.get(other, {}).get(metric)
                row += [theirs, ratio(ours, theirs)]
            rows.append(tuple(row))
    return rows


def shown(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def render_table(cases: list[dict]) -> str:
    header = ["case", "figure", "cowrite"]
    for other in baselines(cases):
        header += [other, f"cowrite/{other}"]
    rows = [tuple(header)] + [tuple(shown(v) for v in row) for row in table_rows(cases)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for number, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [cell.rjust(width) for cell, width in zip(row[2:], widths[2:], strict=True)]
        lines.append("  ".join(cells))
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


CONTENDED_PCT = 25.0  # other work on the machine above this share of a core taints a run


def contended_runs(cases: list[dict]) -> list[str]:
    """Return "case / target / run n: other X %" for runs that shared the CPU with other work."""
    found = []
    for case in cases:
        for app, runs in case["runs"].items():
            for number, figures in enumerate(runs, 1):
                other = figures.get("other_cpu_pct")
                if other is not None and other > CONTENDED_PCT:
                    found.append(f"{case['label']} / {app} / run {number}: other {other:.0f} %")
    return found


def render_contention(cases: list[dict]) -> str:
    found = contended_runs(cases)
    if not found:
        return "No run shared the CPU with other work (other_cpu_pct <= 25 % in every run)."
    return (
        f"{len(found)} runs shared the CPU with other work on the machine "
        f"(other_cpu_pct > {CONTENDED_PCT:g} % of a core); medians include them:\n  "
        + "\n  ".join(found)
    )


def capacity(
    cases: list[dict], app: str, processes: int, threshold_ms: float, placement: str = "spread"
) -> float | None:
    """Return the highest offered edits/s whose delivery p99 stays under the threshold.

    Steps count from the lowest rate up; the first failing step ends the climb.
    None when even the lowest step fails.
    """
    best = None
    for case in ladder(cases, processes, placement):
        figures = case["median"].get(app, {})
        p99, delivered = figures.get("delivery_p99_ms"), figures.get("delivered_pct")
        if p99 is None or p99 > threshold_ms or (delivered or 0) < 99.9:
            break
        best = figures["offered_edits_per_s"]
    return best


def throughput(
    cases: list[dict], app: str, processes: int, placement: str = "spread"
) -> float | None:
    """Return the most ops/s the clients got committed at any step of the ladder."""
    steps = ladder(cases, processes, placement)
    sent = [case["median"].get(app, {}).get("ops_sent_per_s") for case in steps]
    return max((value for value in sent if value is not None), default=None)


def scale_out_summary(cases: list[dict], threshold_ms: float) -> dict | None:
    if not ladder(cases, 2):
        return None
    summary = {"p99_threshold_ms": threshold_ms}
    for app in ("cowrite", *baselines(cases)):
        if not any(app in case["median"] for case in cases):
            continue
        one, two = (capacity(cases, app, processes, threshold_ms) for processes in (1, 2))
        most_1p, most_2p = (throughput(cases, app, processes) for processes in (1, 2))
        summary[app] = {
            "capacity_1p": one,
            "capacity_2p": two,
            "speedup": ratio(two, one),
            "max_ops_per_s_1p": most_1p,
            "max_ops_per_s_2p": most_2p,
            "max_ops_speedup": ratio(most_2p, most_1p),
        }
        if ladder(cases, 2, "by-document"):
            by_document = capacity(cases, app, 2, threshold_ms, "by-document")
            most = throughput(cases, app, 2, "by-document")
            summary[app].update(
                capacity_2p_by_document=by_document,
                speedup_by_document=ratio(by_document, one),
                max_ops_per_s_2p_by_document=most,
                max_ops_speedup_by_document=ratio(most, most_1p),
            )
    return summary


def render_scale_out(summary: dict) -> str:
    lines = [
        f"Scale-out: highest offered edits/s with delivery p99 <= {summary['p99_threshold_ms']} ms "
        "and >= 99.9 % delivered"
    ]
    apps = [app for app in summary if app != "p99_threshold_ms"]
    for app in apps:
        entry = summary[app]
        lines.append(
            f"  {app:11} 1 process: {shown(entry['capacity_1p'])}   "
            f"2 processes: {shown(entry['capacity_2p'])}   2p/1p: {shown(entry['speedup'])}"
            + by_document(entry, "capacity_2p_by_document", "speedup_by_document")
        )
    lines.append("Most ops/s committed (sent and acked) at any step of the ladder")
    for app in apps:
        entry = summary[app]
        lines.append(
            f"  {app:11} 1 process: {shown(entry['max_ops_per_s_1p'])}   "
            f"2 processes: {shown(entry['max_ops_per_s_2p'])}   "
            f"2p/1p: {shown(entry['max_ops_speedup'])}"
            + by_document(entry, "max_ops_per_s_2p_by_document", "max_ops_speedup_by_document")
        )
    return "\n".join(lines)


def by_document(entry: dict, figure: str, speedup: str) -> str:
    """Return the by-document placement's figure for a scale-out line, if it ran."""
    if figure not in entry:
        return ""
    return f"   2 processes by document: {shown(entry[figure])}   2p/1p: {shown(entry[speedup])}"


# The README's headline table: the figures the issue sets targets for, and their context.
README_FIGURES = {
    "S1": ("committed_ops_per_s", "ack_p99_ms", "delivery_p50_ms", "delivery_p99_ms"),
    "S2": (
        "ops_sent_per_s",
        "delivery_p50_ms",
        "delivery_p99_ms",
        "delivered_pct",
        "server_cpu_pct",
    ),
    "S3": ("rss_per_connection_kb", "connections_per_s"),
    "S4": ("edits_per_s", "content_ok"),
}
TARGETS = {
    ("S1 K=16", "committed_ops_per_s"): ">= 1,000",
    ("S1 K=16", "delivery_p99_ms"): "<= 100",
    ("S2", "delivery_p99_ms"): "<= 10",
    ("S2", "delivered_pct"): "100",
    ("S3", "rss_per_connection_kb"): "<= 15",
    ("S4", "edits_per_s"): ">= 20,000",
    ("S4", "content_ok"): "True",
}


def render_markdown(cases: list[dict]) -> str:
    """Return the headline figures as a Markdown table (for the README)."""
    others = baselines(cases)
    header = ["case", "figure", "Cowrite", *others, *(f"Cowrite / {o}" for o in others), "target"]
    rule = "|" + "---|" * 2 + "---:|" * (len(header) - 3) + "---|"
    lines = ["| " + " | ".join(header) + " |", rule]
    for case in cases:
        if case.get("ladder"):
            continue
        for metric in README_FIGURES[case["scenario"]]:
            ours = case["median"].get("cowrite", {}).get(metric)
            theirs = [case["median"].get(other, {}).get(metric) for other in others]
            if ours is None and not any(value is not None for value in theirs):
                continue  # e.g. broadcast latency with a single editor
            cells = [case["label"], metric, shown(ours), *map(shown, theirs)]
            cells += [shown(ratio(ours, value)) for value in theirs]
            cells.append(TARGETS.get((case["label"], metric), ""))
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the table of a recorded results file: python -m bench.report FILE [--markdown]."""
    import argparse
    import json
    from pathlib import Path

    parser = argparse.ArgumentParser(prog="python -m bench.report")
    parser.add_argument("file", type=Path)
    parser.add_argument("--p99-threshold", type=float, default=50.0)
    parser.add_argument("--markdown", action="store_true", help="the README's headline table")
    args = parser.parse_args(argv)
    record = json.loads(args.file.read_text())
    if args.markdown:
        print(render_markdown(record["cases"]))
        return 0
    print(render_table(record["cases"]))
    print()
    print(render_contention(record["cases"]))
    summary = scale_out_summary(record["cases"], args.p99_threshold)
    if summary:
        print()
        print(render_scale_out(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
