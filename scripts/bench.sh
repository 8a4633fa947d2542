#!/usr/bin/env bash
# README's benchmark command: builds the widget and the server in release mode (and the
# reference builds, once), then runs bench/run.mjs (headless Chromium, our widget
# against a plain JS page, sizes, server throughput against the reference builds and a
# static file). Prints a table; saves bench/results/latest.json.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/setup.sh
# The load generator and the static server the server's figures are measured with and
# against (Debian's wrk and nginx-light; nginx is only run by the benchmark, as this user).
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq wrk nginx-light >/dev/null
  # The package starts a system nginx where services run: the benchmark needs none.
  $sudo_cmd service nginx stop >/dev/null 2>&1 || true
fi
scripts/build-widget.sh
cargo build --release -p reader-comments-server
# The reference builds (d658aa8, the last release tag): built once, kept in target/reference.
scripts/reference.sh >/dev/null
node bench/run.mjs
