"""Plan and report of bench/convergence/run.sh: the error of Monte Carlo, Latin hypercube and
Sobol estimates of a mean against the number of draws.

    python3 bench/convergence/report.py plan [--quick]
    python3 bench/convergence/report.py write LOG_DIR COMMAND JSON_OUT > results/bench/convergence.md

`plan` prints the runs, one per line, tab-separated: label, model, scenario file, design, draws,
seed. The first is the reference run of the reference model (a large Sobol run whose mean stands
in for the unknown truth); the others are the study, ordered by model, draws and seed, with the
three designs of one (model, draws, seed) next to each other so that they meet the same load.

`write` reads LOG_DIR, where run.sh left `runs` (one line per run: the plan's six fields and then
wall seconds, user CPU seconds, system CPU seconds) and LABEL.json (the run's JSON), and `study`
(whole study: wall seconds, CPU seconds of other processes of the machine during it, and the
UTC date and time it started); prints
the Markdown report and writes every run and every summary to JSON_OUT.
"""
import json
import math
import os
import statistics
import sys
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

DESIGNS = ("mc", "lhs", "sobol")
DESIGN_NAMES = {"mc": "MC", "lhs": "LHS", "sobol": "Sobol"}
REPLICATES = 8  # darkfigure's default, used by every LHS and Sobol run
POWER_EXPONENTS = range(7, 18)  # N = 2^k x 8: 2^k draws per replicate
SMOOTH_MEAN = (5 * math.expm1(0.2)) ** 5
TARGETS = (1e-3, 1e-4)  # relative RMSE at which the draws each design needs are reported
NORMAL_975 = 1.959964  # nominal 95 % half-width in mcse: independent draws (normal) ...
T7_975 = 2.364624  # ... and 8 replicates (Student t, 7 degrees of freedom)


def power_draws(k: int) -> int:
    return 2 ** k * REPLICATES


# Each model: its scenario file, the outputs studied, and the (draws, seeds) schedule. The
# reference model's designs cost several microseconds per draw under LHS and Sobol (inverse beta
# cdfs), so its largest draw counts get fewer seeds; the test integrands are cheap.
MODELS = {
    "kazakhstan-2023": {
        "file": "scenarios/kazakhstan-2023.toml",
        "outputs": ("victims", "prevalence_women"),
        "schedule": [(power_draws(k), 20 if k <= 15 else 10 if k == 16 else 5)
                     for k in POWER_EXPONENTS] + [(10_000, 20), (100_000, 20)],
        "quick": [(power_draws(k), 4) for k in range(7, 11)] + [(10_000, 4)],
    },
    "test-integrands": {
        "file": "bench/convergence/test-integrands.toml",
        "outputs": ("smooth", "product", "indicator"),
        "schedule": [(power_draws(k), 20 if k <= 16 else 10) for k in POWER_EXPONENTS]
                    + [(10_000, 20), (100_000, 20), (1_000_000, 10)],
        "quick": [(power_draws(k), 4) for k in range(7, 11)] + [(10_000, 4)],
    },
}
REFERENCE = {"model": "kazakhstan-2023", "design": "sobol", "draws": 2 ** 24, "seed": 20230}
REFERENCE_QUICK = dict(REFERENCE, draws=2 ** 18)

# Known means of the test integrands, with how they follow.
TRUTHS = {
    "smooth": (SMOOTH_MEAN, "exp((x1+...+x5)/5), x_i ~ uniform(0,1) independent: "
                            "E = (E exp(x/5))^5 = (5 (e^(1/5) − 1))^5"),
    "product": (1.0, "32 x1 x2 x3 x4 x5: E = 32 (1/2)^5"),
    "indicator": (0.32, "x1 + x2 > 1.2: P = (2 − 1.2)^2 / 2"),
}


