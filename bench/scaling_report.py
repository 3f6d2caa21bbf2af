"""Helper of bench/scaling.sh: the markdown report of the scaling runs.

    python3 bench/scaling_report.py LOG_DIR COMMAND HEAD_COMMIT MAX_REPETITIONS \
        REPEAT_BELOW_SECONDS > results/bench/scaling.md

LOG_DIR holds what scaling.sh recorded: `cases` (one line per case: id, section, draws, threads,
--memory value or "default", scenarios, darkfigure command; tab-separated), ID.time (one
"wall_seconds peak_KiB other_cpu_seconds" line per run of the case, the last the CPU time of all
other processes of the machine during the run) and ID.json (the JSON of its last run).
Sections: "startup" (1-draw runs: the fixed cost of a process), "draws" and "scenarios".
"""
import json
import os
import statistics
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

TOLERANCE = 0.15  # a step is flagged when its time ratio is off the linear ratio by more than this
TIMER_STEP = 0.01  # GNU time prints wall seconds with two decimals
NOTABLE_SHARE = 0.05  # smallest start-up cost or rounding error worth naming (share of a time)
BUSY_CORES = 0.25  # other processes using this many cores or more during a run disturb it
MODEL = "scenarios/examples/kz-multiplier.toml"


@dataclass
class Case:
    """One timed configuration, run one or more times."""
    section: str
    draws: int  # per scenario
    threads: int
    memory: str  # the --memory value, or "default"
    scenarios: int
    command: str
    walls: list
    peaks_kib: list
    other_cpu: list  # seconds of CPU used by other processes during each run
    document: dict

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def peak_mib(self) -> float:
        return statistics.median(self.peaks_kib) / 1024

    @property
    def other_cores(self) -> float:
        """Cores used by other processes during the runs, on average (median over runs)."""
        return statistics.median(cpu / wall if wall > 0 else 0.0
                                 for cpu, wall in zip(self.other_cpu, self.walls))

    @property
    def total_draws(self) -> int:
        return self.draws * self.scenarios

    @property
    def ns_per_draw(self) -> float:
        return self.wall * 1e9 / self.total_draws

    @property
    def mode(self) -> str:
        methods = {s["settings"]["quantile_method"] for s in self.document["scenarios"]}
        return "/".join(sorted(methods))

    @property
    def budget_bytes(self) -> int:
        return self.document["scenarios"][0]["settings"]["memory_budget"]

    @property
    def spread(self) -> float:
        """(slowest - fastest) / median over the runs of the case; 0 for a single run."""
        return (max(self.walls) - min(self.walls)) / self.wall if self.wall > 0 else 0.0

    @property
    def series(self) -> tuple:
        """Cases of one series differ only in their draws."""
        return self.threads, self.memory


def read_cases(log: Path) -> list:
    cases = []
    for line in (log / "cases").read_text().splitlines():
        case_id, section, draws, threads, memory, scenarios, command = line.split("\t")
        runs = [entry.split() for entry in (log / f"{case_id}.time").read_text().splitlines()]
        case = Case(section, int(draws), int(threads), memory, int(scenarios), command,
                    [float(run[0]) for run in runs], [float(run[1]) for run in runs],
                    [float(run[2]) for run in runs],
                    json.loads((log / f"{case_id}.json").read_text()))
        check(case)
        cases.append(case)
    return cases


def check(case: Case) -> None:
    """Stops if the JSON does not describe the run that was asked for."""
    scenarios = case.document["scenarios"]
    names = {s["name"] for s in scenarios}
    settings = [(s["settings"]["draws"], s["settings"]["threads"]) for s in scenarios]
    if (len(scenarios) != case.scenarios or len(names) != case.scenarios
            or any(pair != (case.draws, case.threads) for pair in settings)):
        sys.exit(f"scaling_report.py: the JSON of `{case.command}` reports {len(names)} "
                 f"distinct scenarios with (draws, threads) {sorted(set(settings))}")


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


