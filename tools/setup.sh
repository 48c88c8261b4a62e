#!/usr/bin/env bash
# One entry point for a fresh Debian/Ubuntu machine with Python 3.11:
#   bash tools/setup.sh play [emotion-game play options]   install into .venv/ and start the game
#   bash tools/setup.sh test [pytest options]              install everything incl. dev/train extras and run the tests
# As root it also installs the Debian packages the game and the tests use.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-play}"; shift || true

PLAY_DEBS=(espeak-ng libespeak-ng1 libgl1 libglib2.0-0)
TEST_DEBS=(espeak-ng libespeak-ng1 libgl1 libglib2.0-0 postgresql chromium xvfb sox)

apt_install() {
  [ "$(id -u)" = 0 ] || { echo "note: not root, skipping apt-get install $*"; return 0; }
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null || PY=python3
[ -x .venv/bin/python ] || "$PY" -m venv .venv
pip_install() { .venv/bin/python -m pip install -q --disable-pip-version-check "$@"; }

case "$mode" in
  play)
    apt_install "${PLAY_DEBS[@]}"
    pip_install -e .
    exec .venv/bin/emotion-game play "$@"
    ;;
  test)
    apt_install "${TEST_DEBS[@]}"
    pip_install -e ".[dev,train]"
    # The speed peer: its declared dependencies would swap TensorFlow and pull PyTorch.
    .venv/bin/python -c "import fer.fer" 2>/dev/null || pip_install --no-deps "fer==25.10.3" || echo "note: fer not installed; bench skips the peer"
    export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
    exec .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: bash tools/setup.sh play|test [options]" >&2; exit 2 ;;
esac
