// Reads a C file and the quoted headers it includes (recursively), from the file's directory
// and the -I directories, so the compiler (which has no file system access) gets them by name.
// Angle-bracket includes of the built-in headers need no files.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const INCLUDE = /^[ \t]*#[ \t]*include[ \t]*(?:"([^"\n]+)"|<([^>\n]+)>)/gm;

export interface SourceSet {
  source: string;
  includes: Record<string, string>;
}

export function readSources(file: string, includeDirs: string[] = []): SourceSet {
  const source = readFileSync(file, "utf8");
  const includes: Record<string, string> = {};
  const dirs = [dirname(file), ...includeDirs];
  const todo = [source];
  while (todo.length > 0) {
    const text = todo.pop()!;
    for (const m of text.matchAll(INCLUDE)) {
      const name = m[1] ?? m[2]!;
      if (Object.hasOwn(includes, name)) continue;
      const path = dirs.map((d) => join(d, name)).find((p) => existsSync(p));
      if (!path) continue; // a built-in header, or a missing one the preprocessor reports
      const body = readFileSync(path, "utf8");
      includes[name] = body;
      todo.push(body);
    }
  }
  return { source, includes };
}
