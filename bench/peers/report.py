"""Helper of bench/peers/run.sh: the quantile levels of the agreement check, and the markdown
report of the peer comparison.

    python3 bench/peers/report.py levels LOG_DIR DRAWS
    python3 bench/peers/report.py write LOG_DIR COMMAND SQUIGGLE_MAX_DRAWS > results/bench/peers.md

LOG_DIR holds what run.sh recorded: `rows` (one line per compared run: label, tool, threads,
tab-separated), LABEL.time (one "wall_seconds peak_KiB" line per timed run), LABEL.json
(the run's JSON), and for `write` reference.json (darkfigure at the reference draw count with the
levels printed by `levels`). Agreement rule: the `agreement` function below.
"""
import json
import math
import os
import platform
import statistics
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

LEVELS = (0.025, 0.5, 0.975)  # the quantile levels of scenarios/examples/kz-multiplier.toml
WIDTH = 4.0  # agreement half-width, in Monte Carlo standard errors


@dataclass
class Summary:
    """What one run reports about one output."""
    mean: float
    sd: float
    quantiles: dict  # level (float) -> value
    mcse_mean: float = math.nan
    indicator: bool = False


@dataclass
class Row:
    """One compared run: a tool at a draw count and thread count, timed over several rounds."""
    label: str
    tool: str
    draws: int
    threads: str
    walls: list
    peaks_kib: list
    outputs: dict  # output name -> Summary


def read_json_summaries(path: Path) -> tuple:
    """(draws, {output: Summary}) from a peer's JSON or from darkfigure's JSON."""
    document = json.loads(path.read_text())
    if "scenarios" in document:
        scenario = document["scenarios"][0]
        outputs = {
            name: Summary(o["mean"], o["sd"], {float(k): v for k, v in o["quantiles"].items()},
                          o["mcse_mean"], o["indicator"])
            for name, o in scenario["outputs"].items()
        }
        return scenario["settings"]["draws"], outputs
    outputs = {
        name: Summary(o["mean"], o["sd"], {float(k): v for k, v in o["quantiles"].items()})
        for name, o in document["outputs"].items()
    }
    return int(document["draws"]), outputs


def read_rows(log: Path) -> list:
    rows = []
    for line in (log / "rows").read_text().splitlines():
        label, tool, threads = line.split("\t")
        times = [entry.split() for entry in (log / f"{label}.time").read_text().splitlines()]
        draws, outputs = read_json_summaries(log / f"{label}.json")
        rows.append(Row(label, tool, draws, threads, [float(t[0]) for t in times],
                        [float(t[1]) for t in times], outputs))
    return rows


def quantile_se(level: float, n_peer: int, n_reference: int) -> float:
    """Standard deviation of the difference of two empirical CDFs at the level-quantile."""
    return math.sqrt(level * (1 - level) * (1 / n_peer + 1 / n_reference))


def bracket_levels(level: float, n_peer: int, n_reference: int) -> tuple:
    """The levels p - 4s and p + 4s, kept inside (0, 1)."""
    half_width = WIDTH * quantile_se(level, n_peer, n_reference)
    smallest = 1 / n_reference
    return max(level - half_width, smallest), min(level + half_width, 1 - smallest)


def reference_quantile(summary: Summary, level: float) -> float:
    """darkfigure's quantile at a level it was asked for (its JSON keys are rounded decimals)."""
    nearest = min(summary.quantiles, key=lambda key: abs(key - level))
    assert abs(nearest - level) < 1e-12, f"level {level} missing from the reference run"
    return summary.quantiles[nearest]


@dataclass
class Check:
    """One compared statistic: darkfigure's value, the peer's value, its deviation z in units of
    the Monte Carlo standard error (agreement: |z| <= 4), and whether it agrees."""
    statistic: str
    reference: float
    value: float
    z: float
    agrees: bool


