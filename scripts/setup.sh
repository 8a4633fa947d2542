#!/usr/bin/env bash
# Installs what building, running and testing Reader Comments needs, on a fresh Debian
# machine with rustup, Node.js and npm. Idempotent: each step is skipped when its tool
# is already there at the right version. Source it (`. scripts/setup.sh`) to get PATH.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$root/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3; exit}' "$root/Cargo.lock")"

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing Debian's chromium and chromium-driver"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# Noto's fonts for Hindi and Punjabi (the widget's font stack names them), so that the
# browser tests lay out and screenshot the text as readers' phones show it, not as boxes.
if ! fc-list 2>/dev/null | grep NotoSansDevanagari >/dev/null; then
  say "installing Debian's fonts-noto-core (Devanagari, Gurmukhi and other scripts)"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq fonts-noto-core >/dev/null
fi

# An SMTP server for the e-mail tests (aiosmtpd, started on loopback by the tests).
if ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
  say "installing Debian's python3-aiosmtpd (the e-mail tests' SMTP server)"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq python3-aiosmtpd >/dev/null
fi

# PostgreSQL for the server's tests on its second store (scripts/postgres.sh starts a
# throwaway cluster; no service is enabled).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  say "installing Debian's postgresql (the tests start a throwaway cluster)"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql postgresql-client >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The release build rebuilds std for size from rust-src (scripts/build-widget.sh).
if ! rustup component list --installed | grep -q '^rust-src'; then
  say "adding rust-src (the release build rebuilds std for size)"
  rustup component add rust-src
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "building trunk $TRUNK_VERSION (about 10 minutes, once)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "building wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes, once)"
  # Not --locked: the registry mirror lags behind the crate's own lock file.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# Mutation tests of the shared rules (scripts/test.sh): cargo-mutants from the registry.
CARGO_MUTANTS_VERSION=27.1.0
if [ "$(cargo mutants --version 2>/dev/null)" != "cargo-mutants $CARGO_MUTANTS_VERSION" ]; then
  say "building cargo-mutants $CARGO_MUTANTS_VERSION (about 2 minutes, once)"
  cargo install --locked cargo-mutants --version "$CARGO_MUTANTS_VERSION"
fi

# The release build's tools (binaryen's wasm-opt, esbuild) and the tests' (playwright-core,
# axe-core) are separate packages: a build needs only the first.
npm_install() {
  local dir="$root/$1" marker="$2" what="$3"
  if [ ! -e "$dir/node_modules/$marker" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "installing npm packages in $1/ ($what)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_install tools .bin/wasm-opt "binaryen's wasm-opt, esbuild"
npm_install e2e playwright-core "playwright-core, axe-core, pngjs, pixelmatch"
