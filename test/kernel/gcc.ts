// Runs C source through the differential oracle: gcc -m32 with the flags that make its ABI and
// arithmetic agree with KP-C. 32-bit binaries run natively where the kernel allows it, else
// under qemu-i386. Returns undefined when no oracle is available (the test is then skipped).

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const FLAGS = ["-m32", "-msse2", "-mfpmath=sse", "-malign-double", "-fwrapv", "-O0", "-w"];

let runner: string[] | undefined | null = null;

/** How to run a 32-bit binary here: natively, under qemu-i386, or not at all. */
function findRunner(dir: string): string[] | undefined {
  const src = join(dir, "probe.c");
  const exe = join(dir, "probe");
  writeFileSync(src, '#include <stdio.h>\nint main(void) { puts("kplug-probe"); return 0; }\n');
  try {
    execFileSync("gcc", [...FLAGS, "-o", exe, src], { stdio: "pipe" });
  } catch {
    return undefined;
  }
  for (const pre of [[], ["qemu-i386"]]) {
    const [cmd, ...rest] = [...pre, exe];
    const r = spawnSync(cmd!, rest, { encoding: "utf8" });
    if (r.stdout === "kplug-probe\n") return pre;
  }
  return undefined;
}

export interface OracleResult {
  stdout: string;
  status: number;
}

export function gccRun(source: string, args: string[] = []): OracleResult | undefined {
  const dir = mkdtempSync(join(tmpdir(), "kplug-gcc-"));
  try {
    const src = join(dir, "prog.c");
    const exe = join(dir, "prog");
    writeFileSync(src, source);
    try {
      execFileSync("gcc", [...FLAGS, "-o", exe, src, "-lm"], { stdio: "pipe" });
    } catch {
      return undefined;
    }
    if (runner === null) runner = findRunner(dir);
    if (runner === undefined) return undefined;
    const [cmd, ...rest] = [...runner, exe, ...args];
    const r = spawnSync(cmd!, rest, { encoding: "utf8" });
    return { stdout: r.stdout, status: r.status ?? 128 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
