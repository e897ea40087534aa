// The isolation benchmark passes `--workers` and a runtime bound only to a server that lists
// them: parseServeHelp reads them off `kplug serve --help`, today's and a pool server's alike.

import assert from "node:assert/strict";
import { test } from "node:test";
import { parseServeHelp, serveFeatures } from "../bench/serve-child.ts";
import { usage } from "../cli/serve.ts";

test("the checkout's own kplug serve is read through --help", () => {
  const live = serveFeatures(process.cwd());
  assert.equal(live.workers, /^\s*--workers\b/m.test(usage));
});

test("a --help without the pool's options: no workers, no runtime bound", () => {
  const today = parseServeHelp(`usage: kplug serve [options]
  --port N            port to listen on (default 8080; 0 = any free port)
  --no-cache          switch the transcode cache off
  --no-demo           do not create the 'demo' client`);
  assert.deepEqual(today, { workers: false, inProcessWorkers: false, runtimeCapOption: undefined });
});

test("a pool server's --help: workers, the in-process mode and the runtime bound", () => {
  const pool = parseServeHelp(`usage: kplug serve [options]
  --port N            port to listen on (default 8080; 0 = any free port)
  --workers N         plugin worker threads (default: the number of cores;
                      0 runs plugins in-process on the main thread)
  --max-runtimes N    client runtimes kept resident per worker
  --no-cache          switch the transcode cache off`);
  assert.deepEqual(pool, {
    workers: true,
    inProcessWorkers: true,
    runtimeCapOption: "--max-runtimes",
  });
  // The "0 = any free port" of --port is not the in-process mode of --workers.
  const noZero = parseServeHelp(`  --port N            (0 = any free port, in-process)
  --workers N         plugin worker threads (default: the number of cores)
  --runtimes N        runtimes kept resident`);
  assert.deepEqual(noZero, {
    workers: true,
    inProcessWorkers: false,
    runtimeCapOption: "--runtimes",
  });
});
