// Describes the machine a run happened on, so figures are never quoted without their context.

import { spawnSync } from "node:child_process";
import os from "node:os";
import type { Machine } from "./types.ts";

function firstLine(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.error) return "not installed";
  return `${r.stdout}${r.stderr}`.split("\n")[0].trim();
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    gcc: firstLine("gcc", ["--version"]),
    tcc: firstLine("tcc", ["-v"]),
  };
}
