#!/usr/bin/env bash
# Accuracy and cost of darkfigure sensitivity on test functions with analytic answers: Sobol
# indices of the Ishigami and G functions at a base sample of 2^15 under Monte Carlo and the Sobol
# design, over seeds 1..S (error, root-mean-square error, coverage of the 95% bootstrap
# intervals), SRC and PRCC of a linear model at 2 x 10^5 draws, and the wall time of the
# Kazakhstan studies. Writes results/bench/sensitivity.md and results/bench/sensitivity.json.
#
#   bash bench/sensitivity/run.sh [SEEDS]     # default 20 seeds: about 2 minutes on 2 cores
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

seeds="${1:-20}"
[[ "$seeds" =~ ^[1-9][0-9]*$ ]] || { echo "usage: bash bench/sensitivity/run.sh [SEEDS]" >&2; exit 2; }
binary=build/release/src/cli/darkfigure
[[ -x "$binary" ]] || { echo "missing $binary: build the release preset first" >&2; exit 1; }

log="$(mktemp -d)"
trap 'rm -rf "$log"' EXIT

# timed NAME COMMAND...: runs the command with its JSON into $log/NAME.json and its wall time
# in milliseconds into $log/NAME.milliseconds.
timed() {
  local name="$1"
  shift
  local start
  start=$(date +%s%N)
  "$@" --format json >"$log/$name.json"
  echo $((($(date +%s%N) - start) / 1000000)) >"$log/$name.milliseconds"
}

for function in ishigami g-function; do
  for design in mc sobol; do
    for ((seed = 1; seed <= seeds; ++seed)); do
      timed "$function-$design-$seed" "$binary" sensitivity "bench/sensitivity/$function.toml" \
        --method sobol --design "$design" --seed "$seed"
    done
  done
done
for method in src prcc; do
  timed "linear-$method" "$binary" sensitivity bench/sensitivity/linear.toml --method "$method"
done
for method in sobol src prcc tornado; do
  draws=()
  [[ "$method" == sobol ]] && draws=(--draws 65536)
  timed "kz-$method" "$binary" sensitivity scenarios/kazakhstan-2023.toml --method "$method" \
    "${draws[@]}"
done

mkdir -p results/bench
/usr/bin/python3 bench/sensitivity/report.py "$log" "$seeds" "$(nproc)" \
  results/bench/sensitivity.md results/bench/sensitivity.json
echo "wrote results/bench/sensitivity.md and results/bench/sensitivity.json"
