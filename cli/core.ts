// The built CLI's core: the entry of dist/cli-bundle/core.cjs, one CommonJS script with the
// compiler, the kernel, the dispatcher and the commands that need neither the server nor a
// database (run, compile, headers). bin/kplug.js compiles it with the V8 code cache made at
// build time (scripts/build-cli.ts): Node 20 caches no ES module code, and compiling these
// functions was the largest part of a cold `kplug run`. serve and store stay ES modules
// (dist/cli-bundle/serve.js, store.js, beside the unbundled server), imported by the caller.

import * as compile from "./compile.ts";
import { type CommandLoader, type CommandModule, dispatch } from "./dispatch.ts";
import * as headers from "./headers.ts";
import * as run from "./run.ts";

const inCore: Partial<Record<string, CommandModule>> = { compile, headers, run };

/** Runs the command line; `importOther` loads the commands outside the core. */
export function start(argv: string[], importOther: CommandLoader): Promise<number> {
  return dispatch(argv, (name) => {
    const mod = inCore[name];
    return mod ? Promise.resolve(mod) : importOther(name);
  });
}

/** The core's commands themselves, for the build to run them before it saves the code cache. */
export { compile, headers, run };
