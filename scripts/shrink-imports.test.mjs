// Tests of scripts/shrink-imports.mjs on a small hand-made wasm with known imports and
// a glue file in wasm-bindgen's shape: it renames both consistently, and refuses (with
// a message naming itself, changing nothing) anything it does not expect.
//   node --test scripts/shrink-imports.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shrinkImports } from './shrink-imports.mjs';
import { name, u32 } from './wasm-binary.mjs';

const BG = './reader-comments-app_bg.js';

// The binary pieces from the module under test's own helpers (tested through it).
const leb = (n) => [...u32(n)];
const str = (s) => [...name(s)];
const section = (id, bytes) => [id, ...leb(bytes.length), ...bytes];

/** A module importing `names` (functions) from the glue, plus a function and a memory
 *  from "env" that must be left alone. */
function wasmWith(names) {
  const types = section(1, [1, 0x60, 0, 0]);
  const imports = [
    ...names.flatMap((n) => [...str(BG), ...str(n), 0, 0]),
    ...str('env'), ...str('other'), 0, 0,
    ...str('env'), ...str('mem'), 2, 0, 1,
  ];
  const importSection = section(2, [...leb(names.length + 2), ...imports]);
  return Buffer.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...importSection]);
}

function glueWith(names) {
  const members = names.map((n) => `        ${n}: function(arg0) {\n            return arg0;\n        },`).join('\n');
  return `function __wbg_get_imports() {\n    const import0 = {\n        __proto__: null,\n${members}\n    };\n` +
    `    return {\n        __proto__: null,\n        "${BG}": import0,\n    };\n}\n`;
}

function folder(wasm, glue) {
  const dir = mkdtempSync(join(tmpdir(), 'rc-shrink-'));
  writeFileSync(join(dir, 'reader-comments-app_bg.wasm'), wasm);
  writeFileSync(join(dir, 'reader-comments-app.js'), glue);
  return dir;
}

const files = (dir) => [readFileSync(join(dir, 'reader-comments-app_bg.wasm')), readFileSync(join(dir, 'reader-comments-app.js'), 'utf8')];

const NAMES = ['__wbg_log_0123456789abcdef', '__wbg_get_fedcba9876543210', '__wbindgen_init_externref_table'];

test('the glue imports are renamed a, b, c in the wasm and the glue alike, and others are left alone', () => {
  const dir = folder(wasmWith(NAMES), glueWith(NAMES));
  assert.equal(shrinkImports(dir), 'shrink-imports: 3 imports renamed');
  const [wasm, glue] = files(dir);
  assert.ok(WebAssembly.validate(wasm));
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(wasm)).map((i) => `${i.module}.${i.name}`);
  assert.deepEqual(imports, ['w.a', 'w.b', 'w.c', 'env.other', 'env.mem']);
  for (const short of ['a', 'b', 'c']) assert.match(glue, new RegExp(`^\\s+${short}: function\\(arg0\\)`, 'm'));
  assert.match(glue, /"w": import0/);
  for (const long of NAMES) assert.ok(!glue.includes(long), long);
});

function refused(wasm, glue, why) {
  const dir = folder(wasm, glue);
  const before = files(dir);
  assert.throws(() => shrinkImports(dir), (e) => {
    assert.match(e.message, /^scripts\/shrink-imports\.mjs: /);
    assert.match(e.message, /wasm-bindgen \d+\.\d+\.\d+/, 'the message names the pinned version');
    assert.match(e.message, why);
    return true;
  });
  assert.deepEqual(files(dir), before, 'both files are untouched');
}

test('a name the glue does not define, or defines twice, is refused', () => {
  refused(wasmWith(NAMES), glueWith(NAMES.slice(1)), /defines __wbg_log_0123456789abcdef 0 times/);
  refused(wasmWith(NAMES), glueWith([...NAMES, NAMES[0]]), /defines __wbg_log_0123456789abcdef 2 times/);
});

test('an import named unlike wasm-bindgen names them is refused', () => {
  const odd = ['__wbg_log_0123456789abcdef', 'console_log'];
  refused(wasmWith(odd), glueWith(odd), /"console_log" is not named as wasm-bindgen names them/);
});

test('a truncated or corrupt wasm is refused, never read past its end', () => {
  const wasm = wasmWith(NAMES);
  refused(wasm.subarray(0, wasm.length - 4), glueWith(NAMES), /past the end|ends early/);
  const lying = Buffer.from(wasm);
  lying[lying.indexOf(Buffer.from('__wbg_log')) - 1] = 0x7f; // a name length beyond its section
  refused(lying, glueWith(NAMES), /past the end|not named|unknown kind/);
  refused(Buffer.from('not wasm at all'), glueWith(NAMES), /not WebAssembly/);
});

test('a wasm without glue imports is refused', () => {
  refused(wasmWith([]), glueWith([]), /no imports from/);
});

const INVOKER = 'wasm_bindgen_0123456789abcdef___convert__closures_____invoke___wasm_bindgen_JsValue______true_';

/** `wasmWith(names)` that also exports its first import under `exported`. */
function wasmExportingInvoker(names, exported) {
  const wasm = wasmWith(names);
  return Buffer.concat([wasm, Buffer.from(section(7, [1, ...str(exported), 0, 0]))]);
}

test('the glue\'s functions for imports the wasm lacks are dropped, and closure invokers get short export names', () => {
  const glue = glueWith([...NAMES, '__wbg_byobRequest_18280c78e462544c']) +
    `function invoke(a) {\n    wasm.${INVOKER}(a);\n}\n`;
  const dir = folder(wasmExportingInvoker(NAMES, INVOKER), glue);
  assert.equal(shrinkImports(dir), 'shrink-imports: 3 imports renamed, 1 closure invokers\' exports renamed');
  const [wasm, out] = files(dir);
  assert.ok(WebAssembly.validate(wasm));
  assert.deepEqual(WebAssembly.Module.exports(new WebAssembly.Module(wasm)).map((e) => e.name), ['i0']);
  assert.ok(!out.includes('byobRequest'), 'the unused import\'s function is gone');
  assert.match(out, /^ {8}c: function\(arg0\) \{\n {12}return arg0;\n {8}\},\n {4}\};/m, 'the entries around it are whole');
  assert.ok(out.includes('wasm.i0(a);') && !out.includes(INVOKER));
});

test('an invoker the glue calls other than once is refused', () => {
  refused(wasmExportingInvoker(NAMES, INVOKER), glueWith(NAMES), /calls wasm_bindgen_0123456789abcdef\S* 0 times/);
});
