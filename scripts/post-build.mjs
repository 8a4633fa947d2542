// trunk's post_build hook (Trunk.toml), run in the staging folder before it becomes
// dist/. Every build: removes trunk's own <link data-trunk rel="rust"> from the demo
// page (with inject_scripts off trunk leaves it, and the page should carry only what a
// news site writes). Release builds: splits the wasm into what reading needs and what
// writing needs (scripts/split-wasm.mjs), drops the classes a dependency exports and the
// widget never uses (scripts/drop-exports.mjs), shortens the wasm's import names
// (scripts/shrink-imports.mjs), then minifies the three text files a page downloads (the
// wasm-bindgen glue, the loader, the stylesheet) with esbuild from tools/ (trunk's own
// minifier cannot parse the glue). Figures in docs/performance.md, cuts 14 and 17.
// Portable: Node only, no shell tools.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dropExports } from './drop-exports.mjs';
import { shrinkImports } from './shrink-imports.mjs';
import { splitWasm } from './split-wasm.mjs';

const staging = process.env.TRUNK_STAGING_DIR;
const source = process.env.TRUNK_SOURCE_DIR || '.';
if (!staging) {
  console.error('post-build.mjs: run by trunk (TRUNK_STAGING_DIR is not set)');
  process.exit(1);
}

const page = join(staging, 'index.html');
writeFileSync(page, readFileSync(page, 'utf8').replace(/<link[^>]*data-trunk[^>]*rel=("?)rust\1[^>]*>/g, ''));

if (process.env.TRUNK_PROFILE === 'release') {
  let esbuild;
  try {
    esbuild = await import(join(source, 'tools/node_modules/esbuild/lib/main.js'));
  } catch {
    console.error('post-build.mjs: esbuild is missing from tools/node_modules; run scripts/setup.sh');
    process.exit(1);
  }
  // wasm-opt from tools/ (scripts/setup.sh), with the features wasm-bindgen's output uses.
  const local = join(source, 'tools/node_modules/.bin/wasm-opt');
  const wasmOpt = existsSync(local) ? local : 'wasm-opt';
  const features = ['bulk-memory', 'nontrapping-float-to-int', 'sign-ext', 'mutable-globals', 'reference-types', 'multivalue'];
  const optFlags = ['-Oz', ...features.map((f) => `--enable-${f}`)];
  const target = process.env.CARGO_TARGET_DIR || join(source, 'target');
  const tools = { split: join(target, 'release/rc-wasm-split'), bindgen: 'wasm-bindgen', wasmOpt };
  try {
    console.log(splitWasm(staging, join(target, 'wasm32-unknown-unknown/release/reader-comments-app.wasm'), tools, optFlags));
    console.log(dropExports(staging, wasmOpt, optFlags));
    console.log(shrinkImports(staging));
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
  const minify = (file, options) =>
    esbuild.buildSync({
      entryPoints: [join(staging, file)], outfile: join(staging, file), allowOverwrite: true,
      minify: true, legalComments: 'none', logLevel: 'warning', ...options,
    });
  minify('reader-comments-app.js', { format: 'esm' });
  if (existsSync(join(staging, '__wasm_split.js'))) minify('__wasm_split.js', { format: 'esm' });
  minify('reader-comments.js', {});
  minify('reader-comments-count.js', {});
  minify('reader-comments.css', {});
  // Each language's strings (locales/, fetched by the pages in that language): no spaces.
  const locales = join(staging, 'locales');
  for (const file of existsSync(locales) ? readdirSync(locales) : []) {
    const path = join(locales, file);
    writeFileSync(path, JSON.stringify(JSON.parse(readFileSync(path, 'utf8'))));
  }
}
