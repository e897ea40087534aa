// Worker-thread peer. Two channels:
// - upcalls: Atomics.wait/notify on a SharedArrayBuffer (state word, arity, six arguments,
//   result), the cheapest round trip a worker offers;
// - images: postMessage({width, height, rgb}) answered with the gray bytes (transferred).

import { parentPort, workerData } from "node:worker_threads";
import { grayscaleJs } from "./gray-js.mjs";

const REQUEST = 1;
const RESPONSE = 2;
const EXIT = 3;

const shared = new Int32Array(workerData.shared);

function serveUpcalls() {
  for (;;) {
    let state = Atomics.load(shared, 0);
    while (state !== REQUEST && state !== EXIT) {
      Atomics.wait(shared, 0, state);
      state = Atomics.load(shared, 0);
    }
    if (state === EXIT) return;
    const arity = shared[1];
    let sum = 0;
    for (let i = 0; i < arity; i++) sum = (sum + shared[2 + i]) | 0;
    shared[8] = sum;
    Atomics.store(shared, 0, RESPONSE);
    Atomics.notify(shared, 0);
  }
}

parentPort.on("message", (msg) => {
  if (msg.type === "upcalls") {
    serveUpcalls();
    parentPort.postMessage({ type: "upcalls-done" });
  } else if (msg.type === "grayscale") {
    const gray = new Uint8Array(msg.width * msg.height);
    grayscaleJs(msg.rgb, gray, msg.width, msg.height, msg.width * 3);
    parentPort.postMessage({ type: "gray", gray }, [gray.buffer]);
  }
});