def additive_shares() -> dict:
    """Share of each test integrand's variance carried by its additive part (the sum of its
    one-input main effects), from closed forms. Latin hypercube sampling removes the additive part
    of the variance asymptotically (Stein 1987), so its RMSE tends to MC's times
    sqrt(1 - share)."""
    m, s2 = 5 * math.expm1(0.2), 2.5 * math.expm1(0.4)  # E exp(x/5), E exp(2x/5)
    smooth_total, smooth_additive = s2 ** 5 - m ** 10, 5 * m ** 8 * (s2 - m * m)
    product_total, product_additive = (4 / 3) ** 5 - 1, 5 / 3  # main effect of x_i: 2 x_i
    # main effect of x1 in 1{x1 + x2 > 1.2}: P(x2 > 1.2 - x1) = max(x1 - 0.2, 0)
    indicator_total, indicator_additive = 0.32 * 0.68, 2 * (0.8 ** 3 / 3 - 0.32 ** 2)
    return {"smooth": smooth_additive / smooth_total,
            "product": product_additive / product_total,
            "indicator": indicator_additive / indicator_total}


DESCRIPTIONS = {
    "victims": "the reference model's headline output, the mean of the two multiplier routes "
               "(beta, PERT and beta_mean_sd shares in denominators: skewed to the right)",
    "prevalence_women": "victims × (1 − male_share) / women_15_49: two more inputs, a product",
    "smooth": "a smooth, nearly additive integrand",
    "product": "a smooth integrand with strong interactions (48 % of its variance)",
    "indicator": "a discontinuous integrand (depends on two of the five inputs)",
}


def plan(quick: bool) -> None:
    reference = REFERENCE_QUICK if quick else REFERENCE
    model = MODELS[reference["model"]]
    print("\t".join(["reference", reference["model"], model["file"], reference["design"],
                     str(reference["draws"]), str(reference["seed"])]))
    for name, model in MODELS.items():
        for index, (draws, seeds) in enumerate(model["quick" if quick else "schedule"]):
            for j in range(seeds):
                seed = 1000 * (index + 1) + j + 1  # distinct per (draws, seed index)
                for design in DESIGNS:
                    label = f"{name}_{design}_{draws}_{seed}"
                    print("\t".join([label, name, model["file"], design, str(draws), str(seed)]))


def read_runs(log: Path) -> list:
    runs = []
    for line in (log / "runs").read_text().splitlines():
        label, model, file, design, draws, seed, wall, user, system = line.split("\t")
        document = json.loads((log / f"{label}.json").read_text())
        scenario = document["scenarios"][0]
        settings = scenario["settings"]
        assert settings["design"] == design and settings["draws"] == int(draws)
        outputs = {name: {"estimate": o["mean"], "mcse": o["mcse_mean"]}
                   for name, o in scenario["outputs"].items()}
        runs.append({"label": label, "model": model, "file": file, "design": design,
                     "draws": int(draws), "seed": int(seed),
                     "replicates": settings.get("replicates"),
                     "mcse_method": settings.get("mcse_method"),
                     "wall_s": float(wall), "cpu_s": float(user) + float(system),
                     "outputs": outputs, "document": document})
    return runs


def is_power_point(draws: int) -> bool:
    per_replicate = draws // REPLICATES
    return draws % REPLICATES == 0 and per_replicate & (per_replicate - 1) == 0


def fit_slope(draws: list, rmse: list) -> tuple:
    """Least squares of log RMSE on log N: (slope, its standard error, intercept)."""
    x = np.log(np.asarray(draws, float))
    y = np.log(np.asarray(rmse, float))
    design = np.vstack([x, np.ones_like(x)]).T
    coefficients, *_ = np.linalg.lstsq(design, y, rcond=None)
    residuals = y - design @ coefficients
    dof = len(x) - 2
    sigma2 = residuals @ residuals / dof if dof > 0 else math.nan
    covariance = sigma2 * np.linalg.inv(design.T @ design)
    return float(coefficients[0]), float(math.sqrt(covariance[0, 0])), float(coefficients[1])


def draws_for(target: float, points: list) -> tuple:
    """(draws, bound) at which RMSE reaches target: log-log interpolation between the measured
    power-of-two points that bracket it (bound ""), or the end of the measured range with bound
    "<" (reached already at the smallest N) or ">" (not reached at the largest N)."""
    points = sorted(points)
    if points[0][1] <= target:
        return points[0][0], "<"
    for (n0, r0), (n1, r1) in zip(points, points[1:]):
        if r0 >= target >= r1:
            t = math.log(target / r0) / math.log(r1 / r0)
            return math.exp(math.log(n0) + t * math.log(n1 / n0)), ""
    return points[-1][0], ">"


