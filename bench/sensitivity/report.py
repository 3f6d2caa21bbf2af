"""Writes results/bench/sensitivity.{md,json} from the runs of bench/sensitivity/run.sh.

    python3 bench/sensitivity/report.py LOG_DIR SEEDS THREADS OUT.md OUT.json
"""
import json
import math
import sys
from pathlib import Path


def ishigami():
    a, b, pi = 7.0, 0.1, math.pi
    v = a * a / 8 + b * pi**4 / 5 + b * b * pi**8 / 18 + 0.5
    v1 = (1 + b * pi**4 / 5) ** 2 / 2
    v2 = a * a / 8
    v13 = b * b * pi**8 * (1 / 18 - 1 / 50)
    return [v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v]


def g_function():
    a = [0, 1, 4.5, 9, 99, 99]
    partial = [1 / (3 * (1 + ai) ** 2) for ai in a]
    product = math.prod(1 + p for p in partial)
    v = product - 1
    return [p / v for p in partial], [p * product / (1 + p) / v for p in partial]


def linear():
    sds = [1.0, math.sqrt(1 / 12), 2.0, 0.0]
    coefficients = [2.0, -3.0, 0.5, 0.0]
    var_square = 4 / 45
    var_y = sum((c * s) ** 2 for c, s in zip(coefficients, sds)) + var_square
    src = [c * s / math.sqrt(var_y) for c, s in zip(coefficients, sds)]
    return src, 1 - var_square / var_y


def load(log, name):
    study = json.loads((log / f"{name}.json").read_text())["sensitivity"][0]
    milliseconds = int((log / f"{name}.milliseconds").read_text())
    return study, milliseconds / 1000


def sobol_rows(log, function, design, seeds, exact_first, exact_total):
    rows = []
    worst = 0.0
    seconds = []
    studies = []
    for seed in range(1, seeds + 1):
        study, elapsed = load(log, f"{function}-{design}-{seed}")
        studies.append(study)
        seconds.append(elapsed)
    for i, (first, total) in enumerate(zip(exact_first, exact_total)):
        name = f"x{i + 1}"
        for kind, exact in (("first", first), ("total", total)):
            estimates = [s["inputs"][name][kind] for s in studies]
            intervals = [s["inputs"][name][f"{kind}_ci"] for s in studies]
            errors = [e - exact for e in estimates]
            worst = max(worst, max(abs(e) for e in errors))
            rows.append({
                "input": name,
                "index": kind,
                "exact": exact,
                "seed_1": estimates[0],
                "seed_1_interval": intervals[0],
                "rmse": math.sqrt(sum(e * e for e in errors) / len(errors)),
                "max_error": max(abs(e) for e in errors),
                "coverage": sum(lo <= exact <= hi for lo, hi in intervals) / len(intervals),
                "mean_width": sum(hi - lo for lo, hi in intervals) / len(intervals),
            })
    evaluations = studies[0]["settings"]["evaluations"]
    return rows, worst, sum(seconds) / len(seconds), evaluations


def main():
    log, seeds, threads = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    out_md, out_json = Path(sys.argv[4]), Path(sys.argv[5])
    document = {"seeds": seeds, "threads": threads, "sobol": [], "regression": [], "kazakhstan": []}
    lines = [
        "# Sensitivity studies: accuracy and cost",
        "",
        "Made by `bash bench/sensitivity/run.sh " + str(seeds) + "` on " + str(threads) +
        " threads. Sobol indices at a base sample of 2^15 = 32,768 draws with 1,000 bootstrap "
        "resamples, over seeds 1 to " + str(seeds) + "; exact values from the closed forms "
        "(bench/sensitivity/*.toml). Coverage is the share of seeds whose 95% interval holds the "
        "exact index.",
        "",
    ]
    functions = {"ishigami": ishigami(), "g-function": g_function()}
    for function, (first, total) in functions.items():
        for design in ("mc", "sobol"):
            rows, worst, seconds, evaluations = sobol_rows(log, function, design, seeds, first,
                                                           total)
            document["sobol"].append({"function": function, "design": design, "rows": rows,
                                      "max_error": worst, "seconds": seconds,
                                      "evaluations": evaluations})
            lines += [
                f"## {function}, design {design}",
                "",
                f"{evaluations:,} model evaluations per study, {seconds:.2f} s each on average; "
                f"largest error over all seeds and indices {worst:.4f}.",
                "",
                "| input | index | exact | seed 1 | seed 1, 95% interval | RMSE | max error "
                "| coverage | mean width |",
                "|---|---|---:|---:|---|---:|---:|---:|---:|",
            ]
            for row in rows:
                lo, hi = row["seed_1_interval"]
                lines.append(
                    f"| {row['input']} | {row['index']} | {row['exact']:.4f} | "
                    f"{row['seed_1']:.4f} | [{lo:.4f}, {hi:.4f}] | {row['rmse']:.4f} | "
                    f"{row['max_error']:.4f} | {row['coverage']:.0%} | {row['mean_width']:.4f} |")
            lines.append("")

    exact_src, exact_r2 = linear()
    lines += [
        "## Standardised regression and partial rank correlation, linear model",
        "",
        "y = 2 x1 - 3 x2 + 0.5 x3 + x4^2 at 200,000 draws, seed 1 "
        "(bench/sensitivity/linear.toml).",
        "",
        "| input | exact SRC | SRC | error | PRCC |",
        "|---|---:|---:|---:|---:|",
    ]
    src, src_seconds = load(log, "linear-src")
    prcc, prcc_seconds = load(log, "linear-prcc")
    for i, exact in enumerate(exact_src):
        name = f"x{i + 1}"
        estimate = src["inputs"][name]["src"]
        lines.append(f"| {name} | {exact:.4f} | {estimate:.4f} | {estimate - exact:+.4f} | "
                     f"{prcc['inputs'][name]['prcc']:.4f} |")
        document["regression"].append({"input": name, "exact_src": exact, "src": estimate,
                                       "prcc": prcc["inputs"][name]["prcc"]})
    lines += [
        "",
        f"R^2 {src['r_squared']:.5f} against the exact {exact_r2:.5f}; R^2 of ranks "
        f"{prcc['r_squared']:.5f}. {src_seconds:.2f} s (src) and {prcc_seconds:.2f} s (prcc).",
        "",
        "## The Kazakhstan scenario",
        "",
        "`darkfigure sensitivity scenarios/kazakhstan-2023.toml --method M` for every numeric "
        "output (Sobol: --draws 65536; the others: the scenario's 1,000,000 draws).",
        "",
        "| method | model evaluations | seconds |",
        "|---|---:|---:|",
    ]
    for method in ("sobol", "src", "prcc", "tornado"):
        study, seconds = load(log, f"kz-{method}")
        lines.append(f"| {method} | {study['settings']['evaluations']:,} | {seconds:.2f} |")
        document["kazakhstan"].append({"method": method, "seconds": seconds,
                                       "evaluations": study["settings"]["evaluations"]})
    out_md.write_text("\n".join(lines) + "\n")
    out_json.write_text(json.dumps(document, indent=2) + "\n")


if __name__ == "__main__":
    main()
