#!/usr/bin/env bash
# Sets up a Debian 12 machine for darkfigure, builds it in Release and then either runs the main
# job or the whole test suite.
#
#   scripts/quickstart.sh run    # the published report of every scenario in scenarios/: the
#                                # interval table printed, results/ regenerated
#   scripts/quickstart.sh test   # every test through ctest
#
# Installs the Debian packages that are missing (as root, or through sudo), and the JavaScript
# that the HTML report embeds (web/package-lock.json) with npm.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

packages=(g++ cmake ninja-build pkgconf
          libboost-dev libboost-random-dev libboost-program-options-dev libboost-math-dev
          libeigen3-dev libtomlplusplus-dev nlohmann-json3-dev librandom123-dev catch2
          libbenchmark-dev libssl-dev chromium)

install_missing() {
  local missing=()
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$package")
  done
  # Node.js may come from elsewhere than Debian (its npm with it): install it only when missing.
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  [[ ${#missing[@]} -eq 0 ]] && return
  echo "installing: ${missing[*]}" >&2
  local sudo=()
  [[ $(id -u) -ne 0 ]] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
}

install_web() {
  npm ci --prefix web --no-audit --no-fund --loglevel=error >/dev/null
}

build_release() {  # build_release [TARGET]: everything, or one target
  cmake --preset release >/dev/null
  cmake --build --preset release ${1:+--target "$1"}
}

case "${1:-}" in
  run)
    install_missing
    install_web
    build_release darkfigure
    # Every scenario, its sweep points and the sensitivity studies it asks for, published in
    # results/: summary.{csv,md,tex,json}, report.html and plots/; then a picture of the report.
    build/release/src/cli/darkfigure report scenarios/*.toml scenarios/examples/*.toml \
      --out results
    node web/render-report.mjs results/report.html --screenshot results/report.png
    ;;
  test)
    install_missing
    install_web
    build_release
    ctest --preset release -j "$(nproc)"
    ;;
  *)
    echo "usage: $0 run|test" >&2
    exit 2
    ;;
esac