def mc_draws_for(target: float, summaries: list) -> float:
    """Monte Carlo draws for an RMSE of target, from the exact 1/N law of independent draws and
    the variance sigma^2 = N RMSE^2 pooled over the power-of-two points (weighted by seeds)."""
    pooled = sum(s["seeds"] * s["draws"] * s["rmse"] ** 2 for s in summaries)
    return pooled / sum(s["seeds"] for s in summaries) / target ** 2


def write_json(path: Path, data: dict) -> None:
    """JSON with one top-level key per line and one list element (a run, a summary) per line."""
    def value(v) -> str:
        if isinstance(v, list):
            return "[\n" + ",\n".join("  " + json.dumps(x, separators=(", ", ": ")) for x in v) + "\n ]"
        return json.dumps(v, separators=(", ", ": "))
    path.write_text("{\n" + ",\n".join(f" {json.dumps(k)}: {value(v)}" for k, v in data.items())
                    + "\n}\n")


def fmt(x: float, digits: int = 3) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:.{digits}g}"


def fmt_draws(n: float) -> str:
    if math.isinf(n):
        return "∞"
    if n >= 1e6:
        return f"{n / 1e6:.3g} M"
    if n >= 1e3:
        return f"{n / 1e3:.3g} k"
    return f"{n:.0f}"


def draws_label(n: int) -> str:
    if is_power_point(n):
        return f"{n:,} (2^{int(math.log2(n // REPLICATES))}×8)"
    return f"{n:,}"


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


