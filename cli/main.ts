// The `kplug` command: a thin dispatcher. Each subcommand lives in its own file (cli/<name>.ts)
// exporting `main(args)` (or `<name>Command(args)`) that returns the exit status, and
// optionally a `usage` text (otherwise the command handles --help itself).

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

interface Command {
  summary: string;
}

/** Known subcommands; a file cli/<name>.ts provides each. */
const commands: Record<string, Command> = {
  compile: { summary: "compile a KP-C file to a wasm plugin module (or print it as text)" },
  run: { summary: "compile and run a C program in a kernel runtime with libc" },
  serve: { summary: "start the kernel web server (image transcoding plugins)" },
  bench: { summary: "run the benchmarks" },
};

type CommandMain = (args: string[]) => Promise<number> | number;

interface CommandModule {
  main?: CommandMain;
  usage?: string;
  [name: string]: unknown;
}

function commandFile(name: string): string {
  return fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
}

function help(): string {
  const lines = [
    "kplug - kernel plugins for Node.js: C plugins compiled on the fly to WebAssembly",
    "",
    "usage: kplug <command> [options]",
    "",
    "commands:",
  ];
  for (const [name, c] of Object.entries(commands)) {
    const available = existsSync(commandFile(name)) ? "" : " (not available in this build)";
    lines.push(`  ${name.padEnd(10)}${c.summary}${available}`);
  }
  lines.push("", "Run `kplug <command> --help` for the options of a command.");
  return lines.join("\n");
}

async function dispatch(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    if (name === "help" && rest[0] && commands[rest[0]]) return dispatch([rest[0], "--help"]);
    process.stdout.write(`${help()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    process.stdout.write(`kplug ${pkg.version}\n`);
    return 0;
  }
  if (!Object.hasOwn(commands, name)) {
    process.stderr.write(`kplug: unknown command '${name}'\n\n${help()}\n`);
    return 2;
  }
  const file = commandFile(name);
  if (!existsSync(file)) {
    process.stderr.write(`kplug: '${name}' is not available in this build\n`);
    return 2;
  }
  const mod = (await import(file)) as CommandModule;
  const run = (mod.main ?? mod[`${name}Command`]) as CommandMain | undefined;
  if (!run) {
    process.stderr.write(`kplug: cli/${name}.ts exports no main function\n`);
    return 2;
  }
  const wantsHelp = rest.some((a) => a === "--help" || a === "-h");
  if (wantsHelp && mod.usage !== undefined && !rest.includes("--")) {
    process.stdout.write(`${mod.usage}\n`);
    return 0;
  }
  return run(rest);
}

process.exitCode = await dispatch(process.argv.slice(2));
