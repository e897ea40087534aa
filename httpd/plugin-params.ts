// The parameters an image plugin reads, declared in a comment of its source so that the server
// can list them and the playground can show labelled inputs for the plugins of a chain:
//
//   /* @param threshold: int 0..256 = 128 — luma at or above which a pixel turns white */
//   // @param a0: int = 0 - free argument read as p->arg[0]
//
// One declaration a line, anywhere in a comment: `@param NAME: int [MIN..MAX] [= DEFAULT]
// [— or - DESCRIPTION]`. NAME is a `struct params` field or a0..a7 (the query names of
// p->arg[0..7]). DEFAULT is where the playground's input starts; the library's declarations
// must match the server's defaults (PARAM_DEFAULTS) so that a request without the parameter
// means what the page shows. Browser-safe: the page parses the editor's source with it too.

import { PARAM_ARGS, PARAM_DEFAULTS, PARAM_FIELDS, type ParamName } from "./plugin-abi.ts";

export interface ParamDecl {
  /** The query parameter name (a struct params field, or a0..a7). */
  name: string;
  type: "int";
  min?: number;
  max?: number;
  default: number;
  description: string;
  /** 1-based source line of the declaration. */
  line: number;
}

export interface ParamProblem {
  line: number;
  message: string;
}

const DECL =
  /@param\s+([A-Za-z_]\w*)\s*:\s*(\w+)(?:\s+(-?\d+)\s*\.\.\s*(-?\d+))?(?:\s*=\s*(-?\d+))?\s*(?:(?:—|–|-{1,2})\s*(.*?))?\s*(?:\*\/.*)?$/;
const COMMENT = /\/\/[^\n]*|\/\*[\s\S]*?\*\//g;
const ARG = /^a([0-7])$/;

/** The server's value of a parameter that a request does not set. */
export function serverDefault(name: string): number | undefined {
  if ((PARAM_FIELDS as readonly string[]).includes(name)) return PARAM_DEFAULTS[name as ParamName];
  const m = ARG.exec(name);
  return m && Number(m[1]) < PARAM_ARGS ? 0 : undefined;
}

/** The declarations in `source`'s comments, and what is wrong with any of them. */
export function parseParams(source: string): { params: ParamDecl[]; problems: ParamProblem[] } {
  const params: ParamDecl[] = [];
  const problems: ParamProblem[] = [];
  for (const comment of source.matchAll(COMMENT)) {
    let line = lineAt(source, comment.index);
    for (const text of comment[0].split("\n")) {
      const at = text.indexOf("@param");
      if (at >= 0) parseLine(text.slice(at), line, params, problems);
      line++;
    }
  }
  return { params, problems };
}

function parseLine(text: string, line: number, out: ParamDecl[], problems: ParamProblem[]): void {
  const m = DECL.exec(text);
  const problem = (message: string) => problems.push({ line, message });
  if (!m) return void problem("expected '@param NAME: int [MIN..MAX] [= DEFAULT] [— text]'");
  const [, name, type, lo, hi, def, description = ""] = m;
  const fallback = serverDefault(name);
  if (fallback === undefined)
    return void problem(`'${name}' is not a parameter: use a field of struct params or a0..a7`);
  if (type !== "int") return void problem(`parameter '${name}': type must be int`);
  if (out.some((p) => p.name === name))
    return void problem(`parameter '${name}' is declared twice`);
  const min = lo === undefined ? undefined : Number(lo);
  const max = hi === undefined ? undefined : Number(hi);
  if (min !== undefined && max !== undefined && min > max)
    return void problem(`parameter '${name}': ${min}..${max} is empty`);
  const value = def === undefined ? fallback : Number(def);
  if ((min !== undefined && value < min) || (max !== undefined && value > max))
    problem(`parameter '${name}': default ${value} is outside ${min}..${max}`);
  out.push({ name, type: "int", min, max, default: value, description, line });
}

function lineAt(source: string, index: number): number {
  let line = 1;
  for (let i = source.indexOf("\n"); i >= 0 && i < index; i = source.indexOf("\n", i + 1)) line++;
  return line;
}
