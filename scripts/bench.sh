#!/usr/bin/env bash
# README's benchmark command: builds the widget and the server in release mode, then
# runs bench/run.mjs (headless Chromium, our widget against a plain JS page, sizes,
# server throughput). Prints a table; saves bench/results/latest.json.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/setup.sh
scripts/build-widget.sh
cargo build --release -p reader-comments-server
node bench/run.mjs
