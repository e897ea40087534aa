// Every typed failure a request can meet, as its HTTP status and JSON body. A failure that is
// not listed here is a bug: it is answered 500 "internal" and logged by the server.

import { PluginFault, QuarantineError, UnlinkedSymbolError } from "../kernel/index.ts";
import {
  InvalidRecord,
  PreconditionFailed,
  StoreClosed,
  StoreError,
  StoreFull,
  StoreReadOnly,
  StoreUnavailable,
  UnknownClient,
} from "../store/index.ts";
import { ClientGone } from "./executor.ts";
import { HelperError } from "./helper.ts";
import { HttpError } from "./http.ts";
import { ForbiddenPath, ImageNotFound } from "./images.ts";
import { TRANSFORM_ERRORS } from "./plugin-abi.ts";
import { PluginsLoading } from "./plugin-loading.ts";
import { BadPluginOutput, RuntimeMemoryExhausted, TransformRejected } from "./plugin-runner.ts";
import { type JobError, JobFailed } from "./pool-protocol.ts";
import { ImageDecodeError } from "./raw-image.ts";
import { PathRefused } from "./router.ts";
import { SchedulerRejection } from "./scheduler.ts";
import { BadRequest } from "./transcode.ts";

/** A failure's status, JSON body and extra headers (Retry-After). */
export type ErrorAnswer = [number, Record<string, unknown>, Record<string, string>?];

/** The answer to a failure, or undefined when it is not an expected one. */
export function errorResponse(e: unknown): ErrorAnswer | undefined {
  if (e instanceof HttpError) return [e.status, e.body];
  if (e instanceof JobFailed) return jobFailure(e);
  if (e instanceof SchedulerRejection) {
    const retry = e.retryAfterSeconds;
    return [
      e.status,
      { error: e.kind, message: e.message },
      retry === undefined ? undefined : { "Retry-After": String(retry) },
    ];
  }
  if (e instanceof PluginFault) {
    const status = e.kind === "fuel-exhausted" ? 503 : 500;
    return [
      status,
      faultBody({
        kind: "plugin-fault",
        fault: e.kind,
        runtime: e.runtime,
        plugin: e.plugin,
        function: e.function,
        file: e.file,
        line: e.line,
        col: e.col,
        backtrace: [...e.backtrace],
        access: e.access,
        message: e.publicMessage,
      }),
    ];
  }
  if (e instanceof QuarantineError) {
    return [503, { error: "plugin-quarantined", plugin: e.plugin, message: e.message }];
  }
  if (e instanceof UnlinkedSymbolError) {
    return [404, { error: "unknown-plugin", message: `no plugin provides '${e.symbol}'` }];
  }
  if (e instanceof TransformRejected) {
    return [
      422,
      { error: "transform-rejected", plugin: e.plugin, code: e.code, message: e.message },
    ];
  }
  if (e instanceof BadPluginOutput)
    return [500, { error: "bad-plugin-output", plugin: e.plugin, message: e.message }];
  if (e instanceof RuntimeMemoryExhausted)
    return [413, { error: "runtime-memory", message: e.message }];
  if (e instanceof HelperError) {
    return [
      422,
      {
        error: "transform-rejected",
        code: e.status,
        message: TRANSFORM_ERRORS[e.status] ?? e.message,
      },
    ];
  }
  if (e instanceof ImageDecodeError) {
    return [e.code === "too-large" ? 413 : 422, { error: e.code, message: e.message }];
  }
  if (e instanceof ForbiddenPath || e instanceof PathRefused)
    return [403, { error: "forbidden-path", message: e.message }];
  if (e instanceof ImageNotFound || e instanceof ClientGone)
    return [404, { error: "not-found", message: e.message }];
  if (e instanceof BadRequest) return [e.status, { error: "bad-request", message: e.message }];
  if (e instanceof StoreError) return storeFailure(e);
  if (e instanceof PluginsLoading) {
    return [
      503,
      { error: "plugins-loading", plugins: e.plugins, message: e.message },
      { "Retry-After": String(e.retryAfterSeconds) },
    ];
  }
  return undefined;
}

/**
 * A plugin fault's JSON: kind, plugin and function, and where in the C source (`file`,
 * `line`, `col`, `backtrace` innermost first, `access` for a memory fault) when known.
 */
function faultBody(e: JobError): Record<string, unknown> {
  const body: Record<string, unknown> = {
    error: "plugin-fault",
    fault: e.fault,
    runtime: e.runtime,
    plugin: e.plugin,
    function: e.function,
  };
  if (e.file !== undefined) {
    body.file = e.file;
    body.line = e.line;
    body.col = e.col;
  }
  body.backtrace = e.backtrace ?? [];
  if (e.access) body.access = e.access;
  body.message = e.message;
  return body;
}

/** A store that refused a change: nothing changed, in the store or in this server. */
function storeFailure(e: StoreError): ErrorAnswer | undefined {
  if (e instanceof PreconditionFailed) {
    return [
      412,
      {
        error: "precondition-failed",
        current: e.current === null ? null : String(e.current),
        message: e.message,
      },
    ];
  }
  if (e instanceof StoreReadOnly || e instanceof StoreFull) {
    const why = e instanceof StoreFull ? "is full" : "is read-only";
    return [
      503,
      { error: e.code, message: `the plugin store ${why}; nothing was changed (${e.message})` },
      { "Retry-After": "60" },
    ];
  }
  if (e instanceof StoreUnavailable || e instanceof StoreClosed) {
    return [
      503,
      {
        error: e.code,
        message: `the plugin store is unavailable; nothing was changed (${e.message})`,
      },
      { "Retry-After": "1" },
    ];
  }
  if (e instanceof UnknownClient) return [404, { error: "not-found", message: e.message }];
  if (e instanceof InvalidRecord) return [400, { error: "bad-request", message: e.message }];
  return undefined;
}

/** A job that failed in a worker, answered as the same failure in-process was. */
function jobFailure(f: JobFailed): ErrorAnswer | undefined {
  const e = f.error;
  const retry = (s: number | undefined) => ({ "Retry-After": String(s ?? 1) });
  switch (e.kind) {
    case "plugin-fault":
      return [e.fault === "fuel-exhausted" ? 503 : 500, faultBody(e)];
    case "deadline-exceeded":
      return [503, { error: "deadline-exceeded", plugin: e.plugin, message: e.message }];
    case "quarantined":
      return [503, { error: "plugin-quarantined", plugin: e.plugin, message: e.message }];
    case "unknown-plugin":
      return [404, { error: "unknown-plugin", message: e.message }];
    case "transform-rejected":
      return [
        422,
        { error: "transform-rejected", plugin: e.plugin, code: e.code, message: e.message },
      ];
    case "bad-plugin-output":
      return [500, { error: "bad-plugin-output", plugin: e.plugin, message: e.message }];
    case "runtime-memory":
      return [413, { error: "runtime-memory", message: e.message }];
    case "module-too-large":
      return [413, { error: "module-too-large", message: e.message }];
    case "plugin-exit":
      return [500, { error: "plugin-exit", plugin: e.plugin, code: e.code, message: e.message }];
    case "unknown-client":
      return [404, { error: "not-found", message: e.message }];
    case "runtime-capacity":
    case "pool-unavailable":
      return [503, { error: e.kind, message: e.message }, retry(e.retryAfterSeconds)];
    case "worker-crashed":
    case "pool-closed":
      return [503, { error: e.kind, message: e.message }, retry(1)];
    default:
      return undefined;
  }
}
