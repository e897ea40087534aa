// `kplug run FILE.c --image IN -o OUT`: one image plugin run locally exactly as the server runs
// a client's: compiled with the server's image header (plugin-check.ts), linked into a runtime
// made like a client's (runtimes.ts: the same grants, the image_buffer export, the client
// defaults for fuel and memory, the plugin library when the plugin calls into it), run by the
// server's chain runner (plugin-runner.ts) with parameters parsed as the server parses a query
// (transcode.ts), and the result encoded by the server's codecs. PPM/PGM need nothing more;
// PNG, JPEG and WebP need sharp, loaded only for them.

import { basename } from "node:path";
import { compile } from "../cc/index.ts";
import { type ByteSink, Kernel, type Runtime, replayFault, wantsAddress } from "../kernel/index.ts";
import { decodeImage, encodeImage } from "./codecs.ts";
import { PLUGINS_DIR } from "./helper.ts";
import { installImageBuffers } from "./image-buffers.ts";
import { formatFromName, IMAGE_FORMATS, type ImageFormat } from "./image-format.ts";
import { IMAGE_INCLUDES, PluginLibrary, transformsOf } from "./library.ts";
import { CLIENT_DEFAULTS, defaultLimits } from "./limits.ts";
import { PARAM_ARGS, PARAM_FIELDS } from "./plugin-abi.ts";
import { type CheckedPlugin, checkPlugin, linkPlugin, PluginRejected } from "./plugin-check.ts";
import { detached, runChain } from "./plugin-runner.ts";
import type { RawImage } from "./raw-image.ts";
import { createPluginRuntime } from "./runtimes.ts";
import { BadRequest, planFromQuery } from "./transcode.ts";

export interface ImageRunOptions {
  /** The plugin's file (diagnostics name it; its base name is the plugin's name). */
  file: string;
  source: string;
  /** Quoted headers the source includes, by name. */
  includes?: Record<string, string>;
  /** The input image's bytes (PPM/PGM, or PNG/JPEG/WebP with sharp). */
  input: Uint8Array;
  /** The output's format. */
  format: ImageFormat;
  /** Parameters as `name=value` texts, as `?name=value` in a request. */
  params: string[];
  /** Fuel for the run and the runtime's memory (default: a server client's). */
  fuel?: number;
  memory?: number;
  /** Where the plugin's stdout and stderr go (default nowhere). */
  stdout?: ByteSink;
  stderr?: ByteSink;
}

export interface ImageRunResult {
  body: Buffer;
  format: ImageFormat;
  width: number;
  height: number;
  /** The plugin's name (its entry point is `<name>_transform`). */
  plugin: string;
  /** Compiler warnings. */
  diagnostics: CheckedPlugin["diagnostics"];
}

/** Parameter names a plugin can be given (`params` fields, `a0`..`a7`, and `quality`). */
export const IMAGE_PARAM_NAMES: readonly string[] = [
  ...PARAM_FIELDS,
  ...Array.from({ length: PARAM_ARGS }, (_, i) => `a${i}`),
  "quality",
];

/** The output format a file name asks for, or a BadRequest naming the ones there are. */
export function outputFormatOf(path: string): ImageFormat {
  const format = formatFromName(path);
  if (!format) {
    throw new BadRequest(
      `cannot tell the output format from '${basename(path)}': name it .${IMAGE_FORMATS.join(", .")} or .jpg`,
    );
  }
  return format;
}

/**
 * Compiles, links and runs the plugin on the image; throws PluginRejected (with diagnostics),
 * BadRequest (a parameter), ImageDecodeError, a PluginFault, or the runner's typed errors.
 */
export async function runImagePlugin(o: ImageRunOptions): Promise<ImageRunResult> {
  const query = new URLSearchParams();
  for (const p of o.params) {
    const eq = p.indexOf("=");
    const key = eq < 0 ? p : p.slice(0, eq);
    if (eq < 0 || !IMAGE_PARAM_NAMES.includes(key)) {
      throw new BadRequest(
        eq < 0
          ? `--param wants NAME=VALUE (got '${p}')`
          : `unknown parameter '${key}' (${IMAGE_PARAM_NAMES.join(" ")})`,
      );
    }
    query.set(key, p.slice(eq + 1));
  }
  const checked = checkLocal(o);
  const name = checked.name;
  query.set("plugin", name);
  const plan = planFromQuery(query, {}, defaultLimits.maxChainLength);
  const image = await decodeImage(o.input, defaultLimits);

  const kernel = new Kernel();
  installImageBuffers(kernel);
  const settings = {
    fuel: o.fuel ?? CLIENT_DEFAULTS.fuel,
    memory: o.memory ?? CLIENT_DEFAULTS.memory,
  };
  const output = { stdout: o.stdout ?? (() => {}), stderr: o.stderr ?? (() => {}) };
  const make = () =>
    createPluginRuntime(kernel, "client:local", { ...settings, quarantine: false, output });
  let moduleName = name;
  let runtime: Runtime = make();
  try {
    runtime.add(moduleName, checked.module);
  } catch {
    // A client's runtime has the library linked in: a plugin may call library functions.
    // Linked only when needed (compiling it takes time), and without the library modules
    // that define what the plugin defines: an author may be rewriting a library plugin, which
    // an upload could not be named like, but a local run is for trying things.
    kernel.destroyRuntime(runtime.name);
    runtime = make();
    const library = await PluginLibrary.load(PLUGINS_DIR);
    // Steps are found by entry point, so the module may take another name than a library one.
    if (library.moduleNames.has(name)) moduleName = `${name}-local`;
    const own = new Set(checked.module.exports.map((e) => e.name));
    for (const m of library.modules) {
      if (m.module.exports.some((e) => own.has(e.name))) continue;
      try {
        runtime.add(m.name, m.module);
      } catch {
        // It imports from a module left out: the plugin cannot be calling it.
      }
    }
    linkPlugin(name, o.source, () => runtime.add(moduleName, checked.module));
  }
  let result: RawImage;
  const run = (rt: Runtime) => {
    rt.beginBudget();
    try {
      return runChain(rt, plan.steps, image, plan.params, detached);
    } finally {
      rt.endBudget();
      rt.flush();
    }
  };
  try {
    result = run(runtime);
  } catch (e) {
    // An out-of-bounds access's address: the same chain replayed with the bounds probe.
    if (!wantsAddress(e)) throw e;
    throw replayFault(kernel, runtime, e, run);
  }
  kernel.destroyRuntime(runtime.name);
  const encoded = await encodeImage(result, o.format, { quality: plan.quality });
  return {
    body: encoded.body,
    format: encoded.format,
    width: result.width,
    height: result.height,
    plugin: name,
    diagnostics: checked.diagnostics,
  };
}

/**
 * The plugin checked as an upload is: named by its file, or, when the file's name is not the
 * plugin's, by the one `N_transform` it defines (grayscale_image.c defines grayscale's).
 */
function checkLocal(o: ImageRunOptions): CheckedPlugin & { name: string } {
  const base = basename(o.file).replace(/\.c$/, "");
  const options = { file: o.file, includes: o.includes };
  try {
    return { ...checkPlugin(base, o.source, options), name: base };
  } catch (e) {
    if (!(e instanceof PluginRejected) || e.kind !== "abi-error") throw e;
    const result = compile(o.source, {
      file: o.file,
      includes: { ...o.includes, ...IMAGE_INCLUDES },
    });
    const names = result.ok ? transformsOf(result.module) : [];
    if (names.length !== 1) throw e;
    return { ...checkPlugin(names[0]!, o.source, options), name: names[0]! };
  }
}
