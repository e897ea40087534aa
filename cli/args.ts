// Command-line parsing shared by the subcommands: node:util's parseArgs, with its mistakes and
// file-system errors reworded as the one line a user should see (parseArgs' own text runs to
// three sentences, and an ENOENT message repeats the syscall).

import { type ParseArgsConfig, parseArgs } from "node:util";
import { MAX_FUEL } from "../kernel/index.ts";

/** A mistake on the command line, worded as one line. */
export class UsageError extends Error {}

/** The quoted option or argument in a parseArgs message ("Unknown option '--x'. ..."). */
function quoted(message: string): string {
  const m = /'([^']*)'/.exec(message);
  return m ? m[1]!.replace(/ <value>$/, "").split(", ")[0]! : message;
}

/** parseArgs, throwing a UsageError whose message is one line. */
export function parseCommandLine<T extends ParseArgsConfig>(
  config: T,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    switch (err.code) {
      case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
        throw new UsageError(`unknown option '${quoted(err.message)}'`);
      case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
        // "Option '--flag' does not take an argument" (a boolean given `=value`), or a missing
        // or ambiguous ("--fuel --x") value.
        if (/does not take an argument/.test(err.message))
          throw new UsageError(`option '${quoted(err.message)}' takes no value`);
        throw new UsageError(`option '${quoted(err.message)}' needs a value`);
      case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
        throw new UsageError(`unexpected argument '${quoted(err.message)}'`);
      default:
        // Never parseArgs' own wording: it talks about its API, not about kplug's options.
        throw new UsageError("cannot read the command line");
    }
  }
}

/**
 * Prints a usage mistake: one line saying what is wrong, then the command's synopsis (the
 * first line of its usage) pointing at its help; returns status 2.
 */
export function reportUsage(command: string, message: string, usage: string): number {
  const synopsis = usage.split("\n", 1)[0]!;
  process.stderr.write(
    `kplug ${command}: ${message}\n${synopsis}  (see 'kplug help ${command}')\n`,
  );
  return 2;
}

const FS_REASONS: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EISDIR: "is a directory",
  ENOTDIR: "a parent is not a directory",
};

/** A file-system error as "cannot read x.c: no such file" (no errno prefix, no stack). */
export function fileError(verb: string, path: string, e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const reason =
    err.code === "ENOENT" && verb !== "read"
      ? "no such directory"
      : ((err.code && FS_REASONS[err.code]) ?? err.message);
  return `cannot ${verb} ${path}: ${reason}`;
}

/**
 * A `--fuel` value: a whole number of units from 1 to 2^53-1 (`5000000000`, `5e9`), or the
 * usage error that explains why not. Infinity, NaN, fractions and zero are refused: a budget
 * that cannot be spent exactly would not bound a runaway plugin (`--no-fuel` says "unmetered").
 */
export function parseFuel(text: string): { fuel: number } | { error: string } {
  const fuel = text.trim() === "" ? Number.NaN : Number(text);
  if (Number.isInteger(fuel) && fuel >= 1 && fuel <= MAX_FUEL) return { fuel };
  return { error: `--fuel needs a whole number from 1 to ${MAX_FUEL} (2^53-1) (got '${text}')` };
}
