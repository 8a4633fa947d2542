#!/usr/bin/env bash
# README's run command: builds the widget (release) and the server, then serves the seed
# article with its comments on http://127.0.0.1:8080/ from reader-comments.sqlite3, and
# says how to sign in to its moderation page (/admin).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/setup.sh
scripts/build-widget.sh
cargo build --release -p reader-comments-server
db="${RC_DB:-reader-comments.sqlite3}"
# The demo's moderator (issue 13): made on the first run with a random password, printed
# once; the server keeps only its Argon2id hash.
password="$(od -An -N15 -tx1 /dev/urandom | tr -d ' \n')"
if printf '%s\n' "$password" | ./target/release/reader-comments-server --db "$db" moderator add demo 2>/dev/null; then
  echo "Moderation: open http://127.0.0.1:8080/admin and sign in as demo with the password $password"
  echo "            (made on this first run and shown only now; a new one: ./target/release/reader-comments-server --db $db moderator add demo --replace)"
else
  echo "Moderation: open http://127.0.0.1:8080/admin and sign in as demo (its password was printed on the first run;"
  echo "            a new one: ./target/release/reader-comments-server --db $db moderator add demo --replace)"
fi
exec ./target/release/reader-comments-server --db "$db" --static-dir dist "$@"