def agreement(row: Row, reference: dict, n_reference: int) -> dict:
    """{output: [Check]}. Quantiles (continuous outputs): q_p agrees if it lies between the
    reference quantiles at p - 4s and p + 4s, s = sqrt(p(1-p)(1/n_peer + 1/n_df)); z places q_p
    linearly between them. Means: |m_peer - m_df| < 4 sqrt(mcse_df^2 + sd_peer^2/n_peer); for
    an indicator, |m_peer - m_df| < 4 sqrt(m(1-m)(1/n_peer + 1/n_df)) with m the pooled mean."""
    checks = {}
    for name, ours in reference.items():
        theirs = row.outputs[name]
        difference = theirs.mean - ours.mean
        if ours.indicator:
            pooled = (theirs.mean * row.draws + ours.mean * n_reference) / (row.draws + n_reference)
            se = math.sqrt(pooled * (1 - pooled) * (1 / row.draws + 1 / n_reference))
        else:
            se = math.sqrt(ours.mcse_mean ** 2 + theirs.sd ** 2 / row.draws)
        z = difference / se if se > 0 else (0.0 if difference == 0 else math.inf)
        output_checks = [Check("mean", ours.mean, theirs.mean, z, abs(z) <= WIDTH)]
        if not ours.indicator:
            for level in LEVELS:
                low_level, high_level = bracket_levels(level, row.draws, n_reference)
                low = reference_quantile(ours, low_level)
                middle = reference_quantile(ours, level)
                high = reference_quantile(ours, high_level)
                value = theirs.quantiles[level]
                if value >= middle:
                    z = WIDTH * (value - middle) / (high - middle) if high > middle else 0.0
                else:
                    z = -WIDTH * (middle - value) / (middle - low) if middle > low else -math.inf
                output_checks.append(Check(f"q{level:g}", middle, value, z,
                                           low <= value <= high))
        checks[name] = output_checks
    return checks


def verdict(checks: dict) -> str:
    failures = [f"{name} {c.statistic} z={c.z:+.1f}"
                for name, output_checks in checks.items() for c in output_checks if not c.agrees]
    quantiles = sum(c.statistic != "mean" for cs in checks.values() for c in cs)
    means = sum(c.statistic == "mean" for cs in checks.values() for c in cs)
    if failures:
        return "no: " + "; ".join(failures) + " (outside 4 s)"
    return f"yes: {quantiles} quantiles and {means} means within 4 s"


def first_line(command: list) -> str:
    try:
        text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "not found"
    return text.splitlines()[0].strip()


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def version_of(rows: list, tool: str, log: Path) -> str:
    for row in rows:
        if row.tool == tool:
            return json.loads((log / f"{row.label}.json").read_text()).get("version", "?")
    return "not run"


def number(x: float) -> str:
    return f"{x:.6g}"


