#!/usr/bin/env bash
# README's test command: every suite, from a fresh clone. Installs what is missing
# (scripts/setup.sh), then runs lint, native unit tests (core, widget rules, server),
# mutation tests of the core's shared rules (cargo-mutants),
# the whole server suite again on PostgreSQL (a throwaway cluster: scripts/postgres.sh),
# the widget's component tests in headless Chromium, the release build, and the
# end-to-end suite (Playwright + Chromium against the real server and SQLite file).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/setup.sh
# CI builds once from a clean clone: incremental caches would only take disk (a CI run
# once failed with "No space left on device").
if [ "${CI:-}" = true ]; then export CARGO_INCREMENTAL=0; fi
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "format and lint"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p reader-comments --target wasm32-unknown-unknown --all-targets -- -D warnings
cargo clippy -p reader-comments --target wasm32-unknown-unknown --features split -- -D warnings

step "native unit tests (core rules, widget rules, server)"
cargo test --workspace

step "mutation tests of the shared rules (cargo-mutants: every change it makes to crates/core's rules must fail a test)"
# The files are in .cargo/mutants.toml; a survivor fails the run and is listed in
# target/mutants.out/missed.txt. About a minute on two cores.
cargo mutants -p reader-comments-core --output target -j 2

step "the server's whole suite on PostgreSQL (a throwaway cluster from Debian's packages)"
pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/rc-postgres.XXXXXX")"
trap 'scripts/postgres.sh stop "$pg_dir"; rm -rf "$pg_dir"' EXIT
# `--workspace`, as above: with `-p` cargo resolves other features and builds every
# dependency a second time (a CI run ran out of disk doing that). The core's and the
# widget's few native tests run again with it, in seconds.
RC_TEST_POSTGRES="$(scripts/postgres.sh start "$pg_dir")" cargo test --workspace
scripts/postgres.sh stop "$pg_dir"

step "component tests in headless Chromium (wasm-bindgen-test), std built for size as it ships"
(
  while IFS= read -r line; do export "${line?}"; done < <(scripts/build-widget.sh --print-test-flags)
  CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    cargo test -p reader-comments --target wasm32-unknown-unknown --test web
)

step "build scripts' own tests (Node)"
node --test scripts/*.test.mjs

step "release build of the widget (std built for size) and the server"
scripts/build-widget.sh
cargo build --release -p reader-comments-server

step "end-to-end tests (Playwright, Chromium, real server, real SQLite)"
(cd e2e && node --test --test-concurrency=1 specs/*.spec.js)
