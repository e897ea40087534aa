// Size of a wasm binary's code section (the function bodies alone, without imports, exports
// and custom metadata), for comparing generated code with native .text.

const CODE_SECTION = 10;

function readU32(bytes: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++];
    result |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [result >>> 0, pos];
    shift += 7;
  }
}

export function codeSectionBytes(wasm: Uint8Array): number {
  let pos = 8; // magic + version
  while (pos < wasm.length) {
    const id = wasm[pos++];
    const [size, next] = readU32(wasm, pos);
    if (id === CODE_SECTION) return size;
    pos = next + size;
  }
  return 0;
}
