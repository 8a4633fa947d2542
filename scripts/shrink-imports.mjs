// Shortens the names the WebAssembly module imports its JavaScript functions by.
// wasm-bindgen names each import `__wbg_<method>_<16 hex digits>` (or `__wbindgen_…`)
// under the module "./reader-comments-app_bg.js": about 180 of them, each name written
// twice, once in the wasm's import section and once in the glue's import object. This
// renames them to "a", "b", … in both files, consistently, and drops the glue's
// functions for imports the wasm does not have (any more: scripts/drop-exports.mjs).
// The exports of the closure invokers the glue calls (`wasm_bindgen_<hash>___convert__
// closures_…`, named after every argument type) become i0, i1, … the same way.
//
// It relies on the shape of wasm-bindgen's output (the version pinned in Cargo.toml and
// Cargo.lock). Anything unexpected (a name of another shape, a name not found exactly
// once in the glue, a section that does not parse) throws an error that names this script
// and that version, and leaves both files untouched: a wasm-bindgen upgrade fails the
// release build loudly instead of shipping a broken widget. Tested by
// scripts/shrink-imports.test.mjs on a small wasm with known imports.
//   node scripts/shrink-imports.mjs <folder with reader-comments-app.js and _bg.wasm>
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WasmFormatError, byteAt, name, readName, readU32, rewriteSection, u32 } from './wasm-binary.mjs';

const MODULE = './reader-comments-app_bg.js';
const SHORT_MODULE = 'w';
/** The import names wasm-bindgen gives the glue's functions. */
const IMPORT_NAME = /^(__wbg_[A-Za-z0-9_$]+_[0-9a-f]{16}|__wbindgen_[A-Za-z0-9_]+)$/;

/** The wasm-bindgen version of Cargo.lock, for the error messages. */
function wasmBindgenVersion() {
  try {
    const lock = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'Cargo.lock'), 'utf8');
    return lock.match(/name = "wasm-bindgen"\nversion = "([^"]+)"/)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

class ShrinkError extends Error {}

function fail(why) {
  throw new ShrinkError(
    `scripts/shrink-imports.mjs: ${why}. The files are left as they were. The script expects the output ` +
    `of wasm-bindgen ${wasmBindgenVersion()}; if wasm-bindgen changed, update the script and its test.`,
  );
}

// The end of an import's description (after its kind byte).
function skipDesc(buf, kind, at) {
  const limits = (p) => {
    const flags = byteAt(buf, p++);
    [, p] = readU32(buf, p);
    if (flags & 1) [, p] = readU32(buf, p);
    return p;
  };
  switch (kind) {
    case 0: return readU32(buf, at)[1]; // function: type index
    case 1: return limits(at + 1); // table: reference type, limits
    case 2: return limits(at); // memory: limits
    case 3: return at + 2; // global: value type, mutability
    case 4: return readU32(buf, at + 1)[1]; // tag: attribute, type index
    default: return fail(`an import of unknown kind ${kind}`);
  }
}

/** A short name for the i-th import: a … z, A … Z, aa, ab, … */
function shortName(i) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let s = '';
  do {
    s = letters[i % letters.length] + s;
    i = Math.floor(i / letters.length) - 1;
  } while (i >= 0);
  return s;
}

/** The wasm with its glue imports renamed, and the renames (long → short). */
function renameInWasm(wasm) {
  const renames = new Map();
  const renamed = rewriteSection(wasm, 2, (buf, body, end) => {
    let [count, p] = readU32(buf, body);
    const entries = [u32(count)];
    for (let i = 0; i < count; i++) {
      let module, field;
      [module, p] = readName(buf, p, end);
      [field, p] = readName(buf, p, end);
      const kind = byteAt(buf, p);
      const descEnd = skipDesc(buf, kind, p + 1);
      if (descEnd > end) fail(`the import ${field} runs past the end of its section`);
      const desc = buf.subarray(p, descEnd);
      p = descEnd;
      if (module === MODULE) {
        if (!IMPORT_NAME.test(field)) fail(`the import "${field}" is not named as wasm-bindgen names them`);
        if (!renames.has(field)) renames.set(field, shortName(renames.size));
        entries.push(name(SHORT_MODULE), name(renames.get(field)), desc);
      } else {
        entries.push(name(module), name(field), desc);
      }
    }
    if (p !== end) fail('the import section did not parse to its end');
    return Buffer.concat(entries);
  });
  if (!renamed || renames.size === 0) fail(`the wasm has no imports from "${MODULE}"`);
  return [renamed, renames];
}

