// Tests of scripts/drop-exports.mjs on a small hand-made wasm whose exports include an
// unused class's methods, and a glue file in wasm-bindgen's shape: both lose the class
// and nothing else, wasm-opt (from tools/) runs on the result, and anything unexpected
// is refused with a message naming the script, changing nothing.
//   node --test scripts/drop-exports.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { name, u32 } from './wasm-binary.mjs';
import { dropExports, dropInGlue, dropInWasm } from './drop-exports.mjs';

const WASM_OPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'tools/node_modules/.bin/wasm-opt');

// The binary pieces from the module under test's own helpers (tested through it).
const leb = (n) => [...u32(n)];
const str = (s) => [...name(s)];
const section = (id, bytes) => [id, ...leb(bytes.length), ...bytes];

/** A module with one function per export name (each returning its index) and a memory. */
function wasmExporting(names) {
  const types = section(1, [1, 0x60, 0, 1, 0x7f]);
  const funcs = section(3, [...leb(names.length), ...names.map(() => 0)]);
  const memory = section(5, [1, 0, 1]);
  const exports = section(7, [
    ...leb(names.length + 1),
    ...names.flatMap((n, i) => [...str(n), 0, ...leb(i)]),
    ...str('memory'), 2, 0,
  ]);
  const bodies = names.map((_, i) => [0, 0x41, ...leb(i), 0x0b]).map((b) => [...leb(b.length), ...b]);
  const code = section(10, [...leb(names.length), ...bodies.flat()]);
  return Buffer.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...funcs, ...memory, ...exports, ...code]);
}

const CLASS = `export class IntoUnderlyingSink {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        IntoUnderlyingSinkFinalization.unregister(this);
        return ptr;
    }
    write(chunk) {
        const ret = wasm.intounderlyingsink_write(this.__wbg_ptr, chunk);
        return ret;
    }
}
if (Symbol.dispose) IntoUnderlyingSink.prototype[Symbol.dispose] = IntoUnderlyingSink.prototype.free;
`;
const REST = `export function mount(host) {
    wasm.mount(host);
}
const __wbindgen_enum_ReadableStreamType = ["bytes"];
const IntoUnderlyingSinkFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_intounderlyingsink_free(ptr, 1));
const __wbindgen_enum_Kept = ["a"];
function uses() { return __wbindgen_enum_Kept; }
`;

const NAMES = ['mount', 'intounderlyingsink_write', '__wbg_intounderlyingsink_free', 'intounderlyingsinkish'];

function folder(wasm, glue) {
  const dir = mkdtempSync(join(tmpdir(), 'rc-drop-'));
  writeFileSync(join(dir, 'reader-comments-app_bg.wasm'), wasm);
  writeFileSync(join(dir, 'reader-comments-app.js'), glue);
  return dir;
}
const files = (dir) => [readFileSync(join(dir, 'reader-comments-app_bg.wasm')), readFileSync(join(dir, 'reader-comments-app.js'), 'utf8')];
const exportsOf = (wasm) => WebAssembly.Module.exports(new WebAssembly.Module(wasm)).map((e) => e.name);

test('only the class methods and destructor leave the export section', () => {
  const [wasm, dropped] = dropInWasm(wasmExporting(NAMES), ['IntoUnderlyingSink']);
  assert.deepEqual(dropped, ['intounderlyingsink_write', '__wbg_intounderlyingsink_free']);
  assert.ok(WebAssembly.validate(wasm));
  assert.deepEqual(exportsOf(wasm), ['mount', 'intounderlyingsinkish', 'memory']);
});

test('the glue loses the class, its dispose line, its registry and an enum only it used', () => {
  const glue = dropInGlue(CLASS + REST, ['IntoUnderlyingSink']);
  assert.ok(!glue.includes('IntoUnderlyingSink'), glue);
  assert.ok(!glue.includes('ReadableStreamType'), 'the enum only the class used');
  assert.ok(glue.includes('const __wbindgen_enum_Kept'), 'an enum still used stays');
  assert.ok(glue.startsWith('export function mount(host)'), 'everything else stays');
});

test('with wasm-opt from tools/, the files are rewritten and stay valid', { skip: !existsSync(WASM_OPT) && 'tools/ not installed' }, () => {
  const dir = folder(wasmExporting(NAMES), CLASS + REST);
  assert.match(dropExports(dir, WASM_OPT, ['-Oz']), /^drop-exports: 2 exports of IntoUnderlyingSink dropped/);
  const [wasm, glue] = files(dir);
  assert.deepEqual(exportsOf(wasm), ['mount', 'intounderlyingsinkish', 'memory']);
  assert.ok(!glue.includes('IntoUnderlyingSink'));
});

test('a wasm without those classes is left alone', () => {
  const dir = folder(wasmExporting(['mount']), REST);
  const before = files(dir);
  assert.equal(dropExports(dir, 'wasm-opt-not-needed', []), 'drop-exports: nothing to drop');
  assert.deepEqual(files(dir), before);
});

function refused(wasm, glue, why, wasmOpt = WASM_OPT) {
  const dir = folder(wasm, glue);
  const before = files(dir);
  assert.throws(() => dropExports(dir, wasmOpt, ['-Oz']), (e) => {
    assert.match(e.message, /^scripts\/drop-exports\.mjs: /);
    assert.match(e.message, why);
    return true;
  });
  assert.deepEqual(files(dir), before, 'both files are untouched');
}

test('a glue that hands JavaScript one of those classes, or is shaped otherwise, is refused', () => {
  const handed = CLASS + REST + 'function wrap(ptr) { return IntoUnderlyingSink.__wrap(ptr); }\n';
  refused(wasmExporting(NAMES), handed, /still uses IntoUnderlyingSink/);
  refused(wasmExporting(NAMES), REST, /no class for IntoUnderlyingSink/);
});

test('a truncated wasm, or a failing wasm-opt, is refused', () => {
  const wasm = wasmExporting(NAMES);
  refused(wasm.subarray(0, wasm.length - 20), CLASS + REST, /past the end|ends early/);
  refused(wasm, CLASS + REST, /failed/, '/nonexistent/wasm-opt');
});
