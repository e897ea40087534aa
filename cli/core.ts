// The commands that need neither the server nor a database (run, compile, headers): the entry
// of the built CLI's core script, dist/cli-bundle/core.cjs, which cli/cached-core.ts loads with
// V8's code cache. In a checkout cli/main.ts imports these files directly.

export * as compile from "./compile.ts";
export * as headers from "./headers.ts";
export * as run from "./run.ts";
