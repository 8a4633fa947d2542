// The release build's split of the widget's wasm (issue 22): what a reader who only
// reads needs comes first; what writing needs (the forms, posting, drafts) is a second
// part, fetched when a reader shows the intent to write (src/writer.rs).
//
// trunk runs cargo and then wasm-bindgen on the whole wasm; splitting has to happen
// between the two, so this step, run by scripts/post-build.mjs in trunk's staging
// folder, starts again from the wasm cargo built (with `--emit-relocs`, which
// scripts/build-widget.sh adds): `rc-wasm-split` (crates/wasm-split) cuts it at its
// `#[wasm_split]` points, wasm-bindgen makes the glue for the main part (keeping the
// table and memory exports the later parts import: `--keep-lld-exports`), and
// wasm-opt shrinks every part. The glue and the main wasm replace trunk's; the later
// parts and `__wasm_split.js` (which fetches them, beside the glue) join them.
// Portable: Node only.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Splits the wasm cargo built (`raw`) into `staging`; returns a line saying what it did.
 *  `tools` names the programs: rc-wasm-split, wasm-bindgen, wasm-opt (with `optFlags`). */
export function splitWasm(staging, raw, tools, optFlags) {
  const work = mkdtempSync(join(tmpdir(), 'rc-split-'));
  try {
    const out = join(work, 'split');
    const run = (program, args) => execFileSync(program, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    run(tools.split, [raw, out]);
    const later = readdirSync(out).filter((f) => f.endsWith('.wasm') && f !== 'main.wasm');
    if (later.length === 0) return 'split-wasm: no split points: the wasm stays whole';
    const bound = join(work, 'bound');
    run(tools.bindgen, ['--target', 'web', '--no-typescript', '--keep-lld-exports', '--out-dir', bound,
      '--out-name', 'reader-comments-app', join(out, 'main.wasm')]);
    run(tools.wasmOpt, [...optFlags, join(bound, 'reader-comments-app_bg.wasm'), '-o', join(staging, 'reader-comments-app_bg.wasm')]);
    copyFileSync(join(bound, 'reader-comments-app.js'), join(staging, 'reader-comments-app.js'));
    for (const part of later) run(tools.wasmOpt, [...optFlags, join(out, part), '-o', join(staging, part)]);
    copyFileSync(join(out, '__wasm_split.js'), join(staging, '__wasm_split.js'));
    return `split-wasm: later parts ${later.join(', ')}`;
  } catch (e) {
    throw new Error(`split-wasm: ${e.stderr?.toString().trim() || e.message}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
