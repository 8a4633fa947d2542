#!/usr/bin/env bash
# README's run command: builds the widget (release) and the server, then serves the seed
# article with its comments on http://127.0.0.1:8080/ from reader-comments.sqlite3.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/setup.sh
scripts/build-widget.sh
cargo build --release -p reader-comments-server
exec ./target/release/reader-comments-server --db "${RC_DB:-reader-comments.sqlite3}" --static-dir dist "$@"
