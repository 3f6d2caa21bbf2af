#!/usr/bin/env bash
# Side-by-side comparison of darkfigure with NumPy, OpenTURNS, R and Squiggle on the reference
# model (scenarios/examples/kz-multiplier.toml): alternating runs (A B A B ...), each process timed
# whole by GNU time, then agreement of the results within Monte Carlo error. Installs the missing
# peers (Debian packages, npm ci) and writes results/bench/peers.md.
#
#   bash bench/peers/run.sh [DRAWS] [RUNS]        defaults: 1e7 draws, 5 rounds
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

invocation="bash bench/peers/run.sh${*:+ $*}"
draws=$(printf '%.0f' "${1:-1e7}")
runs="${2:-5}"
# The largest power of ten Squiggle handled on the development machine (1e8: out of Node's heap).
squiggle_max_draws=10000000
squiggle_draws=$((draws < squiggle_max_draws ? draws : squiggle_max_draws))
binary=build/release/src/cli/darkfigure
limit=build/release/bench/bench_limit_kz_multiplier
model=scenarios/examples/kz-multiplier.toml

missing=()
for package in python3-numpy python3-openturns r-base-core time; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
command -v node >/dev/null || missing+=(nodejs npm)
if ((${#missing[@]} > 0)); then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi
[[ -d bench/peers/squiggle/node_modules ]] || (cd bench/peers/squiggle && npm ci)
if [[ ! -x "$binary" || ! -x "$limit" ]]; then
  cmake --preset release
  cmake --build --preset release --target darkfigure bench_limit_kz_multiplier
fi

log="$(mktemp -d)"
trap 'rm -rf "$log"' EXIT

# One compared run per label, in the order of the rounds. The commands' words hold no spaces.
labels=()
declare -A commands
add() {  # add LABEL TOOL THREADS COMMAND...
  labels+=("$1")
  printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$log/rows"
  commands[$1]="${*:4}"
}
add darkfigure_1 darkfigure 1 "$binary" run "$model" --draws "$draws" --threads 1 --format json
add darkfigure_2 darkfigure 2 "$binary" run "$model" --draws "$draws" --threads 2 --format json
add limit_1 "limit program" 1 "$limit" "$draws" 1
add limit_2 "limit program" 2 "$limit" "$draws" 2
add numpy NumPy 1 /usr/bin/python3 bench/peers/kz_multiplier_numpy.py "$draws"
add openturns OpenTURNS TBB /usr/bin/python3 bench/peers/kz_multiplier_openturns.py "$draws"
add r R 1 Rscript bench/peers/kz_multiplier.R "$draws"
if ((squiggle_draws != draws)); then
  add darkfigure_squiggle darkfigure 1 \
    "$binary" run "$model" --draws "$squiggle_draws" --threads 1 --format json
fi
add squiggle Squiggle 1 node bench/peers/squiggle/run.mjs "$squiggle_draws"

measure() {  # measure LABEL: runs it once; appends "seconds KiB" to LABEL.time, keeps its JSON
  local words
  read -ra words <<<"${commands[$1]}"
  /usr/bin/time -f "%e %M" -o "$log/once" "${words[@]}" >"$log/$1.json"
  cat "$log/once" >>"$log/$1.time"
}

for ((round = 1; round <= runs; round++)); do
  for label in "${labels[@]}"; do
    echo "round $round/$runs: $label" >&2
    measure "$label"
  done
done

levels=$(/usr/bin/python3 bench/peers/report.py levels "$log" "$draws")
"$binary" run "$model" --draws "$draws" --quantiles "$levels" --format json >"$log/reference.json"

mkdir -p results/bench
/usr/bin/python3 bench/peers/report.py write "$log" "$invocation" "$squiggle_max_draws" \
  >results/bench/peers.md
echo "wrote results/bench/peers.md" >&2
