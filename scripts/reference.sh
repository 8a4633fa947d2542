#!/usr/bin/env bash
# Builds the reference servers the benchmark compares with (docs/performance.md): the
# build of d658aa8 (before replies, recommends, bans, reports, ETags and the hardening)
# and the last release tag, if there is one. Each is built once, in release mode, from a
# git worktree under target/reference/, and kept: target/reference/<commit>/server.
# Prints one line per reference built: "<label> <commit> <path>". A commit this clone
# does not have (a shallow clone) is skipped with a note on standard error.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
REFERENCE=d658aa8

build() {
  local label="$1" rev="$2" commit dir
  if ! commit="$(git rev-parse --verify --quiet "$rev^{commit}")"; then
    echo "[reference] $label ($rev) is not in this clone (shallow?): left out" >&2
    return 0
  fi
  dir="$root/target/reference/$commit"
  if [ ! -x "$dir/server" ]; then
    echo "[reference] building $label ($rev) once, in release mode" >&2
    rm -rf "$dir/src"
    mkdir -p "$dir"
    git worktree add --detach --force "$dir/src" "$commit" >/dev/null 2>&1
    (cd "$dir/src" && CARGO_TARGET_DIR="$dir/target" cargo build --release -p reader-comments-server >&2)
    cp "$dir/target/release/reader-comments-server" "$dir/server"
    git worktree remove --force "$dir/src" >/dev/null 2>&1 || true
    rm -rf "$dir/target"
  fi
  echo "$label $commit $dir/server"
}

build reference "$REFERENCE"
if tag="$(git describe --tags --abbrev=0 2>/dev/null)"; then
  build "$tag" "$tag"
else
  echo "[reference] no release tag yet: only $REFERENCE" >&2
fi
