"""The reference model (scenarios/examples/kz-multiplier.toml) in NumPy, as an analyst would
write it: Generator API, one array per quantity, np.quantile for the intervals. Prints one JSON
object: mean, sd and quantiles of each output.

    python3 bench/peers/kz_multiplier_numpy.py [DRAWS] [SEED]
"""
import json
import sys

import numpy as np


def main() -> None:
    draws = int(float(sys.argv[1])) if len(sys.argv) > 1 else 10_000_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 2023
    rng = np.random.default_rng(seed)

    cases_per_victim = rng.uniform(1.0, 2.0, draws)
    reporting_rate = rng.beta(4, 16, draws)
    crisis_uptake = rng.beta(13, 187, draws)
    population = rng.normal(4.7e6, 1e5, draws)
    baseline = rng.beta(27, 73, draws)

    victims_police = 67500 / cases_per_victim / reporting_rate
    victims_crisis = 4400 / crisis_uptake
    victims = (victims_police + victims_crisis) / 2
    prevalence = victims / population
    exceeds = (prevalence > baseline).astype(np.float64)

    levels = [0.025, 0.5, 0.975]
    outputs = {
        "victims_police": victims_police,
        "victims_crisis": victims_crisis,
        "victims": victims,
        "prevalence": prevalence,
        "exceeds": exceeds,
    }
    summaries = {
        name: {
            "mean": float(values.mean()),
            "sd": float(values.std(ddof=1)),
            "quantiles": dict(zip(map(str, levels), np.quantile(values, levels).tolist())),
        }
        for name, values in outputs.items()
    }
    print(json.dumps({"tool": "numpy", "version": np.__version__, "draws": draws,
                      "outputs": summaries}))


if __name__ == "__main__":
    main()
