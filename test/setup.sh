#!/usr/bin/env bash
# Installs what the tests drive for real, only where it is missing (so `npm test` is quick once
# set up): libfuse and the FUSE binding for the simulator mount, Chromium for the browser suite,
# and a wasmtime engine (Python wheel, in .venv) for the WASI suite. Needs root (or sudo) for
# apt-get on a fresh machine. Exits non-zero, saying why, if something is still missing after.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "test/setup.sh: $*"; }
die() { echo "test/setup.sh: $*" >&2; exit 1; }

missing=()
for pkg in fuse3 libfuse3-dev libfuse2 libfuse-dev pkg-config chromium; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "needs root to run: apt-get install -y ${missing[*]}"
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# @cocalc/fuse-native is an optional dependency that compiles against libfuse when npm installs
# it. On a fresh machine npm ran before libfuse was here: the build failed and npm dropped the
# package (and its own dependencies) from node_modules, leaving nothing for `npm rebuild`. So
# install it again now, at the version package-lock.json pins, without touching package.json or
# the lock (--no-save); package.json's allowScripts lets its build run. A package that is present
# but does not load (built without libfuse, or with scripts skipped) is rebuilt.
FUSE=@cocalc/fuse-native
fuse_error() { node -e "require('$FUSE')" 2>&1 >/dev/null | grep -m1 -E '^[A-Za-z]*Error' || true; }
fuse_loads() { node -e "require('$FUSE')" 2>/dev/null; }
if ! fuse_loads; then
  if [ ! -f "node_modules/$FUSE/package.json" ]; then
    version=$(node -p "require('./package-lock.json').packages['node_modules/$FUSE']?.version ?? ''")
    [ -n "$version" ] || die "package-lock.json pins no version of $FUSE"
    say "installing $FUSE@$version (npm dropped it: libfuse was missing when npm installed)"
    npm install --no-save --no-audit --no-fund "$FUSE@$version" >/dev/null
  fi
  if ! fuse_loads; then
    say "rebuilding $FUSE against libfuse"
    npm rebuild "$FUSE" >/dev/null
  fi
  fuse_loads || die "$FUSE is still not loadable ($(fuse_error)). It needs libfuse-dev and pkg-config
  (apt-get install -y libfuse-dev pkg-config), Node's headers, and its install script allowed
  (package.json \"allowScripts\"; npm install-scripts ls). Then run: bash test/setup.sh"
fi

if ! .venv/bin/python -c "import wasmtime" 2>/dev/null; then
  say "installing wasmtime into .venv"
  python3 -m venv .venv
  # The wheel ships on the machine (a local package index); the index is only a fallback.
  .venv/bin/pip install -q --index-url file:///opt/pypi-more/simple wasmtime 2>/dev/null \
    || .venv/bin/pip install -q wasmtime
  .venv/bin/python -c "import wasmtime" || die "wasmtime is still not importable from .venv/bin/python"
fi