def total_memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024**2
    return float("nan")


def draws_label(n: int) -> str:
    """1e5 for a power of ten, else the number with thousands separators."""
    exponent = len(str(n)) - 1
    return f"1e{exponent}" if n == 10**exponent and exponent > 0 else f"{n:,}"


def bytes_label(n: int) -> str:
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} B"


def rate_label(x: float) -> str:
    return f"{x / 1e6:.2f} M"


def percent(x: float) -> str:
    return f"{100 * x:+.0f}%"


def off_linear(ratio: float, expected: float) -> float:
    return ratio / expected - 1


def steps(cases: list) -> list:
    """(smaller, larger) pairs of consecutive sizes within each series of the draws section."""
    by_series = {}
    for case in cases:
        by_series.setdefault(case.series, []).append(case)
    pairs = []
    for series in by_series.values():
        ordered = sorted(series, key=lambda c: c.draws)
        pairs += list(zip(ordered, ordered[1:]))
    return pairs


def ordered_draws_cases(cases: list) -> list:
    """Stored-draws series first, then by threads and draws."""
    return sorted(cases, key=lambda c: (c.memory != "default", c.threads, c.draws))


def write_header(cases: list, command: str, head: str, max_repetitions: int,
                 repeat_below: str) -> None:
    document = cases[0].document
    built_from = document["provenance"]["git_commit"][:len(head)]
    print("# darkfigure: scaling with draws, scenarios and threads\n")
    print(f"Machine: {cpu_model()}, {os.cpu_count()} cores, {total_memory_gib():.1f} GiB memory. "
          f"Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC. "
          f"darkfigure {document['darkfigure']}, binary built from commit {built_from} "
          f"(repository HEAD {head}).\n")
    if max_repetitions > 1:
        repetitions = (f"the median of {max_repetitions} runs for cases whose first run took "
                       f"under {repeat_below} s, 1 run otherwise")
    else:
        repetitions = "1 run per case"
    print(f"Produced by `{command}`: the reference model {MODEL} (5 outputs, one an "
          "indicator); each case is one darkfigure process timed whole by "
          '`/usr/bin/time -f "%e %M"` (wall seconds to 0.01 s, peak resident memory), '
          f"{repetitions} (column \"runs\"). The mode (exact quantiles from stored draws, or "
          "histograms) and the memory budget are those the JSON reports. \"Other cores\": the "
          "CPU time all other processes of the machine used during a run (/proc/stat less "
          "darkfigure's own), per second of wall time, counted in 10 ms ticks and so rough "
          f"for runs under a second; from {BUSY_CORES} up they competed for the CPUs. The "
          "darkfigure commands are listed at the end.\n")


