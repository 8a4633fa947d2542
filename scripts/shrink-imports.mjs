// Shortens the names the WebAssembly module imports its JavaScript functions by.
// wasm-bindgen names each import `__wbg_<method>_<16 hex digits>` under the module
// "./reader-comments-app_bg.js": about 180 of them, each name written twice, once in
// the wasm's import section and once in the glue's import object. This renames them
// to "a", "b", … in both files, consistently, and fails (leaving both files untouched)
// if any name is not found exactly once where expected.
//   node scripts/shrink-imports.mjs <folder with reader-comments-app.js and _bg.wasm>
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const wasmPath = join(dir, 'reader-comments-app_bg.wasm');
const gluePath = join(dir, 'reader-comments-app.js');
const MODULE = './reader-comments-app_bg.js';
const SHORT_MODULE = 'w';

function fail(why) {
  console.error(`shrink-imports: ${why}; the files are left as they were`);
  process.exit(1);
}

const wasm = readFileSync(wasmPath);
let glue = readFileSync(gluePath, 'utf8');

// ---- reading and writing the binary format's pieces --------------------------------
function readU32(buf, at) {
  let value = 0, shift = 0, byte;
  do {
    byte = buf[at++];
    value |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  return [value >>> 0, at];
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
function readName(buf, at) {
  const [len, start] = readU32(buf, at);
  return [buf.toString('utf8', start, start + len), start + len];
}
function name(text) {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([u32(bytes.length), bytes]);
}
// The end of an import's description (after its kind byte).
function skipDesc(buf, kind, at) {
  const limits = (p) => {
    const flags = buf[p++];
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

// ---- the import section --------------------------------------------------------------
if (wasm.readUInt32LE(0) !== 0x6d736100) fail(`${wasmPath} is not WebAssembly`);
let at = 8;
const parts = [wasm.subarray(0, 8)];
const renames = new Map();
let found = false;
const shortName = (i) => {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let s = '';
  do {
    s = letters[i % letters.length] + s;
    i = Math.floor(i / letters.length) - 1;
  } while (i >= 0);
  return s;
};
while (at < wasm.length) {
  const id = wasm[at];
  const [size, body] = readU32(wasm, at + 1);
  const end = body + size;
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
    [module, p] = readName(wasm, p);
    [field, p] = readName(wasm, p);
    const kind = wasm[p];
    const descEnd = skipDesc(wasm, kind, p + 1);
    const desc = wasm.subarray(p, descEnd);
    p = descEnd;
    if (module === MODULE) {
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
if (!found || renames.size === 0) fail(`no imports from "${MODULE}"`);

// ---- the glue's import object --------------------------------------------------------
for (const [long, short] of renames) {
  const escaped = long.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const key = new RegExp(`^(\\s+)${escaped}(: function\\b)`, 'gm');
  const hits = glue.match(key)?.length ?? 0;
  if (hits !== 1) fail(`the glue defines ${long} ${hits} times, not once`);
  glue = glue.replace(key, `$1${short}$2`);
}
const moduleKey = `"${MODULE}": import0`;
if (glue.split(moduleKey).length !== 2) fail(`the glue does not hand over "${MODULE}" once`);
glue = glue.replace(moduleKey, `"${SHORT_MODULE}": import0`);

writeFileSync(wasmPath, Buffer.concat(parts));
writeFileSync(gluePath, glue);
console.log(`shrink-imports: ${renames.size} imports renamed`);