/** The export names wasm-bindgen gives the closure invokers the glue calls. */
const INVOKER_NAME = /^wasm_bindgen_[0-9a-f]{16}___convert__closures_\w+$/;

/** The wasm with its closure invokers' exports renamed i0, i1, … (their names spell
 *  out every argument type: hundreds of bytes each), and the renames. */
function renameInvokersInWasm(wasm) {
  const renames = new Map();
  const renamed = rewriteSection(wasm, 7, (buf, body, end) => {
    let [count, p] = readU32(buf, body);
    const entries = [u32(count)];
    const names = [];
    for (let i = 0; i < count; i++) {
      let field;
      [field, p] = readName(buf, p, end);
      const [, next] = readU32(buf, p + 1);
      if (next > end) fail(`the export ${field} runs past the end of its section`);
      names.push(field);
      if (INVOKER_NAME.test(field)) renames.set(field, `i${renames.size}`);
      entries.push(name(renames.get(field) ?? field), buf.subarray(p, next));
      p = next;
    }
    if (p !== end) fail('the export section did not parse to its end');
    for (const short of renames.values()) if (names.includes(short)) fail(`the wasm already exports "${short}"`);
    return Buffer.concat(entries);
  });
  return [renamed ?? wasm, renames];
}

/** The glue with the same renames in its calls (each called from one place). */
function renameInvokersInGlue(glue, renames) {
  for (const [long, short] of renames) {
    const calls = glue.split(`wasm.${long}(`).length - 1;
    if (calls !== 1) fail(`the glue calls ${long} ${calls} times, not once`);
    glue = glue.replace(`wasm.${long}(`, `wasm.${short}(`);
  }
  return glue;
}

/** The glue with the same renames in its import object. */
function renameInGlue(glue, renames) {
  for (const [long, short] of renames) {
    const escaped = long.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const key = new RegExp(`^(\\s+)${escaped}(: function\\b)`, 'gm');
    const hits = glue.match(key)?.length ?? 0;
    if (hits !== 1) fail(`the glue defines ${long} ${hits} times, not once`);
    glue = glue.replace(key, `$1${short}$2`);
  }
  // The glue's functions for imports the wasm no longer has (scripts/drop-exports.mjs
  // removed the only code that called them): each entry runs from its name to the
  // closing brace at its own indentation.
  const unused = new RegExp(`^(\\s+)(?:__wbg_[A-Za-z0-9_$]+_[0-9a-f]{16}|__wbindgen_[A-Za-z0-9_]+): function\\b[^]*?^\\1},?\\n`, 'gm');
  glue = glue.replace(unused, '');
  const moduleKey = `"${MODULE}": import0`;
  if (glue.split(moduleKey).length !== 2) fail(`the glue does not hand over "${MODULE}" once`);
  return glue.replace(moduleKey, `"${SHORT_MODULE}": import0`);
}

/** Renames the imports in `dir`'s wasm and glue; throws (changing nothing) on anything
 *  unexpected. Returns a line saying what it did. */
export function shrinkImports(dir) {
  const wasmPath = join(dir, 'reader-comments-app_bg.wasm');
  const gluePath = join(dir, 'reader-comments-app.js');
  let wasm, renames, invokers;
  try {
    [wasm, renames] = renameInWasm(readFileSync(wasmPath));
    [wasm, invokers] = renameInvokersInWasm(wasm);
  } catch (e) {
    if (e instanceof WasmFormatError) fail(e.message);
    throw e;
  }
  const glue = renameInvokersInGlue(renameInGlue(readFileSync(gluePath, 'utf8'), renames), invokers);
  writeFileSync(wasmPath, wasm);
  writeFileSync(gluePath, glue);
  const also = invokers.size ? `, ${invokers.size} closure invokers' exports renamed` : '';
  return `shrink-imports: ${renames.size} imports renamed${also}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    console.log(shrinkImports(process.argv[2] ?? '.'));
  } catch (e) {
    console.error(e instanceof ShrinkError ? e.message : `scripts/shrink-imports.mjs: ${e.message}`);
    process.exit(1);
  }
}
