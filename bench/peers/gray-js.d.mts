export function grayscaleJs(
  src: Uint8Array,
  dst: Uint8Array,
  width: number,
  height: number,
  stride: number,
): number;
