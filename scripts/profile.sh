#!/usr/bin/env bash
# Where the widget's bytes and time go (docs/performance.md). Builds the release wasm
# with function names kept into target/names/ (beside the loader and stylesheet of a
# release build), prints twiggy's breakdown of it by crate and its largest items, then
# a CPU profile of one cold load of 1,000 comments (bench/profile.mjs).
#   scripts/profile.sh [N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/setup.sh
if [ "$(twiggy --version 2>/dev/null)" != "twiggy-opt 0.8.0" ]; then
  echo "[profile] building twiggy 0.8.0 (a few minutes, once)"
  cargo install --locked twiggy --version 0.8.0
fi
scripts/build-widget.sh
out=target/names
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --keep-debug --target web --out-dir "$out" \
  target/wasm32-unknown-unknown/release/reader-comments-app.wasm
wasm-opt -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$out/reader-comments-app_bg.wasm" -o "$out/reader-comments-app_bg.wasm"
cp dist/reader-comments.js dist/reader-comments.css "$out/"
twiggy top -n 1000000 -f csv "$out/reader-comments-app_bg.wasm" | node bench/size-report.mjs
node bench/profile.mjs "${1:-1000}"
