#!/usr/bin/env bash
# Installs what the tests drive for real, only where it is missing (so `npm test` is quick once
# set up): libfuse for the simulator mount, Chromium for the browser suite, and a wasmtime engine
# (Python wheel, in .venv) for the WASI suite. Needs root for apt-get on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for pkg in fuse3 libfuse3-dev libfuse2 libfuse-dev pkg-config chromium; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "test/setup.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The FUSE binding compiles against libfuse at npm install; rebuild it if libfuse came later.
if ! node -e "require('@cocalc/fuse-native')" 2>/dev/null; then
  echo "test/setup.sh: building @cocalc/fuse-native"
  npm rebuild @cocalc/fuse-native >/dev/null
fi

if ! .venv/bin/python -c "import wasmtime" 2>/dev/null; then
  echo "test/setup.sh: installing wasmtime into .venv"
  python3 -m venv .venv
  # The wheel ships on the machine (a local package index); the index is only a fallback.
  .venv/bin/pip install -q --index-url file:///opt/pypi-more/simple wasmtime 2>/dev/null \
    || .venv/bin/pip install -q wasmtime
fi
