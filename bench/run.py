"""Benchmark Cowrite against the bare Channels pipeline, over real WebSockets.

    python -m bench.run S1|S2|S3|S4|scaleout|all [--quick] [--repeat N] [--duration S]
    python -m bench.run S1 S2 --profile     # py-spy on the servers, SQL counts (Cowrite)

Starts everything itself: a fresh PostgreSQL database (migrated), Daphne
processes of Cowrite (`config.settings`, DEBUG=0, channels-redis pub/sub, durable
commits) and of the bare pipeline (`bench.bare_asgi`), and a separate load
client process per measured run. Prints a table (Cowrite, bare, ratio), then
the medians as JSON, and writes everything to bench/results/.
"""

import argparse
import datetime
import json
import sys
from pathlib import Path

from bench import cases as scenario_cases
from bench import environment, report
from bench.driver import run_case
from bench.ot_trace import load_trace
from bench.procstat import wait_for_quiet
from bench.stats import median_of
from bench.system import document_state, fresh_database, prepare_database, running, server_env

RESULTS = Path(__file__).resolve().parent / "results"


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    names = [*scenario_cases.SCENARIOS, "all"]
    parser.add_argument(
        "scenarios", nargs="+", choices=names, metavar="SCENARIO", help=", ".join(names)
    )
    parser.add_argument("--quick", action="store_true", help="2 s windows, 400 idle sockets")
    parser.add_argument("--repeat", type=int, default=1, help="runs per case; medians reported")
    parser.add_argument("--duration", type=float, help="seconds per measured window")
    targets = "comma-separated: cowrite, bare, bare-direct (bare without the per-message hop)"
    parser.add_argument("--targets", default="cowrite,bare", help=targets)
    parser.add_argument("--p99-threshold", type=float, default=50.0, help="scale-out, in ms")
    parser.add_argument("--profile", action="store_true", help="py-spy, SQL counts")
    parser.add_argument(
        "--quiet-below",
        type=float,
        default=30.0,
        help="before each run, wait until the machine is busy below this %% of a core",
    )
    parser.add_argument("--quiet-wait", type=float, default=120.0, help="...for at most S seconds")
    parser.add_argument("--output", type=Path, help="results file (default: bench/results/...)")
    return parser.parse_args(argv)


def selected_cases(args: argparse.Namespace) -> list[scenario_cases.Case]:
    names = scenario_cases.ALL if "all" in args.scenarios else args.scenarios
    return [
        case for name in names for case in scenario_cases.SCENARIOS[name](args.quick, args.duration)
    ]


def apps_for(args: argparse.Namespace) -> dict[str, str]:
    """Return result name -> Daphne application (bench.system.APPS key)."""
    counted = {"cowrite": "cowrite-counted"} if args.profile else {}
    return {name: counted.get(name, name) for name in args.targets.split(",")}


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    profile_dir = RESULTS / "profiles" / stamp if args.profile else None
    if profile_dir:
        profile_dir.mkdir(parents=True)
    record = {"started": stamp, "command": " ".join(["python -m bench.run", *sys.argv[1:]])}
    record.update(environment.describe(), options={k: str(v) for k, v in vars(args).items()})
    with fresh_database() as database_url:
        env = server_env(database_url)
        prepare_database(env)
        record["cases"] = [
            measure(case, env, apps_for(args), args, profile_dir) for case in selected_cases(args)
        ]
    record["scale_out"] = report.scale_out_summary(record["cases"], args.p99_threshold)
    print_and_save(record, args.output or RESULTS / f"{stamp}-{'-'.join(args.scenarios)}.json")
    return 0


def measure(case, env: dict, apps: dict, args, profile_dir: Path | None) -> dict:
    """Run a case `repeat` times per target, alternating targets; return runs and medians."""
    runs = {name: [] for name in apps}
    for repeat in range(args.repeat):
        for name, app in apps.items():
            waited, busy = wait_for_quiet(args.quiet_below, args.quiet_wait)
            with running(app, env, case.processes) as target:
                figures = run_case(case, target, seed=repeat, profile_dir=profile_dir)
                check_content(case, target, figures)
            figures.update(quiet_wait_s=waited, machine_busy_before_pct=busy)
            runs[name].append(figures)
            progress(case, name, repeat, figures)
    return {
        "label": case.label,
        "scenario": case.scenario,
        "processes": case.processes,
        "ladder": case.ladder,
        "params": case.params,
        "runs": runs,
        "median": {name: median_of(figures) for name, figures in runs.items()},
    }


def check_content(case, target, figures: dict) -> None:
    """Compare what the clients ended with (S1, S2) or the trace's end (S4) with storage."""
    documents = figures.pop("documents", None)
    document_ids = figures.pop("documents_ids")
    if target.app.startswith("bare"):
        return  # no storage, no OT: documents diverge by design
    if documents is not None:
        figures["converged"] = figures["settled"] and all(
            state["clients_agree"]
            and document_state(target, document_id) == (state["rev"], state["text"])
            for document_id, state in documents.items()
        )
    if case.scenario == "S4":
        rev, text = document_state(target, document_ids[0])
        figures["server_rev"] = rev
        figures["content_ok"] = text == load_trace(Path(case.params["trace"]))["endContent"] + "\n"


def progress(case, name: str, repeat: int, figures: dict) -> None:
    brief = {key: figures.get(key) for key in report.HEADLINES[case.scenario]}
    print(f"[{case.label} | {name} | run {repeat + 1}] {json.dumps(brief)}", file=sys.stderr)


def print_and_save(record: dict, path: Path) -> None:
    print()
    print(report.render_table(record["cases"]))
    print()
    print(report.render_contention(record["cases"]))
    if record["scale_out"]:
        print()
        print(report.render_scale_out(record["scale_out"]))
    medians = {case["label"]: case["median"] for case in record["cases"]}
    print()
    print(json.dumps({"medians": medians, "scale_out": record["scale_out"]}, indent=1))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1) + "\n")
    print(f"\nresults: {path}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
