// The `kplug` command from the sources (bin/kplug.js in a checkout, through tsx): every command
// module is imported from its file when it runs. The built CLI starts from cli/core.ts instead.

import { type CommandLoader, dispatch } from "./dispatch.ts";

const load: CommandLoader = (name) => {
  switch (name) {
    case "compile":
      return import("./compile.ts");
    case "run":
      return import("./run.ts");
    case "run-image":
      return import("./run-image.ts");
    case "headers":
      return import("./headers.ts");
    case "serve":
      return import("./serve.ts");
    case "store":
      return import("./store.ts");
  }
};

process.exitCode = await dispatch(process.argv.slice(2), load);
