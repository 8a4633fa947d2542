#!/usr/bin/env bash
# The release build of the widget, as it ships: `trunk build --release` with Rust's
# standard library rebuilt for size. The one place these flags live; scripts/test.sh,
# demo.sh, bench.sh and profile.sh call this script (and component tests use its
# `widget_flags tests`, see below).
#
# Why: the precompiled std that rustup ships was built for speed and carries panic
# machinery, file/line strings and Debug formatting the widget never shows. Rebuilding
# it with the widget's own profile (opt-level "z", LTO) and these flags removed ~12 KB
# of brotli (docs/performance.md, "Building std for size").
#
#   RUSTC_BOOTSTRAP=1             stable rustc and cargo accept the unstable flags below
#                                 (no nightly toolchain can be fetched on our machines).
#   CARGO_UNSTABLE_BUILD_STD      build std, and the panic_abort runtime, from rust-src
#     =std,panic_abort            with the release profile, instead of linking rustup's.
#   -Cpanic=immediate-abort       a panic traps at once: no panic hook, no message
#   (needs -Zunstable-options)    formatting. The widget has no panicking path on outside
#                                 data (STYLE.md); a bug that panics stops the widget with
#                                 a RuntimeError in the console instead of a message.
#   -Zlocation-detail=none        no file:line:column strings for panics and `#[track_caller]`.
#   -Zfmt-debug=none              `{:?}` formats nothing; no reader-facing text uses Debug.
#   -Clink-arg=--emit-relocs      keeps the linker's relocations in the wasm: splitting it
#                                 into parts (scripts/split-wasm.mjs) needs them.
#
# Dropping them: once a stable toolchain offers these (build-std is being stabilised as
# `-Zbuild-std` → cargo's `build-std` config, panic=immediate-abort as a stable panic
# strategy), move them to .cargo/config.toml and [profile.release], delete RUSTC_BOOTSTRAP.
#
# Without rust-src (`rustup component add rust-src`, which scripts/setup.sh runs) the
# widget is built the ordinary way, about 12 KB larger, with a notice.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Prints the environment for a size build: `release` (what ships) or `tests` (the
# component tests: the same std rebuilt for size, but panics keep their messages and
# locations, so that a failing assertion says what failed).
widget_flags() {
  if ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
    return 1
  fi
  echo "RUSTC_BOOTSTRAP=1"
  echo "CARGO_UNSTABLE_BUILD_STD=std,panic_abort"
  if [ "$1" = release ]; then
    echo "RUSTFLAGS=-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none -Clink-arg=--emit-relocs"
  else
    echo "RUSTFLAGS=-Cpanic=abort"
  fi
}

if [ "${1:-}" = --print-test-flags ]; then
  widget_flags tests || true
  exit 0
fi

# The tool that splits the wasm (scripts/split-wasm.mjs), built for this machine before
# the flags below, which are the wasm's.
cargo build --release -p rc-wasm-split --quiet

if flags="$(widget_flags release)"; then
  while IFS= read -r line; do export "${line?}"; done <<<"$flags"
  # trunk builds offline: fetch std's own dependencies (and build once) with network
  # allowed, the same build trunk then reuses.
  cargo build --release --target wasm32-unknown-unknown --bin reader-comments-app --features split --quiet
else
  export RUSTFLAGS="-Clink-arg=--emit-relocs"
  echo "[build] rust-src is not installed: building the widget with rustup's prebuilt std" \
    "(about 12 KB larger). scripts/setup.sh adds it: rustup component add rust-src" >&2
fi
trunk build --release "$@"
