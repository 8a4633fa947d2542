// Reads `twiggy top -f csv` of a wasm with names kept (standard input) and prints its
// bytes by crate, then the largest single items. Part of scripts/profile.sh.
import { readFileSync } from 'node:fs';

const rows = readFileSync(0, 'utf8').trim().split('\n').slice(1).map((line) => {
  // Name,ShallowSize,ShallowSizePercent,RetainedSize,RetainedSizePercent: the name may
  // itself hold commas (then it is quoted, with quotes doubled).
  const m = line.match(/^(.*),(\d+),([\d.]+),[\d.]*,[\d.]*$/);
  return m ? { name: m[1].replace(/^"|"$/g, '').replace(/""/g, '"'), bytes: Number(m[2]) } : null;
}).filter((row) => row && !/subsection|custom section/.test(row.name));

function owner(name) {
  if (name.startsWith('data segment')) return 'data (tables, strings, vtables)';
  if (name.startsWith('core::ptr::drop_in_place')) return 'drop_in_place (mostly Leptos state types)';
  if (name.startsWith('import ')) return 'import names';
  // `<Type as crate::Trait>::f`: the type's crate, or the trait's for a bare type
  // (`<T as reactive_graph::traits::Get>`, `<char as core::fmt::Debug>`).
  const m = name.match(/^[<&]*(?:dyn )?[<&]*([A-Za-z_][A-Za-z0-9_]*)(::)?/);
  if (!m) return name.slice(0, 30);
  if (m[2]) return m[1];
  const trait = name.match(/ as [<&]*([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::/);
  if (trait) return trait[1];
  return /^code\[/.test(name) ? 'unnamed functions' : m[1];
}
const byCrate = new Map();
let total = 0;
for (const { name, bytes } of rows) {
  byCrate.set(owner(name), (byCrate.get(owner(name)) || 0) + bytes);
  total += bytes;
}
const kb = (bytes) => (bytes / 1024).toFixed(1).padStart(7);
console.log(`wasm with names kept, names excluded: ${kb(total)} KiB\n\nBy crate (KiB):`);
for (const [crate, bytes] of [...byCrate.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
  console.log(`  ${kb(bytes)}  ${crate}`);
}
console.log('\nLargest items (KiB):');
for (const { name, bytes } of [...rows].sort((a, b) => b.bytes - a.bytes).slice(0, 15)) {
  console.log(`  ${kb(bytes)}  ${name.replace(/::h[0-9a-f]{16}$/, '').slice(0, 140)}`);
}