def write_draws(cases: list, startup: list) -> None:
    print("## Draws\n")
    print("One scenario per invocation. \"× previous\" is the ratio of the time to that of the "
          "next smaller size with the same threads and budget (linear growth: the ratio of the "
          "draws).\n")
    print("| draws | threads | mode | budget | runs | median wall s | peak MiB | draws/s "
          "| ns per draw | × previous | other cores |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    previous = {larger.command: smaller for smaller, larger in steps(cases)}
    for case in ordered_draws_cases(cases):
        before = previous.get(case.command)
        ratio = f"{case.wall / before.wall:.2f}" if before and before.wall > 0 else ""
        rate = rate_label(case.total_draws / case.wall) if case.wall > 0 else ""
        print(f"| {draws_label(case.draws)} | {case.threads} | {case.mode} "
              f"| {bytes_label(case.budget_bytes)} | {len(case.walls)} | {case.wall:.2f} "
              f"| {case.peak_mib:.0f} | {rate} | {case.ns_per_draw:.0f} | {ratio} "
              f"| {case.other_cores:.2f} |")
    fixed = ", ".join(f"{c.wall:.2f} s and {c.peak_mib:.0f} MiB at {c.threads} "
                      f"thread{'s' if c.threads > 1 else ''}" for c in startup)
    print(f"\nFixed cost of a process (a run of 1 draw): {fixed}.\n")


def write_scenarios(cases: list) -> None:
    one = min(cases, key=lambda c: c.scenarios)
    print("## Scenarios per invocation\n")
    print(f"Copies of the reference model with distinct names, all in one invocation, "
          f"{draws_label(one.draws)} draws each, {one.threads} threads, default budget.\n")
    print("| scenarios | mode | runs | wall s | peak MiB | s per scenario | × 1 scenario "
          "| other cores |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for case in sorted(cases, key=lambda c: c.scenarios):
        ratio = f"{case.wall / one.wall:.2f}" if one.wall > 0 else ""
        print(f"| {case.scenarios} | {case.mode} | {len(case.walls)} | {case.wall:.2f} "
              f"| {case.peak_mib:.0f} | {case.wall / case.scenarios:.3f} | {ratio} "
              f"| {case.other_cores:.2f} |")
    print()


def write_threads(cases: list) -> None:
    print("## Threads\n")
    print("Every size run at both 1 and 2 threads; parallel efficiency = t1 / (2 t2) "
          "(1 is perfect scaling).\n")
    print("| draws | mode | t1 s | t2 s | speed-up t1/t2 | efficiency |")
    print("|---:|---|---:|---:|---:|---:|")
    by_size = {}
    for case in cases:
        by_size.setdefault((case.memory != "default", case.draws), {})[case.threads] = case
    for key in sorted(by_size):
        pair = by_size[key]
        if 1 in pair and 2 in pair and pair[2].wall > 0:
            one, two = pair[1], pair[2]
            speedup = one.wall / two.wall
            print(f"| {draws_label(one.draws)} | {one.mode} | {one.wall:.2f} | {two.wall:.2f} "
                  f"| {speedup:.2f} | {speedup / 2:.2f} |")
    print()


@dataclass
class Note:
    """A measured fact about a flagged row, and the reason it points to if it accounts for it."""
    text: str
    reason: str = ""


def rounding_notes(smaller: Case, larger: Case, expected: float) -> list:
    """Whether the 0.01 s rounding of GNU time leaves room for a linear ratio."""
    half = TIMER_STEP / 2
    if smaller.wall <= half:
        return [Note(f"the smaller run rounds to {smaller.wall:.2f} s", "timer rounding")]
    if half / smaller.wall <= NOTABLE_SHARE:
        return []
    low = max(larger.wall - half, 0) / (smaller.wall + half)
    high = (larger.wall + half) / (smaller.wall - half)
    text = f"with GNU time's 0.01 s rounding the ratio lies between {low:.2f} and {high:.2f}"
    if low <= expected * (1 + TOLERANCE) and high >= expected * (1 - TOLERANCE):
        return [Note(text, "timer rounding: the step may well be linear")]
    return [Note(text + ", still off linear")]


def spread_notes(cases: list) -> list:
    """Run-to-run variation of the cases of a step, and other processes competing for the CPUs."""
    notes = []
    for case in cases:
        if len(case.walls) > 1 and case.spread > TOLERANCE:
            notes.append(Note(f"the {len(case.walls)} runs of the {case.wall:.2f} s case spread "
                              f"by {100 * case.spread:.0f}% of their median",
                              "run-to-run variation"))
    if any(len(case.walls) == 1 for case in cases):
        notes.append(Note("one run per case, so run-to-run variation is not measured"))
    busy = [case for case in cases if case.other_cores >= BUSY_CORES]
    if busy:
        used = " and ".join(f"{case.other_cores:.2f} cores during the {case.wall:.2f} s case"
                            for case in busy)
        notes.append(Note(f"other processes used {used}",
                          "other processes on the machine"))
    return notes


def startup_notes(fixed: Case, smaller: Case, larger: Case, expected: float) -> list:
    """Whether the fixed cost of a process, paid once per run, accounts for a slow step."""
    if smaller.wall <= fixed.wall:
        return [Note(f"the smaller run ({smaller.wall:.2f} s) is no longer than a 1-draw run "
                     f"({fixed.wall:.2f} s)", "start-up cost dominates the smaller run")]
    share = fixed.wall / smaller.wall
    net = (larger.wall - fixed.wall) / (smaller.wall - fixed.wall)
    if share < NOTABLE_SHARE:
        return [Note(f"a 1-draw run takes {fixed.wall:.2f} s, so start-up cost does not "
                     "account for it")]
    text = (f"a 1-draw run takes {fixed.wall:.2f} s, {100 * share:.0f}% of the smaller run; "
            f"without it the ratio is {net:.2f}")
    if abs(off_linear(net, expected)) <= TOLERANCE:
        return [Note(text, "start-up cost, paid once per run")]
    return [Note(text + ", still off linear")]


def memory_notes(smaller: Case, larger: Case, others: list) -> list:
    """Peak memory of the step, and the time per draw of the other mode at the larger size."""
    notes = [Note(f"peak memory {smaller.peak_mib:.0f} → {larger.peak_mib:.0f} MiB")]
    for other in others:
        if (other.draws, other.threads) == (larger.draws, larger.threads) \
                and other.mode != larger.mode and other.wall > 0:
            extra = larger.wall / other.wall - 1
            reason = (f"the {larger.mode} path costs more per draw than the {other.mode} path "
                      "at this size") if extra > TOLERANCE else ""
            notes.append(Note(f"at {draws_label(larger.draws)} draws and the same threads "
                              f"{larger.mode} mode takes {larger.ns_per_draw:.0f} ns per draw, "
                              f"{other.mode} mode {other.ns_per_draw:.0f}", reason))
    return notes


def explain(notes: list) -> str:
    reasons = [note.reason for note in notes if note.reason]
    reason = reasons[0] if reasons else "not identified by these measurements"
    measured = "; ".join(note.text for note in notes)
    return f"Likely reason: {reason}." + (f" Measured: {measured}." if measured else "")


def flagged_draws(cases: list, startup: dict) -> list:
    lines = []
    for smaller, larger in steps(cases):
        expected = larger.draws / smaller.draws
        ratio = larger.wall / smaller.wall if smaller.wall > 0 else float("inf")
        deviation = off_linear(ratio, expected)
        if round(abs(deviation), 3) <= TOLERANCE:  # no flag from float noise at 15%
            continue
        notes = rounding_notes(smaller, larger, expected)
        if deviation < 0:
            notes += startup_notes(startup[larger.threads], smaller, larger, expected)
        else:
            notes += memory_notes(smaller, larger, cases)
        notes += spread_notes([smaller, larger])
        lines.append(f"- {draws_label(smaller.draws)} → {draws_label(larger.draws)} draws, "
                     f"{larger.threads} thread{'s' if larger.threads > 1 else ''}, "
                     f"{larger.mode}: {smaller.wall:.2f} s → {larger.wall:.2f} s, "
                     f"×{ratio:.2f} for ×{expected:g} draws ({percent(deviation)}; "
                     f"{smaller.ns_per_draw:.0f} → {larger.ns_per_draw:.0f} ns per draw). "
                     + explain(notes))
    return lines


def flagged_scenarios(cases: list, startup: dict) -> list:
    ordered = sorted(cases, key=lambda c: c.scenarios)
    one = ordered[0]
    fixed = startup[one.threads]
    lines = []
    for case in ordered[1:]:
        per_scenario = case.wall / case.scenarios
        deviation = off_linear(per_scenario, one.wall) if one.wall > 0 else float("inf")
        if round(abs(deviation), 3) <= TOLERANCE:  # no flag from float noise at 15%
            continue
        notes = rounding_notes(one, case, case.scenarios)
        if deviation < 0:
            notes += startup_notes(fixed, one, case, case.scenarios)
        else:
            notes.append(Note(f"peak memory {one.peak_mib:.0f} → {case.peak_mib:.0f} MiB"))
        notes += spread_notes([one, case])
        lines.append(f"- {case.scenarios} scenarios: {case.wall:.2f} s, {per_scenario:.3f} s "
                     f"per scenario against {one.wall:.2f} s for 1 ({percent(deviation)}). "
                     + explain(notes))
    return lines


def memory_growth(cases: list) -> list:
    """One sentence per series: how peak memory changes from its smallest to its largest size."""
    by_series = {}
    for case in cases:
        by_series.setdefault(case.series, []).append(case)
    lines = []
    for key in sorted(by_series, key=lambda k: (k[1] != "default", k[0])):
        series = by_series[key]
        first, last = min(series, key=lambda c: c.draws), max(series, key=lambda c: c.draws)
        if first is last:
            continue
        growth = last.peak_mib / first.peak_mib
        per_draw = (last.peak_mib - first.peak_mib) * 1024**2 / (last.draws - first.draws)
        shape = (f"grows (×{growth:.1f}, {per_draw:.0f} bytes per added draw)"
                 if growth > 1 + TOLERANCE else f"stays flat (×{growth:.2f})")
        lines.append(f"- {last.mode}, {last.threads} thread{'s' if last.threads > 1 else ''}, "
                     f"budget {bytes_label(last.budget_bytes)}: {first.peak_mib:.0f} MiB at "
                     f"{draws_label(first.draws)} → {last.peak_mib:.0f} MiB at "
                     f"{draws_label(last.draws)}: peak memory {shape}.")
    return lines


def write_nonlinear(draws: list, scenarios: list, startup: dict) -> None:
    print("## Where growth is not linear\n")
    print(f"Flagged: a draws step whose time ratio is off the draws ratio by more than "
          f"{100 * TOLERANCE:.0f}%, and a scenario count whose time per scenario is off the "
          f"1-scenario time by more than {100 * TOLERANCE:.0f}%. Each flagged row lists what "
          "the measurements show about it and the first reason they point to.\n")
    print("Draws:\n")
    print("\n".join(flagged_draws(draws, startup)) or "- none flagged.")
    print("\nScenarios per invocation:\n")
    print("\n".join(flagged_scenarios(scenarios, startup)) or "- none flagged.")
    print("\nPeak memory with draws:\n")
    print("\n".join(memory_growth(draws)))
    first = min(scenarios, key=lambda c: c.scenarios)
    last = max(scenarios, key=lambda c: c.scenarios)
    print(f"\nPeak memory with scenarios: {first.peak_mib:.0f} MiB for {first.scenarios} → "
          f"{last.peak_mib:.0f} MiB for {last.scenarios} "
          f"(×{last.peak_mib / first.peak_mib:.2f}).\n")


def write_commands(cases: list) -> None:
    print("## Commands\n")
    print('Each run under `/usr/bin/time -f "%e %M"`; the scenario copies lived in a temporary '
          "directory.\n")
    print("```")
    for case in cases:
        print(case.command)
    print("```")


def main() -> None:
    log, command, head, max_repetitions, repeat_below = sys.argv[1:]
    cases = read_cases(Path(log))
    startup = {c.threads: c for c in cases if c.section == "startup"}
    draws = [c for c in cases if c.section == "draws"]
    scenarios = [c for c in cases if c.section == "scenarios"]
    write_header(cases, command, head, int(max_repetitions), repeat_below)
    write_draws(draws, sorted(startup.values(), key=lambda c: c.threads))
    write_scenarios(scenarios)
    write_threads(draws)
    write_nonlinear(draws, scenarios, startup)
    write_commands(cases)


if __name__ == "__main__":
    main()
