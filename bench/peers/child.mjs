// Child-process peer, spoken to over stdin/stdout pipes with length-prefixed frames:
//   request  [u32 kind][u32 length][payload]    kind 1: int32 arguments, kind 2: u32 width,
//                                                u32 height, packed RGB
//   response [u32 length][payload]              kind 1: int32 sum, kind 2: gray bytes

import { grayscaleJs } from "./gray-js.mjs";

let pending = Buffer.alloc(0);

function handle(kind, payload) {
  if (kind === 1) {
    let sum = 0;
    for (let i = 0; i + 4 <= payload.length; i += 4) sum = (sum + payload.readInt32LE(i)) | 0;
    const out = Buffer.alloc(8);
    out.writeUInt32LE(4, 0);
    out.writeInt32LE(sum, 4);
    process.stdout.write(out);
  } else if (kind === 2) {
    const width = payload.readUInt32LE(0);
    const height = payload.readUInt32LE(4);
    const out = Buffer.alloc(4 + width * height);
    out.writeUInt32LE(width * height, 0);
    grayscaleJs(payload.subarray(8), out.subarray(4), width, height, width * 3);
    process.stdout.write(out);
  }
}

process.stdin.on("data", (chunk) => {
  pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
  while (pending.length >= 8) {
    const kind = pending.readUInt32LE(0);
    const length = pending.readUInt32LE(4);
    if (pending.length < 8 + length) break;
    handle(kind, pending.subarray(8, 8 + length));
    pending = pending.subarray(8 + length);
  }
});
process.stdin.on("end", () => process.exit(0));
