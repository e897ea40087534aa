// `kplug serve` in a child process for the benchmarks that put load on it: the load generator
// then never shares the server's event loop. Also reads `kplug serve --help` to find which
// options this checkout's server has (a benchmark written ahead of a server change passes an
// option only when the server lists it).

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import path from "node:path";

export interface ServeFeatures {
  /** `--workers N` (plugin work in a pool of worker threads). */
  workers: boolean;
  /** `--workers 0` runs plugins on the server's own thread (the help text says so). */
  inProcessWorkers: boolean;
  /** The option bounding the runtimes kept resident (e.g. `--max-runtimes`), if any. */
  runtimeCapOption: string | undefined;
}

export function kplugBin(root: string): string {
  return path.join(root, "bin", "kplug.js");
}

/** What this checkout's `kplug serve` supports, from its usage text. */
export function serveFeatures(root: string): ServeFeatures {
  const res = spawnSync(process.execPath, [kplugBin(root), "serve", "--help"], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
  });
  return parseServeHelp(`${res.stdout ?? ""}${res.stderr ?? ""}`);
}

/** The features a `kplug serve --help` text lists. */
export function parseServeHelp(help: string): ServeFeatures {
  // The --workers entry with its continuation lines (up to the next option).
  const workersText = /^[ \t]*--workers\b.*(?:\n(?![ \t]*--).*)*/m.exec(help)?.[0] ?? "";
  const cap = /^[ \t]*(--(?:max-)?(?:resident-)?runtimes)\b/m.exec(help);
  return {
    workers: workersText !== "",
    // "0 = in-process", "0 runs plugins on the main thread", in whatever words.
    inProcessWorkers:
      /\b0\b/.test(workersText) && /in[- ]process|main thread|event loop/i.test(workersText),
    runtimeCapOption: cap?.[1],
  };
}

export interface ServerChild {
  url: string;
  /** The server's process id (its threads' CPU time is read from /proc by the scaling scan). */
  pid: number | undefined;
  /** Lines the server printed on stdout (its URL, client tokens). */
  stdout: string;
  stop(): Promise<void>;
}

/** Starts `kplug serve --port 0 ...args` and resolves once it prints its URL. */
export async function startServe(root: string, args: string[]): Promise<ServerChild> {
  const child: ChildProcess = spawn(
    process.execPath,
    [kplugBin(root), "serve", "--port", "0", ...args],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr!.on("data", (d: Buffer) => {
    // Keep the tail only: a long run logs a line per fault.
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("kplug serve did not start in 120 s"));
    }, 120_000);
    const look = () => {
      const m = /(http:\/\/[\d.:]+)\//.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off("data", look);
      resolve(m[1]);
    };
    child.stdout!.on("data", look);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`kplug serve exited (${code}): ${stderr.trim().split("\n").pop() ?? ""}`));
    });
  });
  return {
    url,
    pid: child.pid,
    get stdout() {
      return stdout;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