def write(log: Path, command: str, json_out: Path) -> None:
    runs = read_runs(log)
    wall_text, other_text, date = (log / "study").read_text().strip().split(maxsplit=2)
    study_wall, other_cpu = float(wall_text), float(other_text)
    reference_run = next(r for r in runs if r.get("label") == "reference")
    study = [r for r in runs if r["label"] != "reference"]
    document = reference_run["document"]
    version = document.get("darkfigure", "?")
    commit = document.get("provenance", {}).get("git_commit", "")[:12]
    binary = Path("build/release/src/cli/darkfigure")
    built = (datetime.fromtimestamp(binary.stat().st_mtime, timezone.utc).strftime("%Y-%m-%d %H:%M")
             if binary.exists() else "?")

    truths = {name: value for name, (value, _) in TRUTHS.items()}
    for name in MODELS[REFERENCE["model"]]["outputs"]:
        truths[name] = reference_run["outputs"][name]["estimate"]

    # Per (model, output, design, draws): the error statistics over seeds.
    summaries = []
    cells = {}
    for model_name, model in MODELS.items():
        model_runs = [r for r in study if r["model"] == model_name]
        counts = sorted({r["draws"] for r in model_runs})
        for output in model["outputs"]:
            truth = truths[output]
            for design in DESIGNS:
                for draws in counts:
                    group = [r for r in model_runs if r["design"] == design and r["draws"] == draws]
                    errors = np.array([r["outputs"][output]["estimate"] - truth for r in group])
                    mcses = np.array([r["outputs"][output]["mcse"] for r in group])
                    estimates = np.array([r["outputs"][output]["estimate"] for r in group])
                    summary = {
                        "model": model_name, "output": output, "design": design, "draws": draws,
                        "power_of_two_per_replicate": is_power_point(draws),
                        "seeds": len(group), "truth": truth,
                        "rmse": float(np.sqrt(np.mean(errors ** 2))),
                        "bias": float(np.mean(errors)),
                        "sd_over_seeds": float(np.std(estimates, ddof=1)),
                        "mean_mcse": float(np.mean(mcses)),
                        "median_wall_s": float(np.median([r["wall_s"] for r in group])),
                        "median_cpu_s": float(np.median([r["cpu_s"] for r in group])),
                    }
                    summaries.append(summary)
                    cells[(output, design, draws)] = summary

    slopes = {}
    for model_name, model in MODELS.items():
        for output in model["outputs"]:
            for design in DESIGNS:
                points = [(s["draws"], s["rmse"]) for s in summaries
                          if s["output"] == output and s["design"] == design
                          and s["power_of_two_per_replicate"]]
                slope, se, intercept = fit_slope(*zip(*points))
                slopes[(output, design)] = {"slope": slope, "se": se, "intercept": intercept,
                                            "points": points}

    # Cost per draw: the marginal wall and CPU time between the smallest and the largest
    # power-of-two draw counts (medians over seeds), so that the fixed cost of a process drops out.
    costs = {}
    for model_name, model in MODELS.items():
        output = model["outputs"][0]
        for design in DESIGNS:
            power = sorted(s["draws"] for s in summaries if s["output"] == output
                           and s["design"] == design and s["power_of_two_per_replicate"])
            small, large = cells[(output, design, power[0])], cells[(output, design, power[-1])]
            span = large["draws"] - small["draws"]
            costs[(model_name, design)] = {
                "draws": large["draws"],
                "median_wall_s": large["median_wall_s"],
                "wall_us_per_draw": 1e6 * (large["median_wall_s"] - small["median_wall_s"]) / span,
                "cpu_us_per_draw": 1e6 * (large["median_cpu_s"] - small["median_cpu_s"]) / span,
                "small_draws": small["draws"], "small_median_wall_s": small["median_wall_s"],
            }

    reference_mcse = {name: reference_run["outputs"][name]["mcse"]
                      for name in MODELS[REFERENCE["model"]]["outputs"]}
    run_wall = sum(r["wall_s"] for r in runs)

    # ---------------------------------------------------------------- JSON
    studied = {output for model in MODELS.values() for output in model["outputs"]}
    write_json(json_out, {
        "command": command,
        "date_utc": date,
        "machine": {"cpu": cpu_model(), "cores": os.cpu_count()},
        "darkfigure": version, "git_commit": commit,
        "replicates": REPLICATES,
        "study_wall_s": study_wall, "other_processes_cores": other_cpu / study_wall,
        "truths": {name: {"value": value, "formula": formula}
                   for name, (value, formula) in TRUTHS.items()},
        "reference": {"model": REFERENCE["model"], "file": reference_run["file"],
                      "design": reference_run["design"], "draws": reference_run["draws"],
                      "replicates": reference_run["replicates"], "seed": reference_run["seed"],
                      "wall_s": reference_run["wall_s"], "outputs": reference_run["outputs"]},
        "runs": [{**{key: value for key, value in r.items()
                     if key not in ("document", "label", "outputs")},
                  "outputs": {name: value for name, value in r["outputs"].items()
                              if name in studied}}
                 for r in study],
        "summaries": summaries,
        "slopes": [{"output": output, "design": design, "slope": s["slope"], "se": s["se"]}
                   for (output, design), s in slopes.items()],
        "cost_per_draw": [dict(model=m, design=d, **c) for (m, d), c in costs.items()],
    })

    # ---------------------------------------------------------------- Markdown
    p = print
    p("# Convergence of the sampling designs: Monte Carlo, Latin hypercube and Sobol\n")
    p(f"Machine: {cpu_model()}, {os.cpu_count()} cores; other processes used on average "
      f"{other_cpu / study_wall:.1f} cores during the study. "
      f"Date: {date} UTC (start of the study). darkfigure {version}"
      + (f", binary built from commit {commit}" if commit else "")
      + f" (build/release/src/cli/darkfigure of {built} UTC).\n")
    p(f"Produced by `{command}` in {study_wall / 60:.1f} minutes ({len(runs)} darkfigure "
      f"processes, {run_wall / 60:.1f} minutes of them; each `darkfigure run FILE --format json "
      f"--design D --draws N --seed S --threads 2`, timed by GNU time). Every run and every "
      "summary is in [convergence.json](convergence.json).\n")
    p("## Method\n")
    p(f"- Designs: `mc` (independent draws; reported mcse = sd/√N), `lhs` (Latin hypercube) and "
      f"`sobol` (Sobol points with nested uniform scrambling), the last two as {REPLICATES} "
      "independent randomised replicates of N/8 draws each, whose spread gives the reported "
      "mcse (`mcse_method` = \"replicates\").")
    p("- Draw counts: N = 2^k × 8 for k = 7..17 (1,024 to 1,048,576, so that each replicate is "
      "a whole 2^k net of Sobol points), and N = 10^4, 10^5 (and 10^6 for the test integrands), "
      "whose replicates of 1,250, 12,500 and 125,000 draws are not powers of two.")
    p("- At each (model, design, N), K independent seeds (column *seeds*: 20 in general, fewer at "
      "the largest N of the reference model, whose LHS and Sobol runs cost most). "
      "RMSE = √(mean over seeds of (estimate − truth)²). *mcse* is the mean over the seeds of "
      "the mcse the run reports; where it tracks the error it is close to the RMSE.")
    p("- Slopes: least squares of log RMSE on log N over the eleven power-of-two points "
      "(± its standard error from the residuals). Independent draws give −0.5.")
    ref = reference_run
    smallest = {name: min(s["rmse"] for s in summaries if s["output"] == name)
                for name in reference_mcse}
    # The Sobol fit extrapolated to the reference's draw count: a second estimate of its error.
    predicted = {name: math.exp(slopes[(name, "sobol")]["intercept"]
                                + slopes[(name, "sobol")]["slope"] * math.log(ref["draws"]))
                 for name in reference_mcse}
    inflation = max(math.sqrt(1 + (max(reference_mcse[n], predicted[n]) / smallest[n]) ** 2) - 1
                    for n in reference_mcse)
    p(f"- Truth of the reference model (scenarios/kazakhstan-2023.toml): unknown, so the RMSE "
      f"is taken about one large Sobol run, {ref['draws']:,} draws (2^{int(math.log2(ref['draws']))})"
      f" in {ref['replicates']} replicates, seed {ref['seed']} ({ref['wall_s']:.0f} s): "
      + "; ".join(f"{name} = {fmt(truths[name], 10)} with mcse {fmt(reference_mcse[name], 2)}, "
                  f"{smallest[name] / reference_mcse[name]:.0f} times below the smallest RMSE "
                  f"reported here ({fmt(smallest[name], 3)})"
                  for name in reference_mcse)
      + ". The Sobol fits below, extrapolated to the reference's draw count, predict its error "
      "as " + " and ".join(f"{fmt(predicted[n], 2)} for {n}" for n in reference_mcse)
      + ". Taking the larger of the two, the reference's own error adds at most "
      + f"{100 * inflation:.2g} % to any RMSE below. All three designs are unbiased, so the standard "
      "deviation across seeds estimates the same error without the reference: its fitted slopes "
      "differ from the RMSE slopes by at most "
      + f"{max(abs(sd_slope(summaries, n, d) - slopes[(n, d)]['slope']) for n in reference_mcse for d in DESIGNS):.2f}"
      + " (both statistics are in the JSON).")
    p("- Truths of the test integrands (bench/convergence/test-integrands.toml, five independent "
      "uniform(0, 1) inputs), exact:")
    for name, (value, formula) in TRUTHS.items():
        p(f"  - `{name}` = {formula} = {value:.15g}")
    p("")

    p("## Fitted slopes\n")
    p("Slope of log RMSE on log N (± standard error), and of log mean reported mcse on log N: "
      "the mean of K mcse values, each from the run's own 8 replicates or N draws, is a less "
      "noisy measure of the error than the RMSE over K seeds, where the mcse tracks the error "
      "(last section).\n")
    p("| output | what it is | MC | LHS | Sobol | MC (mcse) | LHS (mcse) | Sobol (mcse) |")
    p("|---|---|---:|---:|---:|---:|---:|---:|")
    for model in MODELS.values():
        for output in model["outputs"]:
            p(f"| {output} | {DESCRIPTIONS[output]} | "
              + " | ".join(f"{slopes[(output, d)]['slope']:.2f} ± {slopes[(output, d)]['se']:.2f}"
                           for d in DESIGNS) + " | "
              + " | ".join(f"{mcse_slope(summaries, output, d):.2f}" for d in DESIGNS) + " |")
    p("")

    for model_name, model in MODELS.items():
        p(f"## {model_name}: {model['file']}\n")
        for output in model["outputs"]:
            truth = truths[output]
            kind = "reference value" if output in reference_mcse else "truth"
            p(f"### {output}\n")
            p(f"{DESCRIPTIONS[output][0].upper()}{DESCRIPTIONS[output][1:]}; {kind} "
              f"{fmt(truth, 10)}. RMSE and mean reported mcse, absolute (divide by "
              f"{fmt(truth, 4)} for relative).\n")
            p("| N | seeds | MC RMSE | LHS RMSE | Sobol RMSE | MC mcse | LHS mcse | Sobol mcse |")
            p("|---:|---:|---:|---:|---:|---:|---:|---:|")
            counts = sorted({s["draws"] for s in summaries if s["output"] == output})
            for draws in counts:
                row = [cells[(output, d, draws)] for d in DESIGNS]
                mark = "" if is_power_point(draws) else " ‡"
                p(f"| {draws_label(draws)}{mark} | {row[0]['seeds']} | "
                  + " | ".join(fmt(c["rmse"]) for c in row) + " | "
                  + " | ".join(fmt(c["mean_mcse"]) for c in row) + " |")
            p(f"| slope | | " + " | ".join(f"{slopes[(output, d)]['slope']:.2f}" for d in DESIGNS)
              + " | " + " | ".join(f"{mcse_slope(summaries, output, d):.2f}" for d in DESIGNS)
              + " |")
            p("")
            p("‡ replicates of N/8 draws that are not a power of two.\n")
            p(interpretation(output, slopes, cells, summaries) + "\n")

    p("## Draw counts that are not a power of two per replicate\n")
    p("RMSE at N (replicates of N/8 draws, not a power of two) over the RMSE interpolated "
      "(log-log) between the neighbouring power-of-two points; in brackets the same ratio for the "
      "mean reported mcse. Near 1: N costs nothing beyond its size; above 1: the design loses "
      "accuracy off whole nets.\n")
    p("| output | N | MC | LHS | Sobol |")
    p("|---|---:|---:|---:|---:|")
    off_net = []
    for model in MODELS.values():
        for output in model["outputs"]:
            counts = sorted({x["draws"] for x in summaries if x["output"] == output})
            power = [n for n in counts if is_power_point(n)]
            for draws in counts:
                if is_power_point(draws) or not power[0] < draws < power[-1]:
                    continue
                below = max(n for n in power if n < draws)
                above = min(n for n in power if n > draws)
                t = math.log(draws / below) / math.log(above / below)
                row = []
                for d in DESIGNS:
                    ratios = []
                    for key in ("rmse", "mean_mcse"):
                        r0, r1 = cells[(output, d, below)][key], cells[(output, d, above)][key]
                        ratios.append(cells[(output, d, draws)][key]
                                      / math.exp(math.log(r0) + t * math.log(r1 / r0)))
                    off_net.append({"output": output, "draws": draws, "design": d,
                                    "rmse_ratio": ratios[0], "mcse_ratio": ratios[1]})
                    row.append(f"{ratios[0]:.2f} ({ratios[1]:.2f})")
                p(f"| {output} | {draws:,} | " + " | ".join(row) + " |")
    p("")

    p("## Draws needed for a relative RMSE\n")
    p("For LHS and Sobol, the draws at which the RMSE falls to the target: log-log interpolation "
      "between the measured power-of-two points (< or > where the target lies outside them). "
      "For MC, σ²/target² with σ² = N·RMSE² pooled over the power-of-two points, the exact law "
      "of independent draws. *MC draws per draw*: the MC draws over the design's for the same "
      "RMSE. *Time gain*: the same ratio in wall time, with the marginal cost per draw below "
      "(the MC time over the design's; above 1 the design is faster).\n")
    p("| output | relative RMSE | MC draws | LHS draws | LHS: MC draws per draw | LHS time gain "
      "| Sobol draws | Sobol: MC draws per draw | Sobol time gain |")
    p("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    needs = []
    inverse = {"": "", "<": ">", ">": "<"}
    for model_name, model in MODELS.items():
        for output in model["outputs"]:
            power_mc = [s for s in summaries if s["output"] == output and s["design"] == "mc"
                        and s["power_of_two_per_replicate"]]
            cost = {d: costs[(model_name, d)]["wall_us_per_draw"] for d in DESIGNS}
            for target in TARGETS:
                absolute = target * abs(truths[output])
                mc = mc_draws_for(absolute, power_mc)
                entry = {"output": output, "relative_rmse": target, "mc_draws": mc}
                cells_out = []
                for d in ("lhs", "sobol"):
                    n, bound = draws_for(absolute, slopes[(output, d)]["points"])
                    ratio = mc / n
                    gain = ratio * cost["mc"] / cost[d] if cost[d] > 0 else math.nan
                    entry.update({f"{d}_draws": n, f"{d}_bound": bound,
                                  f"{d}_mc_draws_per_draw": ratio, f"{d}_time_gain": gain})
                    bounded = lambda x: "–" if math.isnan(x) else f"{inverse[bound]} {fmt(x)}".strip()
                    cells_out += [f"{bound} {fmt_draws(n)}".strip(), bounded(ratio), bounded(gain)]
                needs.append(entry)
                p(f"| {output} | {target:g} | {fmt_draws(mc)} | " + " | ".join(cells_out) + " |")
    p("")

    p("## Cost per draw\n")
    p("Marginal cost between the smallest and the largest power-of-two N (medians over seeds, "
      "so that the fixed cost of a process drops out), 2 threads. Wall time depends on the load "
      "of the shared machine; CPU time (user + system, both threads) less so. LHS and Sobol "
      "map each uniform through the input's inverse cdf, and Sobol also scrambles every "
      "coordinate digit by digit; Monte Carlo draws from each family's own sampler. The "
      "reference model has four beta-type inputs (beta, PERT, beta_mean_sd), the test "
      "integrands only uniform ones.\n")
    p("| model | design | median wall s at N | N | wall µs per draw | CPU µs per draw "
      "| wall / MC |")
    p("|---|---|---:|---:|---:|---:|---:|")
    for (model_name, design), c in costs.items():
        mc = costs[(model_name, "mc")]["wall_us_per_draw"]
        p(f"| {model_name} | {DESIGN_NAMES[design]} | {c['median_wall_s']:.2f} | "
          f"{c['draws']:,} | {c['wall_us_per_draw']:.3f} | {c['cpu_us_per_draw']:.3f} | "
          f"{fmt(c['wall_us_per_draw'] / mc if mc > 0 else math.nan, 2)} |")
    p("")

    p("## Does the reported mcse track the error?\n")
    p("*mcse / RMSE*: the mean reported mcse over the RMSE at each power-of-two N, median and "
      "range over N (with K seeds the RMSE itself is uncertain by about 1/√(2K), 16 % at "
      "K = 20, and one mcse from 8 replicates by about 1/√14 = 27 %). *Within ±q·mcse*: the "
      f"share of all runs whose error is within q = {NORMAL_975:.2f} mcse (MC) or "
      f"q = {T7_975:.2f} mcse (LHS, Sobol: Student t with 7 degrees of freedom), nominally "
      "95 %. *Mean z*: the mean of (estimate − truth) / mcse over the runs, 0 when the sign of "
      "the error is unrelated to the size of the mcse; negative when runs below the truth "
      "report smaller mcse than runs above it, as happens with right-skewed integrands "
      "(its standard error is about 1/√runs).\n")
    p("| output | design | mcse / RMSE | runs | within ±q·mcse | mean z |")
    p("|---|---|---|---:|---:|---:|")
    tracking = []
    for model_name, model in MODELS.items():
        model_runs = [r for r in study if r["model"] == model_name]
        for output in model["outputs"]:
            for design in DESIGNS:
                ratios = [s["mean_mcse"] / s["rmse"] for s in summaries
                          if s["output"] == output and s["design"] == design
                          and s["power_of_two_per_replicate"] and s["rmse"] > 0]
                z = np.array([(r["outputs"][output]["estimate"] - truths[output])
                              / r["outputs"][output]["mcse"]
                              for r in model_runs if r["design"] == design])
                q = NORMAL_975 if design == "mc" else T7_975
                entry = {"output": output, "design": design,
                         "mcse_over_rmse_median": statistics.median(ratios),
                         "mcse_over_rmse_min": min(ratios), "mcse_over_rmse_max": max(ratios),
                         "runs": len(z), "q": q, "within_q_mcse": float(np.mean(np.abs(z) <= q)),
                         "mean_z": float(np.mean(z))}
                tracking.append(entry)
                p(f"| {output} | {DESIGN_NAMES[design]} | {entry['mcse_over_rmse_median']:.2f} "
                  f"({min(ratios):.2f}–{max(ratios):.2f}) | {len(z)} | "
                  f"{100 * entry['within_q_mcse']:.1f} % | {entry['mean_z']:+.2f} |")
    p("")

    # Append what the Markdown derived to the JSON too.
    data = json.loads(json_out.read_text())
    data["draws_needed"] = needs
    data["mcse_tracking"] = tracking
    data["off_net"] = off_net
    write_json(json_out, data)


def mcse_slope(summaries: list, output: str, design: str) -> float:
    points = [(s["draws"], s["mean_mcse"]) for s in summaries
              if s["output"] == output and s["design"] == design
              and s["power_of_two_per_replicate"]]
    return fit_slope(*zip(*points))[0]


def sd_slope(summaries: list, output: str, design: str) -> float:
    points = [(s["draws"], s["sd_over_seeds"]) for s in summaries
              if s["output"] == output and s["design"] == design
              and s["power_of_two_per_replicate"]]
    return fit_slope(*zip(*points))[0]


def interpretation(output: str, slopes: dict, cells: dict, summaries: list) -> str:
    """A factual sentence from the measured slopes and errors, and what theory leads one to
    expect for this kind of integrand."""
    s = {d: slopes[(output, d)]["slope"] for d in DESIGNS}
    power = sorted(x["draws"] for x in summaries if x["output"] == output and x["design"] == "mc"
                   and x["power_of_two_per_replicate"])
    small, large = power[0], power[-1]
    gain = lambda d, n: cells[(output, "mc", n)]["rmse"] / cells[(output, d, n)]["rmse"]
    text = (f"Measured: MC {s['mc']:.2f}, LHS {s['lhs']:.2f}, Sobol {s['sobol']:.2f}. "
            f"The RMSE of LHS is {gain('lhs', small):.3g} times smaller than MC's at N = "
            f"{small:,} and {gain('lhs', large):.3g} times at N = {large:,}; Sobol's "
            f"{gain('sobol', small):.3g} and {gain('sobol', large):.3g} times. ")
    expected = {
        "victims": "Expected: MC −0.5. victims is the sum of a function of one input "
                   "(victims_crisis, 4,400 / crisis_uptake) and of a product of two "
                   "(victims_police), so much of its variance is additive: LHS tends to −0.5 "
                   "with a constant set by the non-additive part, and on the way the additive "
                   "part's error falls faster than N^−0.5 (as N^−1.5 for a bounded smooth "
                   "function; the division by shares near 0 may slow this). Scrambled "
                   "Sobol: between −0.5 and −1.5, the steeper the smoother and the less "
                   "heavy-tailed the integrand in the unit cube.",
        "prevalence_women": "Expected: as for victims.",
        "smooth": "Expected: MC −0.5; LHS −0.5 asymptotically but with a constant shrunk to the "
                  "small non-additive part (the additive part converges like N^−1.5); scrambled "
                  "Sobol −1.5 (minus logarithmic factors) for a smooth integrand and whole nets.",
        "product": "Expected: MC −0.5; LHS −0.5 with a constant reduced only by the additive "
                   "share of the variance; scrambled Sobol −1.5 (minus logarithmic factors).",
        "indicator": "Expected: MC and LHS −0.5; scrambled Sobol faster than −0.5 but slower "
                     "than for smooth integrands, since the integrand jumps along a line.",
    }[output]
    shares = additive_shares()
    if output in shares:
        mcse_gain = lambda n: (cells[(output, "mc", n)]["mean_mcse"]
                               / cells[(output, "lhs", n)]["mean_mcse"])
        text += (f"The additive part carries {100 * shares[output]:.1f} % of the variance, so "
                 f"LHS should tend to a gain of 1/√(1 − {shares[output]:.3f}) = "
                 f"{1 / math.sqrt(1 - shares[output]):.3g} over MC; by the mean reported mcse "
                 f"(less noisy than the RMSE) the gain is {mcse_gain(small):.3g} at N = "
                 f"{small:,} and {mcse_gain(large):.3g} at N = {large:,}. ")
    return text + expected


def main() -> None:
    if len(sys.argv) in (2, 3) and sys.argv[1] == "plan" and sys.argv[2:] in ([], ["--quick"]):
        plan(sys.argv[2:] == ["--quick"])
    elif len(sys.argv) == 5 and sys.argv[1] == "write":
        write(Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
