"""What each scenario runs: its cases (S1 has one per K), sizes and durations."""

from dataclasses import dataclass, field

from bench.ot_trace import trace_path

TRACE = "automerge-paper"
SCALEOUT_RATES = (0.25, 0.5, 1, 2)  # multiples of S2's offered rate (1,000 ops/s)
QUICK_SCALEOUT_RATES = (1, 2)


@dataclass
class Case:
    """One measured configuration: a scenario, its parameters, and how many server processes."""

    scenario: str
    label: str
    documents: int
    params: dict = field(default_factory=dict)
    processes: int = 1
    ladder: bool = False  # a step of the scale-out ladder, not a headline scenario

    @property
    def timeout(self) -> float:
        """Seconds after which the client process is killed (every load loop is bounded)."""
        return 120 + 2 * (self.params.get("duration", 0) + self.params.get("drain_timeout", 0))


def editing_timing(quick: bool, duration: float | None, full: float) -> dict:
    return {
        "duration": duration or (2.0 if quick else full),
        "warmup": 0.5 if quick else 1.0,
        "drain_timeout": 10.0 if quick else 30.0,
    }


def hot_document(quick: bool, duration: float | None) -> list[Case]:
    timing = editing_timing(quick, duration, 10.0)
    return [Case("S1", f"S1 K={k}", documents=1, params={"k": k, **timing}) for k in (1, 4, 16)]


def typing_load(quick: bool, duration: float | None) -> Case:
    params = {"per_document": 4, "period": 0.2, "rate": 1, **editing_timing(quick, duration, 15.0)}
    return Case("S2", "S2", documents=50, params=params)


def ladder_step(
    quick: bool, duration: float, rate: float, processes: int, placement: str = "spread"
) -> Case:
    params = {"per_document": 4, "period": 0.2 / rate, "rate": rate, "placement": placement}
    params.update(editing_timing(quick, duration, duration))
    label = f"S2 {processes}p x{rate:g}" + (" by-document" if placement == "by-document" else "")
    return Case("S2", label, documents=50, params=params, processes=processes, ladder=True)


def idle_connections(quick: bool, duration: float | None) -> list[Case]:
    connections = 400 if quick else 2000
    params = {"per_document": 4, "warm_documents": 5, "hold": 2.0}
    return [Case("S3", "S3", documents=connections // 4, params=params)]


def trace_replay(quick: bool, duration: float | None) -> list[Case]:
    params = {"trace": str(trace_path(TRACE)), "drain_timeout": 300.0}
    return [Case("S4", "S4", documents=1, params=params)]


def scale_out(quick: bool, duration: float | None) -> list[Case]:
    """S2 on 1 and 2 Daphne processes over a ladder of offered rates (5 s per step).

    On 2 processes twice: each document's sockets spread over both (the worst
    case), and each document's sockets on one process, as a load balancer that
    routes by document (README, scaled-out deployment) places them.
    """
    rates = QUICK_SCALEOUT_RATES if quick else SCALEOUT_RATES
    step = duration or (2.0 if quick else 5.0)
    placements = ((1, "spread"), (2, "spread"), (2, "by-document"))
    return [
        ladder_step(quick, step, rate, processes, placement)
        for processes, placement in placements
        for rate in rates
    ]


SCENARIOS = {
    "S1": hot_document,
    "S2": lambda quick, duration: [typing_load(quick, duration)],
    "S3": idle_connections,
    "S4": trace_replay,
    "scaleout": scale_out,
}
ALL = ("S1", "S2", "S3", "S4", "scaleout")
