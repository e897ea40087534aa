// The `kplug` command: a thin dispatcher. Each subcommand lives in its own file (cli/<name>.ts)
// exporting `main(args)`, which returns the exit status, and its `usage` text. A command's
// module is imported only when that command runs, so `kplug run` never loads the server (or
// sharp): start-up time is most of a short `kplug run`.

import { readFileSync } from "node:fs";

interface CommandModule {
  main(args: string[]): Promise<number> | number;
  usage: string;
}

interface Command {
  summary: string;
  load(): Promise<CommandModule>;
}

/** Known subcommands; a file cli/<name>.ts provides each. */
const commands: Record<string, Command> = {
  compile: {
    summary: "compile a KP-C file to a wasm plugin module (or print it as text)",
    load: () => import("./compile.ts"),
  },
  run: {
    summary: "compile and run a C program in a kernel runtime with libc",
    load: () => import("./run.ts"),
  },
  headers: {
    summary: "write the built-in headers (libc, kplug/image.h) out for editors",
    load: () => import("./headers.ts"),
  },
  serve: {
    summary: "start the kernel web server (image transcoding plugins)",
    load: () => import("./serve.ts"),
  },
  store: {
    summary: "migrate a plugin store; export or import it as JSON lines",
    load: () => import("./store.ts"),
  },
};

function help(): string {
  const lines = [
    "kplug - kernel plugins for Node.js: C plugins compiled on the fly to WebAssembly",
    "",
    "usage: kplug <command> [options]",
    "",
    "commands:",
  ];
  for (const [name, c] of Object.entries(commands)) {
    lines.push(`  ${name.padEnd(10)}${c.summary}`);
  }
  lines.push("", "Run `kplug help <command>` (or `kplug <command> --help`) for its options.");
  return lines.join("\n");
}

/** package.json's version: cli/ sits one level below it in a checkout, two in dist/. */
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

async function dispatch(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? rest[0] : undefined;
    if (topic !== undefined) {
      if (!Object.hasOwn(commands, topic)) return unknown("command", topic);
      process.stdout.write(`${(await commands[topic]!.load()).usage}\n`);
      return 0;
    }
    process.stdout.write(`${help()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    process.stdout.write(`kplug ${version()}\n`);
    return 0;
  }
  if (!Object.hasOwn(commands, name))
    return unknown(name.startsWith("-") ? "option" : "command", name);
  let mod: CommandModule;
  try {
    mod = await commands[name]!.load();
  } catch (e) {
    // sharp is an optional peer dependency: only the server needs it.
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec((e as Error).message)?.[1];
    if (!missing || missing.startsWith(".") || missing.startsWith("/")) throw e;
    process.stderr.write(
      `kplug ${name}: needs the '${missing}' package (npm install ${missing})\n`,
    );
    return 1;
  }
  // Options before a `--` are the command's own; after it, a program's (kplug run).
  const own = rest.includes("--") ? rest.slice(0, rest.indexOf("--")) : rest;
  if (own.includes("--help") || own.includes("-h")) {
    process.stdout.write(`${mod.usage}\n`);
    return 0;
  }
  return mod.main(rest);
}

process.exitCode = await dispatch(process.argv.slice(2));
