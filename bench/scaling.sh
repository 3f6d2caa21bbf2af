#!/usr/bin/env bash
# How darkfigure's run time and peak memory grow with the number of draws (stored draws with exact
# quantiles, and histograms under a small memory budget), with the number of scenarios in one
# invocation, and with threads, on the reference model (scenarios/examples/kz-multiplier.toml).
# Each run is one process timed whole by GNU time; writes results/bench/scaling.md.
#
#   bash bench/scaling.sh [--quick]
#
# Full mode: 1e5 to 1e8 draws stored, 1e8 and 1e9 draws in histograms, 1 to 64 scenarios; the
# median of 3 runs for cases whose first run takes under 10 s, 1 run otherwise (about 20 minutes).
# --quick: up to 1e6 draws and 4 scenarios, 1 run per case, to check the script.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

usage="usage: bash bench/scaling.sh [--quick]"
invocation="bash bench/scaling.sh${*:+ $*}"
quick=false
case "${1:-}" in
  "") ;;
  --quick) quick=true ;;
  *) echo "$usage" >&2; exit 2 ;;
esac
(($# <= 1)) || { echo "$usage" >&2; exit 2; }

binary=build/release/src/cli/darkfigure
model=scenarios/examples/kz-multiplier.toml
scenario_threads=2
scenario_draws=1000000
# A case whose first run takes at least this long runs once; shorter ones run max_repetitions times.
repeat_below_seconds=10
if $quick; then
  stored_draws=(100000 1000000)
  streaming_draws_both_threads=100000
  streaming_draws_two_threads=1000000
  streaming_memory=1M
  scenario_counts=(1 2 4)
  max_repetitions=1
else
  stored_draws=(100000 1000000 10000000 100000000)
  streaming_draws_both_threads=100000000
  streaming_draws_two_threads=1000000000
  streaming_memory=1G
  scenario_counts=(1 2 4 8 16 32 64)
  max_repetitions=3
fi

[[ -x "$binary" ]] || { echo "missing $binary: build the release preset first" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "missing /usr/bin/time: apt-get install time" >&2; exit 1; }

log="$(mktemp -d)"
trap 'rm -rf "$log"' EXIT

# Copies of the reference model that differ only in their scenario name, for one invocation.
copies="$log/copies"
mkdir "$copies"
for ((copy = 1; copy <= scenario_counts[-1]; copy++)); do
  sed -E "s/^name[[:space:]]*=[[:space:]]*\"kz-multiplier\"/name = \"kz-multiplier-$copy\"/" \
    "$model" >"$copies/kz-multiplier-$copy.toml"
  grep -q "^name = \"kz-multiplier-$copy\"$" "$copies/kz-multiplier-$copy.toml" ||
    { echo "no 'name = \"kz-multiplier\"' line in $model" >&2; exit 1; }
done

# The cases, in the order they run: "SECTION DRAWS THREADS MEMORY SCENARIOS"; MEMORY is a
# --memory value or "default". The 1-draw runs measure the fixed cost of a process.
plan=()
for threads in 1 2; do
  plan+=("startup 1 $threads default 1")
done
for threads in 1 2; do
  for draws in "${stored_draws[@]}"; do
    plan+=("draws $draws $threads default 1")
  done
done
for threads in 1 2; do
  plan+=("draws $streaming_draws_both_threads $threads $streaming_memory 1")
done
plan+=("draws $streaming_draws_two_threads 2 $streaming_memory 1")
for count in "${scenario_counts[@]}"; do
  plan+=("scenarios $scenario_draws $scenario_threads default $count")
done

ticks_per_second=$(getconf CLK_TCK)

source bench/machine_load.sh

# measure ID SECTION DRAWS THREADS MEMORY SCENARIOS: runs the case until it has its repetitions;
# appends its line to $log/cases and one "seconds KiB other_cpu_seconds" line per run to
# $log/ID.time (other_cpu_seconds: CPU time of all other processes during the run), keeps the
# JSON of the last run in $log/ID.json.
measure() {
  local id=$1 section=$2 draws=$3 threads=$4 memory=$5 scenarios=$6
  local files=() shown_files=$model
  if [[ $section == scenarios ]]; then
    for ((copy = 1; copy <= scenarios; copy++)); do
      files+=("$copies/kz-multiplier-$copy.toml")
    done
    shown_files="$copies/kz-multiplier-{1..$scenarios}.toml"
  else
    files=("$model")
  fi
  local options=(--draws "$draws" --threads "$threads" --format json)
  [[ $memory == default ]] || options+=(--memory "$memory")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$section" "$draws" "$threads" "$memory" \
    "$scenarios" "$binary run $shown_files ${options[*]}" >>"$log/cases"

  local repetitions=1 run wall peak_kib busy_before own_before other_ticks other_seconds
  for ((run = 1; run <= repetitions; run++)); do
    busy_before=$(machine_busy_ticks)
    own_before=$(children_ticks)
    /usr/bin/time -f "%e %M" -o "$log/once" "$binary" run "${files[@]}" "${options[@]}" \
      >"$log/$id.json"
    other_ticks=$(($(machine_busy_ticks) - busy_before - ($(children_ticks) - own_before)))
    other_seconds=$(awk -v ticks="$other_ticks" -v rate="$ticks_per_second" \
      'BEGIN { printf "%.2f", (ticks > 0 ? ticks : 0) / rate }')
    read -r wall peak_kib <"$log/once"
    echo "$wall $peak_kib $other_seconds" >>"$log/$id.time"
    if ((run == 1)) && awk -v wall="$wall" -v limit="$repeat_below_seconds" \
      'BEGIN { exit !(wall < limit) }'; then
      repetitions=$max_repetitions
    fi
    printf '[%d/%d] %s: draws=%s threads=%s memory=%s scenarios=%s, run %d/%d: ' \
      "$id" "${#plan[@]}" "$section" "$draws" "$threads" "$memory" "$scenarios" \
      "$run" "$repetitions" >&2
    printf '%s s, %d MiB, other processes %s CPU s\n' \
      "$wall" "$((peak_kib / 1024))" "$other_seconds" >&2
  done
}

for index in "${!plan[@]}"; do
  read -ra fields <<<"${plan[index]}"
  measure "$((index + 1))" "${fields[@]}"
done

mkdir -p results/bench
/usr/bin/python3 bench/scaling_report.py "$log" "$invocation" \
  "$(git rev-parse --short HEAD)" "$max_repetitions" "$repeat_below_seconds" \
  >"$log/scaling.md"
mv "$log/scaling.md" results/bench/scaling.md
echo "wrote results/bench/scaling.md" >&2
