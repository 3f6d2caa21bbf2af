#!/usr/bin/env bash
# Convergence of the sampling designs: the RMSE of the estimated mean against the number of draws
# for Monte Carlo, Latin hypercube and scrambled Sobol, over independent seeds, on the reference
# model (scenarios/kazakhstan-2023.toml, about a large Sobol reference run) and on test integrands
# with known means (bench/convergence/test-integrands.toml). Each run is one darkfigure process
# timed by GNU time; bench/convergence/report.py holds the plan and fits the log-log slopes.
# Writes results/bench/convergence.md and results/bench/convergence.json.
#
#   bash bench/convergence/run.sh [--quick]
#
# Full: N = 2^k x 8 for k = 7..17 and 10^4, 10^5 (10^6 for the test integrands), 20 seeds (fewer
# at the largest N), reference of 2^24 draws: 5 to 9 minutes on 2 cores shared with other work.
# --quick: k = 7..10 and 10^4, 4 seeds, reference of 2^18 draws, to check the script.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

usage="usage: bash bench/convergence/run.sh [--quick]"
invocation="bash bench/convergence/run.sh${*:+ $*}"
plan_options=()
case "${1:-}" in
  "") ;;
  --quick) plan_options=(--quick) ;;
  *) echo "$usage" >&2; exit 2 ;;
esac
(($# <= 1)) || { echo "$usage" >&2; exit 2; }

binary=build/release/src/cli/darkfigure
[[ -x "$binary" ]] || { echo "missing $binary: build the release preset first" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "missing /usr/bin/time: apt-get install time" >&2; exit 1; }

log="$(mktemp -d)"
trap 'rm -rf "$log"' EXIT

/usr/bin/python3 bench/convergence/report.py plan "${plan_options[@]}" >"$log/plan"
total=$(wc -l <"$log/plan")

source bench/machine_load.sh

busy_before=$(machine_busy_ticks)
own_before=$(children_ticks)
started=$(date -u '+%Y-%m-%d %H:%M')
start=$(date +%s.%N)
count=0
previous=""
while IFS=$'\t' read -r label model file design draws seed; do
  count=$((count + 1))
  if [[ "$model $draws" != "$previous" ]]; then
    printf '[%d/%d] %s: %s draws (%.0f s so far)\n' "$count" "$total" "$model" "$draws" \
      "$(echo "$(date +%s.%N) - $start" | bc)" >&2
    previous="$model $draws"
  fi
  /usr/bin/time -f "%e %U %S" -o "$log/once" \
    "$binary" run "$file" --format json --design "$design" --draws "$draws" --seed "$seed" \
    --threads 2 </dev/null >"$log/$label.json"
  read -r wall user system <"$log/once"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$model" "$file" "$design" "$draws" \
    "$seed" "$wall" "$user" "$system" >>"$log/runs"
done <"$log/plan"
study_wall=$(echo "$(date +%s.%N) - $start" | bc)
other_ticks=$(($(machine_busy_ticks) - busy_before - ($(children_ticks) - own_before)))
echo "$study_wall $(echo "scale=2; (${other_ticks} > 0) * ${other_ticks} / $(getconf CLK_TCK)" | bc)" \
  "$started" >"$log/study"

mkdir -p results/bench
/usr/bin/python3 bench/convergence/report.py write "$log" "$invocation" "$log/convergence.json" \
  >"$log/convergence.md"
mv "$log/convergence.json" results/bench/convergence.json
mv "$log/convergence.md" results/bench/convergence.md
echo "wrote results/bench/convergence.md and results/bench/convergence.json" >&2
