#!/usr/bin/env bash
# Whole-process comparison of darkfigure and NumPy on the reference model: alternating runs
# (A B A B ...), median wall time and peak resident memory of each, from GNU time.
#
#   bench/compare_numpy.sh [DRAWS] [RUNS] [THREADS]
#
# Needs a Release build in build/release and Debian's python3-numpy (apt-get install python3-numpy time bc).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

draws="${1:-10000000}"
runs="${2:-5}"
threads="${3:-1}"
binary=build/release/src/cli/darkfigure
model=scenarios/examples/kz-multiplier.toml
log="$(mktemp -d)"

measure() {  # measure NAME COMMAND...: appends "seconds kilobytes" to $log/NAME
  local name="$1"
  shift
  /usr/bin/time -f "%e %M" -o "$log/once" "$@" >/dev/null
  cat "$log/once" >>"$log/$name"
}

for ((i = 0; i < runs; i++)); do
  measure darkfigure "$binary" run "$model" --draws "$draws" --threads "$threads" --format json
  measure numpy /usr/bin/python3 bench/peers/kz_multiplier_numpy.py "$draws"
done

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
printf "%-12s %12s %14s\n" tool "median s" "median MiB"
for name in darkfigure numpy; do
  seconds=$(cut -d' ' -f1 "$log/$name" | median)
  kib=$(cut -d' ' -f2 "$log/$name" | median)
  printf "%-12s %12s %14.0f\n" "$name" "$seconds" "$(echo "$kib / 1024" | bc -l)"
done
echo "draws=$draws runs=$runs threads=$threads (darkfigure) / 1 (numpy)"
rm -rf "$log"
