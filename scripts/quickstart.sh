#!/usr/bin/env bash
# Sets up a Debian 12 machine for darkfigure, builds it in Release and then either runs the main
# job or the whole test suite.
#
#   scripts/quickstart.sh run    # the Kazakhstan scenarios: interval tables and sensitivity
#                                # studies, results/ written
#   scripts/quickstart.sh test   # every test through ctest
#
# Installs the Debian packages that are missing (as root, or through sudo).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

packages=(g++ cmake ninja-build pkgconf
          libboost-dev libboost-random-dev libboost-program-options-dev libboost-math-dev
          libeigen3-dev libtomlplusplus-dev nlohmann-json3-dev librandom123-dev catch2
          libbenchmark-dev)

install_missing() {
  local missing=()
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$package")
  done
  [[ ${#missing[@]} -eq 0 ]] && return
  echo "installing: ${missing[*]}" >&2
  local sudo=()
  [[ $(id -u) -ne 0 ]] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
}

build_release() {  # build_release [TARGET]: everything, or one target
  cmake --preset release >/dev/null
  cmake --build --preset release ${1:+--target "$1"}
}

case "${1:-}" in
  run)
    install_missing
    build_release darkfigure
    darkfigure=build/release/src/cli/darkfigure
    "$darkfigure" run scenarios/kazakhstan-2023.toml \
      scenarios/kazakhstan-2023-conditioned.toml --out results
    # Which assumptions drive the national estimate: Sobol indices and a tornado.
    "$darkfigure" sensitivity scenarios/kazakhstan-2023.toml --method sobol --draws 65536 \
      --out results >/dev/null
    "$darkfigure" sensitivity scenarios/kazakhstan-2023.toml --method tornado --out results \
      >/dev/null
    echo "sensitivity studies: results/kz-2023-national-sobol.md, results/kz-2023-national-tornado.md"
    ;;
  test)
    install_missing
    build_release
    ctest --preset release
    ;;
  *)
    echo "usage: $0 run|test" >&2
    exit 2
    ;;
esac
