// Compile jobs in a plugin worker: a C upload or `POST /compile` compiled (or a WebAssembly
// upload checked), held to the module size limit, and for an upload linked in a scratch copy
// of the client's runtime, so what is stored is known to link. The fuel charged is the time
// taken (FUEL_PER_MS): compiling is a tenant's work too (issue 10).

import { type CompiledModule, compile } from "../cc/index.ts";
import type { Kernel, Runtime } from "../kernel/index.ts";
import { decodeModule } from "../wasm/index.ts";
import { IMAGE_INCLUDES } from "./library.ts";
import {
  checkPlugin,
  checkWasmPlugin,
  linkPlugin,
  PluginRejected,
  wasmPluginHeader,
} from "./plugin-check.ts";
import type {
  ClientSpec,
  CompileJob,
  CompileOutput,
  JobError,
  JobResult,
} from "./pool-protocol.ts";
import { FUEL_PER_MS } from "./scheduler.ts";
import { watListing } from "./wat-listing.ts";
import { describe } from "./worker-job-errors.ts";
import { ownedCopy } from "./worker-output.ts";

/** What a compile job needs of its worker. */
export interface CompileContext {
  kernel: Kernel;
  maxModuleBytes: number;
  /** A client's runtime from its spec, without plugin `without` (the one being uploaded). */
  buildClient(name: string, spec: ClientSpec, without?: string): Runtime;
}

export function compileJob(
  ctx: CompileContext,
  job: CompileJob,
  spec: ClientSpec | undefined,
): JobResult<CompileOutput> {
  const t0 = performance.now();
  let out: CompileOutput;
  let module: CompiledModule | undefined;
  if (job.wasm !== undefined && job.plugin !== undefined)
    return wasmJob(ctx, job, job.plugin, job.wasm, spec);
  if (job.plugin !== undefined) {
    try {
      const check = checkPlugin(job.plugin, job.source);
      module = check.module;
      out = {
        ok: true,
        diagnostics: check.diagnostics,
        compileMs: check.compileMs,
        ...shape(module),
      };
    } catch (e) {
      if (!(e instanceof PluginRejected)) throw e;
      const compileMs = performance.now() - t0;
      out = {
        ok: false,
        rejected: e.kind,
        message: e.message,
        diagnostics: e.diagnostics,
        compileMs,
        exports: [],
        imports: [],
      };
    }
  } else {
    const file = (job.file ?? "plugin.c").slice(0, 64);
    const result = compile(job.source, { file, includes: IMAGE_INCLUDES });
    module = result.ok ? result.module : undefined;
    out = {
      ok: result.ok,
      diagnostics: result.diagnostics,
      compileMs: performance.now() - t0,
      ...(module ? shape(module) : { exports: [], imports: [] }),
    };
  }
  const fuelOf = () => Math.round((performance.now() - t0) * FUEL_PER_MS);
  if (module && module.wasm.byteLength > ctx.maxModuleBytes) {
    const error: JobError = {
      kind: "module-too-large",
      message: `the module is ${module.wasm.byteLength} bytes; the limit is ${ctx.maxModuleBytes}`,
    };
    return { ok: false, error, fuelUsed: fuelOf(), ms: performance.now() - t0 };
  }
  if (module && spec && job.plugin !== undefined && out.ok) {
    // The upload's link check, in a scratch copy of the client's runtime.
    const name = job.plugin;
    const scratch = `upload:${spec.id}`;
    try {
      const runtime = ctx.buildClient(scratch, spec, name);
      try {
        out.linkMs = linkPlugin(name, job.source, () => runtime.add(name, module));
      } finally {
        ctx.kernel.destroyRuntime(scratch);
      }
    } catch (e) {
      if (!(e instanceof PluginRejected)) {
        return {
          ok: false,
          error: describe(e, []),
          fuelUsed: fuelOf(),
          ms: performance.now() - t0,
        };
      }
      out = {
        ...out,
        ok: false,
        rejected: e.kind,
        message: e.message,
        diagnostics: e.diagnostics,
      };
    }
  }
  if (module && job.wat) {
    const file =
      job.plugin !== undefined ? `${job.plugin}.c` : (job.file ?? "plugin.c").slice(0, 64);
    Object.assign(out, watListing(module.wasm, job.source, file));
  }
  if (module && out.ok) out.wasm = ownedCopy(module.wasm);
  return { ok: true, value: out, fuelUsed: fuelOf(), ms: performance.now() - t0 };
}

/** A WebAssembly upload: its entry point checked, then (with a spec) its link. */
function wasmJob(
  ctx: CompileContext,
  job: CompileJob,
  name: string,
  wasm: Uint8Array,
  spec: ClientSpec | undefined,
): JobResult<CompileOutput> {
  const t0 = performance.now();
  const done = (out: CompileOutput): JobResult<CompileOutput> => {
    const ms = performance.now() - t0;
    return { ok: true, value: out, fuelUsed: Math.round(ms * FUEL_PER_MS), ms };
  };
  const header = job.source === "" ? undefined : job.source;
  try {
    checkWasmPlugin(name, { wasm, header });
    let names = { exports: [] as string[], imports: [] as string[] };
    try {
      const d = decodeModule(wasm);
      names = { exports: d.exports.map((e) => e.name), imports: d.imports.map((i) => i.name) };
    } catch {
      // Malformed bytes: the link below reports them.
    }
    const out: CompileOutput = {
      ok: true,
      diagnostics: [],
      compileMs: 0,
      exports: names.exports.map((n) => ({ name: n, signature: "" })),
      imports: names.imports,
    };
    if (spec) {
      const scratch = `upload:${spec.id}`;
      const runtime = ctx.buildClient(scratch, spec, name);
      try {
        out.linkMs = linkPlugin(name, job.source, () =>
          runtime.add(name, wasm, { header: wasmPluginHeader(name, header) }),
        );
      } finally {
        ctx.kernel.destroyRuntime(scratch);
      }
    }
    out.wasm = new Uint8Array(wasm);
    return done(out);
  } catch (e) {
    if (!(e instanceof PluginRejected)) {
      const ms = performance.now() - t0;
      return { ok: false, error: describe(e, []), fuelUsed: Math.round(ms * FUEL_PER_MS), ms };
    }
    const out: CompileOutput = {
      ok: false,
      rejected: e.kind,
      message: e.message,
      diagnostics: e.diagnostics,
      compileMs: 0,
      exports: [],
      imports: [],
    };
    return done(out);
  }
}

function shape(module: {
  exports: { name: string; signature: string }[];
  imports: { name: string }[];
}) {
  return {
    exports: module.exports.map((e) => ({ name: e.name, signature: e.signature })),
    imports: module.imports.map((i) => i.name),
  };
}
