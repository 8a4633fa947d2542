// Shortens the names the WebAssembly module imports its JavaScript functions by.
// wasm-bindgen names each import `__wbg_<method>_<16 hex digits>` (or `__wbindgen_…`)
// under the module "./reader-comments-app_bg.js": about 180 of them, each name written
// twice, once in the wasm's import section and once in the glue's import object. This
// renames them to "a", "b", … in both files, consistently.
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

// ---- reading and writing the binary format's pieces, every read bounded --------------
function byteAt(buf, at) {
  if (at >= buf.length) fail(`the wasm ends early (offset ${at} of ${buf.length})`);
  return buf[at];
}
function readU32(buf, at) {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    const byte = byteAt(buf, at++);
    value += (byte & 0x7f) * 2 ** shift;
    if (!(byte & 0x80)) {
      if (value > 0xffffffff) fail('a LEB128 number is larger than 32 bits');
      return [value, at];
    }
  }
  return fail('a LEB128 number is longer than 5 bytes');
}
function u32(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
}
function readName(buf, at, end) {
  const [len, start] = readU32(buf, at);
  if (start + len > end) fail('a name runs past the end of its section');
  return [buf.toString('utf8', start, start + len), start + len];
}
function name(text) {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([u32(bytes.length), bytes]);
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
  if (wasm.length < 8 || wasm.readUInt32LE(0) !== 0x6d736100) fail('the file is not WebAssembly');
  let at = 8;
  const parts = [wasm.subarray(0, 8)];
  const renames = new Map();
  let found = false;
  while (at < wasm.length) {
    const id = byteAt(wasm, at);
    const [size, body] = readU32(wasm, at + 1);
    const end = body + size;
    if (end > wasm.length) fail(`section ${id} runs past the end of the file`);
    if (id !== 2) {
      parts.push(wasm.subarray(at, end));
      at = end;
      continue;
    }
    found = true;
    let [count, p] = readU32(wasm, body);
    const entries = [u32(count)];
    for (let i = 0; i < count; i++) {
      let module, field;
      [module, p] = readName(wasm, p, end);
      [field, p] = readName(wasm, p, end);
      const kind = byteAt(wasm, p);
      const descEnd = skipDesc(wasm, kind, p + 1);
      if (descEnd > end) fail(`the import ${field} runs past the end of its section`);
      const desc = wasm.subarray(p, descEnd);
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
    const section = Buffer.concat(entries);
    parts.push(Buffer.from([2]), u32(section.length), section);
    at = end;
  }
  if (!found || renames.size === 0) fail(`the wasm has no imports from "${MODULE}"`);
  return [Buffer.concat(parts), renames];
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
  const moduleKey = `"${MODULE}": import0`;
  if (glue.split(moduleKey).length !== 2) fail(`the glue does not hand over "${MODULE}" once`);
  return glue.replace(moduleKey, `"${SHORT_MODULE}": import0`);
}

/** Renames the imports in `dir`'s wasm and glue; throws (changing nothing) on anything
 *  unexpected. Returns a line saying what it did. */
export function shrinkImports(dir) {
  const wasmPath = join(dir, 'reader-comments-app_bg.wasm');
  const gluePath = join(dir, 'reader-comments-app.js');
  const [wasm, renames] = renameInWasm(readFileSync(wasmPath));
  const glue = renameInGlue(readFileSync(gluePath, 'utf8'), renames);
  writeFileSync(wasmPath, wasm);
  writeFileSync(gluePath, glue);
  return `shrink-imports: ${renames.size} imports renamed`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    console.log(shrinkImports(process.argv[2] ?? '.'));
  } catch (e) {
    console.error(e instanceof ShrinkError ? e.message : `scripts/shrink-imports.mjs: ${e.message}`);
    process.exit(1);
  }
}
