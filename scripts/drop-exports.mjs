// Drops the classes that a dependency exports from the widget's wasm and that the
// widget never uses, then lets wasm-opt remove the code only they kept alive.
//
// leptos depends on server_fn, which (for server functions the widget does not use)
// depends on wasm-streams, whose IntoUnderlyingSource, IntoUnderlyingByteSource and
// IntoUnderlyingSink are #[wasm_bindgen] structs: wasm-bindgen exports every such class
// from the module and defines it in the glue, so their methods, the stream code behind
// them and their imports stay in the wasm (about 10 KB before compression) although
// nothing ever makes one. Those classes exist for JavaScript to call into a Rust stream;
// the glue would name a class elsewhere (`__wrap`, `new`) if Rust ever handed one to
// JavaScript, and then this script refuses to run rather than ship a broken widget.
//
// Like scripts/shrink-imports.mjs it relies on the shape of wasm-bindgen's output:
// anything unexpected throws an error naming this script and leaves the files as they
// were. Nothing to drop (a dependency without these classes) is not an error. Tested by
// scripts/drop-exports.test.mjs.
//   node scripts/drop-exports.mjs <folder> <wasm-opt> [wasm-opt flags…]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WasmFormatError, byteAt, name, readName, readU32, rewriteSection, u32 } from './wasm-binary.mjs';

/** The classes dropped: used by no one, exported by wasm-streams. */
export const UNUSED_CLASSES = ['IntoUnderlyingByteSource', 'IntoUnderlyingSink', 'IntoUnderlyingSource'];

class DropError extends Error {}

function fail(why) {
  throw new DropError(`scripts/drop-exports.mjs: ${why}. The files are left as they were.`);
}

/** Whether the wasm export `field` belongs to one of `classes` (its methods are
 *  `<class in lower case>_<method>`, its destructor `__wbg_<class in lower case>_free`). */
function ofClass(field, classes) {
  return classes.some((c) => {
    const lower = c.toLowerCase();
    return field.startsWith(`${lower}_`) || field === `__wbg_${lower}_free`;
  });
}

/** The wasm without the exports of `classes`, and the names dropped. */
export function dropInWasm(wasm, classes) {
  const dropped = [];
  const out = rewriteSection(wasm, 7, (buf, body, end) => {
    let [count, p] = readU32(buf, body);
    const kept = [];
    for (let i = 0; i < count; i++) {
      let field;
      [field, p] = readName(buf, p, end);
      const kind = byteAt(buf, p);
      const [, next] = readU32(buf, p + 1);
      if (next > end) throw new WasmFormatError(`the export ${field} runs past the end of its section`);
      if (ofClass(field, classes)) dropped.push(field);
      else kept.push(name(field), Buffer.from([kind]), buf.subarray(p + 1, next));
      p = next;
    }
    if (p !== end) throw new WasmFormatError('the export section did not parse to its end');
    return Buffer.concat([u32(count - dropped.length), ...kept]);
  });
  if (!out) throw new WasmFormatError('the wasm has no export section');
  return [out, dropped];
}

/** The glue without the definitions of `classes`: each class, the line giving it
 *  `Symbol.dispose`, its finalization registry, and the enums only classes used. */
export function dropInGlue(glue, classes) {
  for (const c of classes) {
    const pieces = [
      ['class', new RegExp(`^export class ${c} \\{\\n[^]*?^\\}\\n`, 'm')],
      ['Symbol.dispose line', new RegExp(`^if \\(Symbol\\.dispose\\) ${c}\\.prototype\\[Symbol\\.dispose\\] = ${c}\\.prototype\\.free;\\n`, 'm')],
      ['finalization registry', new RegExp(`^const ${c}Finalization = [^;]*;\\n`, 'm')],
    ];
    for (const [what, piece] of pieces) {
      if (!piece.test(glue)) fail(`the glue has no ${what} for ${c} in the shape expected`);
      glue = glue.replace(piece, '');
    }
    if (new RegExp(`\\b${c}\\b`).test(glue)) fail(`the glue still uses ${c} (JavaScript is handed one)`);
  }
  // An enum's only use was a dropped class's getter.
  for (const [line, enumName] of glue.matchAll(/^const (__wbindgen_enum_\w+) = \[[^\]\n]*\];\n/gm)) {
    if (glue.split(enumName).length === 2) glue = glue.replace(line, '');
  }
  return glue;
}

/** Drops the unused classes in `dir`'s wasm and glue, then runs `wasmOpt` with `flags`
 *  on the wasm to remove what only they reached. Returns a line saying what it did. */
export function dropExports(dir, wasmOpt, flags) {
  const wasmPath = join(dir, 'reader-comments-app_bg.wasm');
  const gluePath = join(dir, 'reader-comments-app.js');
  const before = readFileSync(wasmPath);
  let wasm, dropped;
  try {
    [wasm, dropped] = dropInWasm(before, UNUSED_CLASSES);
  } catch (e) {
    if (e instanceof WasmFormatError) fail(e.message);
    throw e;
  }
  if (dropped.length === 0) return 'drop-exports: nothing to drop';
  const present = UNUSED_CLASSES.filter((c) => dropped.some((f) => ofClass(f, [c])));
  const glue = dropInGlue(readFileSync(gluePath, 'utf8'), present);
  writeFileSync(wasmPath, wasm);
  try {
    execFileSync(wasmOpt, [...flags, wasmPath, '-o', wasmPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    writeFileSync(wasmPath, before);
    fail(`${wasmOpt} failed: ${e.stderr?.toString().trim() || e.message}`);
  }
  writeFileSync(gluePath, glue);
  return `drop-exports: ${dropped.length} exports of ${present.join(', ')} dropped, ` +
    `wasm ${before.length} -> ${readFileSync(wasmPath).length} bytes`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [dir = '.', wasmOpt = 'wasm-opt', ...flags] = process.argv.slice(2);
  try {
    console.log(dropExports(dir, wasmOpt, flags));
  } catch (e) {
    console.error(e instanceof DropError ? e.message : `scripts/drop-exports.mjs: ${e.message}`);
    process.exit(1);
  }
}
