#!/bin/sh
# trunk's post_build hook (Trunk.toml): on a release build, in the staging folder,
# shortens the names the wasm imports its JS functions by (scripts/shrink-imports.mjs),
# then minifies the three text files a page downloads (the wasm-bindgen glue, the loader
# and the stylesheet) with esbuild from e2e/node_modules; trunk's own `minify` leaves
# them as they are. Figures in docs/performance.md, cuts 14 and 17.
set -eu
[ "${TRUNK_PROFILE:-}" = "release" ] || exit 0
esbuild="${TRUNK_SOURCE_DIR:-.}/e2e/node_modules/.bin/esbuild"
if [ ! -x "$esbuild" ]; then
  echo "minify.sh: $esbuild is missing; run scripts/setup.sh (npm packages)" >&2
  exit 1
fi
node "${TRUNK_SOURCE_DIR:-.}/scripts/shrink-imports.mjs" "$TRUNK_STAGING_DIR"
cd "$TRUNK_STAGING_DIR"
"$esbuild" reader-comments-app.js --minify --format=esm --legal-comments=none --log-level=warning \
  --outfile=reader-comments-app.js --allow-overwrite
"$esbuild" reader-comments.js --minify --legal-comments=none --log-level=warning \
  --outfile=reader-comments.js --allow-overwrite
"$esbuild" reader-comments.css --minify --legal-comments=none --log-level=warning \
  --outfile=reader-comments.css --allow-overwrite
