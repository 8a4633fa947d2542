// The pieces of the WebAssembly binary format that the post-build scripts read and write
// (scripts/shrink-imports.mjs, scripts/drop-exports.mjs). Every read is bounded: a
// truncated or corrupt file throws a WasmFormatError saying where, never reads past the
// end.

/** What is wrong with a file that does not parse; the scripts add their own context. */
export class WasmFormatError extends Error {}

const fail = (why) => { throw new WasmFormatError(why); };

export function byteAt(buf, at) {
  if (at >= buf.length) fail(`the wasm ends early (offset ${at} of ${buf.length})`);
  return buf[at];
}

/** An unsigned LEB128 number at `at`, and where it ends. */
export function readU32(buf, at) {
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

/** `value` as unsigned LEB128. */
export function u32(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
}

/** A name (length, UTF-8 bytes) at `at`, which must end by `end`, and where it ends. */
export function readName(buf, at, end) {
  const [len, start] = readU32(buf, at);
  if (start + len > end) fail('a name runs past the end of its section');
  return [buf.toString('utf8', start, start + len), start + len];
}

/** `text` as a name. */
export function name(text) {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([u32(bytes.length), bytes]);
}

/** Rewrites the section `id` of `wasm` with `rewrite(wasm, body, end)`, which returns the
 *  new section's contents; the other sections are copied. Returns the new file, or null
 *  when there is no such section. */
export function rewriteSection(wasm, id, rewrite) {
  if (wasm.length < 8 || wasm.readUInt32LE(0) !== 0x6d736100) fail('the file is not WebAssembly');
  let at = 8;
  const parts = [wasm.subarray(0, 8)];
  let found = false;
  while (at < wasm.length) {
    const sectionId = byteAt(wasm, at);
    const [size, body] = readU32(wasm, at + 1);
    const end = body + size;
    if (end > wasm.length) fail(`section ${sectionId} runs past the end of the file`);
    if (sectionId === id) {
      found = true;
      const section = rewrite(wasm, body, end);
      parts.push(Buffer.from([id]), u32(section.length), section);
    } else {
      parts.push(wasm.subarray(at, end));
    }
    at = end;
  }
  return found ? Buffer.concat(parts) : null;
}
