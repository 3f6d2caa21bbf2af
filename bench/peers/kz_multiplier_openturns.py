"""The reference model (scenarios/examples/kz-multiplier.toml) in OpenTURNS, as its users write
it: a joint distribution of independent inputs, a SymbolicFunction for the derived quantities,
the sample statistics of the output Sample. Prints one JSON object: mean, sd and quantiles of
each output.

    python3 bench/peers/kz_multiplier_openturns.py [DRAWS] [SEED]
"""
import json
import sys

import openturns as ot

# JointDistribution replaced ComposedDistribution in OpenTURNS 1.22.
JointDistribution = getattr(ot, "JointDistribution", None) or ot.ComposedDistribution


def main() -> None:
    draws = int(float(sys.argv[1])) if len(sys.argv) > 1 else 10_000_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 2023
    ot.RandomGenerator.SetSeed(seed)

    marginals = {
        "cases_per_victim": ot.Uniform(1.0, 2.0),
        "reporting_rate": ot.Beta(4.0, 16.0, 0.0, 1.0),
        "crisis_uptake": ot.Beta(13.0, 187.0, 0.0, 1.0),
        "population": ot.Normal(4.7e6, 1e5),
        "baseline": ot.Beta(27.0, 73.0, 0.0, 1.0),
    }
    inputs = JointDistribution(list(marginals.values()))
    inputs.setDescription(list(marginals))

    output_names = ["victims_police", "victims_crisis", "victims", "prevalence", "exceeds"]
    model = ot.SymbolicFunction(list(marginals), output_names, """
        victims_police := 67500 / cases_per_victim / reporting_rate;
        victims_crisis := 4400 / crisis_uptake;
        victims := (victims_police + victims_crisis) / 2;
        prevalence := victims / population;
        exceeds := prevalence > baseline;
    """)

    output_sample = model(inputs.getSample(draws))

    levels = [0.025, 0.5, 0.975]
    means = output_sample.computeMean()
    sds = output_sample.computeStandardDeviation()
    quantiles = [output_sample.computeQuantilePerComponent(level) for level in levels]
    summaries = {
        name: {
            "mean": means[i],
            "sd": sds[i],
            "quantiles": {str(level): q[i] for level, q in zip(levels, quantiles)},
        }
        for i, name in enumerate(output_names)
    }
    print(json.dumps({"tool": "openturns", "version": ot.__version__, "draws": draws,
                      "outputs": summaries}))


if __name__ == "__main__":
    main()
