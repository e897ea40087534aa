// The web-server macro-benchmark (issue 5 item 7) belongs to the server (httpd/). Its group
// lives in bench/server.ts, exporting `serverBenchGroup: BenchGroup`; until that file exists
// the slot reports the group as not measured rather than leaving it out silently.

import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { BenchContext, BenchGroup, GroupOutput } from "./types.ts";

const serverModule = path.join(import.meta.dirname, "server.ts");

export const serverGroup: BenchGroup = {
  id: "server",
  title: "Web server: image service time and throughput",
  description:
    "Service time measured at the server for PPM images of the paper's four sizes, with no " +
    "transcoding, trusted in-process JS, a kplug plugin and an out-of-process transcoder, plus " +
    "throughput under load on loopback.",
  async run(ctx: BenchContext, out: GroupOutput): Promise<void> {
    if (!existsSync(serverModule)) {
      out.unavailable.push({
        part: "whole group",
        reason: "bench/server.ts (the server's benchmark) is not written yet",
      });
      return;
    }
    const mod = (await import(pathToFileURL(serverModule).href)) as {
      serverBenchGroup?: BenchGroup;
    };
    if (!mod.serverBenchGroup) throw new Error("bench/server.ts does not export serverBenchGroup");
    await mod.serverBenchGroup.run(ctx, out);
  },
};
