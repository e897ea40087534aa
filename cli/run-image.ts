// `kplug run FILE.c --image IN -o OUT [--param NAME=VALUE]...`: runs an image plugin on an image
// locally, exactly as `kplug serve` would run it for a client (httpd's runImagePlugin), so an
// author can test before uploading. The dispatcher sends `kplug run` here when `--image` is
// given: this module loads the server's code, which plain `kplug run` never does.

import { readFileSync, writeFileSync } from "node:fs";
import { formatDiagnostics } from "../cc/index.ts";
import {
  BadPluginOutput,
  BadRequest,
  ImageDecodeError,
  isSharpMissing,
  outputFormatOf,
  PluginRejected,
  RuntimeMemoryExhausted,
  runImagePlugin,
  TransformRejected,
} from "../httpd/index.ts";
import { PluginFault } from "../kernel/index.ts";
import { fileError, parseCommandLine, parseFuel, reportUsage } from "./args.ts";
import { usage as runUsage } from "./run.ts";
import { readSources } from "./sources.ts";

export const usage = runUsage;

export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    return reportUsage("run", (e as Error).message, usage);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    return reportUsage(
      "run",
      positionals.length === 0 ? "no source file" : "--image runs one plugin file",
      usage,
    );
  }
  const file = positionals[0]!;
  const imagePath = values.image;
  const out = values.output;
  if (!imagePath) return reportUsage("run", "--image needs an image file", usage);
  if (!out)
    return reportUsage("run", "--image needs -o OUT (its extension picks the format)", usage);
  let fuel: number | undefined;
  if (values.fuel !== undefined) {
    const parsed = parseFuel(values.fuel);
    if ("error" in parsed) return reportUsage("run", parsed.error, usage);
    fuel = parsed.fuel;
  }
  const memory = values.memory !== undefined ? Number(values.memory) : undefined;
  if (memory !== undefined && !(Number.isInteger(memory) && memory > 0))
    return reportUsage("run", "--memory needs a number > 0", usage);
  let format: ReturnType<typeof outputFormatOf>;
  try {
    format = outputFormatOf(out);
  } catch (e) {
    return fail((e as Error).message);
  }
  let sources: ReturnType<typeof readSources>;
  let input: Uint8Array;
  try {
    sources = readSources(file, values.I ?? []);
  } catch (e) {
    return fail(fileError("read", (e as NodeJS.ErrnoException).path ?? file, e));
  }
  try {
    input = readFileSync(imagePath);
  } catch (e) {
    return fail(fileError("read", imagePath, e));
  }
  let body: Buffer;
  try {
    const result = await runImagePlugin({
      file,
      source: sources.source,
      includes: sources.includes,
      input,
      format,
      params: values.param ?? [],
      fuel,
      memory,
      stdout: (bytes) => process.stdout.write(bytes),
      stderr: (bytes) => process.stderr.write(bytes),
    });
    if (result.diagnostics.length > 0) {
      process.stderr.write(
        `${formatDiagnostics(result.diagnostics, { [file]: sources.source, ...sources.includes })}\n`,
      );
    }
    body = result.body;
  } catch (e) {
    if (e instanceof PluginRejected) {
      const text = formatDiagnostics(e.diagnostics, {
        [file]: sources.source,
        ...sources.includes,
      });
      process.stderr.write(text ? `${text}\n` : `kplug run: ${e.message}\n`);
      return 1;
    }
    if (isSharpMissing(e)) {
      return fail(
        `${imagePath} or ${out} is not PPM/PGM, which needs the 'sharp' package (npm install sharp)`,
      );
    }
    const known =
      e instanceof PluginFault ||
      e instanceof TransformRejected ||
      e instanceof BadPluginOutput ||
      e instanceof RuntimeMemoryExhausted ||
      e instanceof ImageDecodeError ||
      e instanceof BadRequest;
    if (!known) throw e;
    if (e instanceof PluginFault) {
      process.stderr.write(`${e.report()}\n`);
      return 1;
    }
    const what = e instanceof ImageDecodeError ? `${imagePath}: ` : "";
    return fail(`${what}${e.message}`);
  }
  try {
    writeFileSync(out, body);
  } catch (e) {
    return fail(fileError("write", out, e));
  }
  return 0;
}

function fail(message: string): number {
  process.stderr.write(`kplug run: ${message}\n`);
  return 1;
}

function parse(argv: string[]) {
  return parseCommandLine({
    args: argv,
    allowPositionals: true,
    options: {
      image: { type: "string" },
      output: { type: "string", short: "o" },
      param: { type: "string", multiple: true },
      fuel: { type: "string" },
      memory: { type: "string" },
      I: { type: "string", short: "I", multiple: true },
      help: { type: "boolean", short: "h" },
    },
  });
}
