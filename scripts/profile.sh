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
rm -rf "$out" && mkdir -p "$out/split"
# Split as the release build does (scripts/split-wasm.mjs): twiggy's breakdown is of the
# part a reading-only visit fetches; the writing part sits beside it for the page.
target/release/rc-wasm-split target/wasm32-unknown-unknown/release/reader-comments-app.wasm "$out/split" >/dev/null
wasm-bindgen --keep-debug --keep-lld-exports --target web --no-typescript --out-dir "$out" \
  --out-name reader-comments-app "$out/split/main.wasm"
opt() {
  wasm-opt -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue "$1" -o "$2"
}
opt "$out/reader-comments-app_bg.wasm" "$out/reader-comments-app_bg.wasm"
for part in "$out"/split/*.wasm; do
  [ "$(basename "$part")" = main.wasm ] || opt "$part" "$out/$(basename "$part")"
done
cp "$out/split/__wasm_split.js" dist/reader-comments.js dist/reader-comments.css "$out/"
twiggy top -n 1000000 -f csv "$out/reader-comments-app_bg.wasm" | node bench/size-report.mjs
node bench/profile.mjs "${1:-1000}"