def write(log: Path, command: str, squiggle_max_draws: int) -> None:
    rows = read_rows(log)
    n_reference, reference = read_json_summaries(log / "reference.json")
    reference_document = json.loads((log / "reference.json").read_text())
    timed_reference = {(r.draws, r.threads): statistics.median(r.walls)
                       for r in rows if r.tool == "darkfigure"}

    print("# darkfigure and its peers on the reference model\n")
    print(f"Machine: {cpu_model()}, {os.cpu_count()} cores, "
          f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC. "
          f"darkfigure {reference_document['darkfigure']} "
          f"({reference_document['provenance']['git_commit'][:12]}), "
          f"NumPy {version_of(rows, 'NumPy', log)}, "
          f"OpenTURNS {version_of(rows, 'OpenTURNS', log)}, "
          f"{first_line(['R', '--version'])}, "
          f"Squiggle (@quri/squiggle-lang) {version_of(rows, 'Squiggle', log)} "
          f"on Node {first_line(['node', '--version'])}.\n")
    print(f"Produced by `{command}`: scenarios/examples/kz-multiplier.toml, "
          f"{len(rows[0].walls)} alternating rounds, each process timed whole by "
          "GNU time (wall seconds, peak resident memory).\n")

    print("| tool | draws | threads | median wall s | peak MiB | draws/s "
          "| time / darkfigure 1 thread | time / darkfigure 2 threads | quantiles agree |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for row in rows:
        wall = statistics.median(row.walls)
        ratios = []
        for threads in ("1", "2"):
            baseline = timed_reference.get((row.draws, threads))
            ratios.append(f"{wall / baseline:.2f}" if baseline else "–")
        print(f"| {row.tool} | {row.draws:,} | {row.threads} | {wall:.2f} "
              f"| {statistics.median(row.peaks_kib) / 1024:.0f} | {row.draws / wall / 1e6:.2f} M "
              f"| {ratios[0]} | {ratios[1]} | {verdict(agreement(row, reference, n_reference))} |")

    print(f"\nAgreement is judged against one more darkfigure run at {n_reference:,} draws: a "
          "peer's quantile q_p agrees if it lies between darkfigure's quantiles at levels "
          "p ± 4s, s = √(p(1−p)(1/n_peer + 1/n_df)), which holds whatever the distribution "
          "because the empirical CDF at a quantile has standard deviation s. "
          "Means agree if |m_peer − m_df| < 4√(mcse_df² + sd_peer²/n_peer), and for the "
          "indicator output the probabilities agree if |m_peer − m_df| < "
          "4√(m(1−m)(1/n_peer + 1/n_df)), m the pooled mean.\n")
    limit_walls = {r.threads: statistics.median(r.walls)
                   for r in rows if r.tool == "limit program" and r.draws == n_reference}
    overheads = [f"{timed_reference[(n_reference, t)] / limit_walls[t]:.2f} at {t} thread"
                 + ("s" if t != "1" else "")
                 for t in ("1", "2") if t in limit_walls and (n_reference, t) in timed_reference]
    if overheads:
        print("The limit program (bench/limit/) is the same model written out by hand on "
              "darkfigure's own samplers and summaries, with no scenario file, formula evaluator "
              "or engine; it makes the same draws and prints the same figures. darkfigure's time "
              f"over the limit program's: {', '.join(overheads)}.\n")
    print("OpenTURNS evaluates a SymbolicFunction over a Sample with its own TBB thread pool "
          "(as many threads as cores); NumPy, R and Squiggle run one thread. Squiggle runs at most "
          f"{squiggle_max_draws:,} samples, the largest power of ten it handled on this "
          "machine (at ten times that, Node ran out of its default 4 GiB heap); at a larger "
          "draw count darkfigure also runs at Squiggle's count, one thread, for a like-for-like "
          "ratio.\n")

    peers = [row for row in rows if row.tool not in ("darkfigure", "limit program")]
    checks = {row.label: agreement(row, reference, n_reference) for row in peers}
    print("## Per output\n")
    print("Each peer's value, and in brackets its deviation z from darkfigure in Monte Carlo "
          "standard errors (quantiles: placed linearly between darkfigure's quantiles at p and "
          "p ± 4s; agreement is |z| ≤ 4).\n")
    print("| output | statistic | darkfigure | "
          + " | ".join(f"{row.tool} ({row.draws:,})" for row in peers) + " |")
    print("|---|---|---:|" + "---:|" * len(peers))
    for name in reference:
        for index, check in enumerate(checks[peers[0].label][name]):
            cells = [checks[row.label][name][index] for row in peers]
            print(f"| {name} | {check.statistic} | {number(check.reference)} | "
                  + " | ".join(f"{number(c.value)} ({c.z:+.1f}){'' if c.agrees else ' ✗'}"
                               for c in cells) + " |")


def levels(log: Path, n_reference: int) -> None:
    """Prints the comma-separated quantile levels the reference run needs."""
    rows = read_rows(log)
    wanted = set(LEVELS)
    for row in rows:
        for level in LEVELS:
            wanted.update(bracket_levels(level, row.draws, n_reference))
    print(",".join(repr(level) for level in sorted(wanted)))


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "levels":
        levels(Path(sys.argv[2]), int(sys.argv[3]))
    elif len(sys.argv) == 5 and sys.argv[1] == "write":
        write(Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
