// The `kplug` dispatcher: help, --version, unknown commands and options, and handing a command
// its arguments. How a command's module is loaded is the caller's: cli/main.ts imports the
// sources (a checkout), the built CLI takes run/compile/headers from its cached core script and
// imports serve/store (cli/core.ts). A module is loaded only when its command runs, so
// `kplug run` never loads the server (or sharp): start-up time is most of a short `kplug run`.

import { readFileSync } from "node:fs";

/** What each cli/<name>.ts exports. */
export interface CommandModule {
  main(args: string[]): Promise<number> | number;
  usage: string;
}

/** Known subcommands and their one-line summaries; a file cli/<name>.ts provides each. */
export const commandSummaries = {
  compile: "compile a KP-C file to a wasm plugin module (or print it as text)",
  run: "compile and run a C program in a kernel runtime with libc",
  headers: "write the built-in headers (libc, kplug/image.h) out for editors",
  serve: "start the kernel web server (image transcoding plugins)",
  store: "migrate a plugin store; export or import it as JSON lines",
} as const;

export type CommandName = keyof typeof commandSummaries;

/** Modules that run a command in a form of its own: `kplug run --image` (cli/run-image.ts). */
export type CommandModuleName = CommandName | "run-image";

/** Loads a command's module. */
export type CommandLoader = (name: CommandModuleName) => Promise<CommandModule>;

function help(): string {
  const lines = [
    "kplug - kernel plugins for Node.js: C plugins compiled on the fly to WebAssembly",
    "",
    "usage: kplug <command> [options]",
    "",
    "commands:",
  ];
  for (const [name, summary] of Object.entries(commandSummaries)) {
    lines.push(`  ${name.padEnd(10)}${summary}`);
  }
  lines.push("", "Run `kplug help <command>` (or `kplug <command> --help`) for its options.");
  return lines.join("\n");
}

/**
 * package.json's version: cli/ sits one level below it in a checkout, two in dist/ (dist/cli/
 * and dist/cli-bundle/).
 */
function version(): string {
  for (const rel of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8"));
      if (pkg.name === "kplug") return pkg.version;
    } catch {
      // not at this level
    }
  }
  return "unknown";
}

function unknown(what: string, name: string): number {
  process.stderr.write(`kplug: unknown ${what} '${name}' (see 'kplug help')\n`);
  return 2;
}

function isCommand(name: string): name is CommandName {
  return Object.hasOwn(commandSummaries, name);
}

/** Runs the command line `argv` (without node and the script); returns the exit status. */
export async function dispatch(argv: string[], load: CommandLoader): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? rest[0] : undefined;
    if (topic !== undefined) {
      if (!isCommand(topic)) return unknown("command", topic);
      process.stdout.write(`${(await load(topic)).usage}\n`);
      return 0;
    }
    process.stdout.write(`${help()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    process.stdout.write(`kplug ${version()}\n`);
    return 0;
  }
  if (!isCommand(name)) return unknown(name.startsWith("-") ? "option" : "command", name);
  // Options before a `--` are the command's own; after it, a program's (kplug run).
  const own = rest.includes("--") ? rest.slice(0, rest.indexOf("--")) : rest;
  // An image plugin run loads the server's code, which a plain `kplug run` never does.
  const image = name === "run" && own.some((a) => a === "--image" || a.startsWith("--image="));
  let mod: CommandModule;
  try {
    mod = await load(image ? "run-image" : name);
  } catch (e) {
    // sharp is an optional peer dependency: only the server needs it.
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec((e as Error).message)?.[1];
    if (!missing || missing.startsWith(".") || missing.startsWith("/")) throw e;
    process.stderr.write(
      `kplug ${name}: needs the '${missing}' package (npm install ${missing})\n`,
    );
    return 1;
  }
  if (own.includes("--help") || own.includes("-h")) {
    process.stdout.write(`${mod.usage}\n`);
    return 0;
  }
  return mod.main(rest);
}
