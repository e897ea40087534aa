// sharp, loaded on first use: PNG/JPEG/WebP need it, PPM/PGM do not, so `kplug run --image`
// works on PNM files without it (it is an optional peer dependency). The server loads it at
// start (ImageServer.create), so a missing sharp still stops `kplug serve` at once.

import type sharpType from "sharp";

export type Sharp = typeof sharpType;

let loaded: Promise<Sharp> | undefined;

/** The sharp module; rejects with the import's own error when it is not installed. */
export function loadSharp(): Promise<Sharp> {
  loaded ??= import("sharp").then((m) => m.default);
  // A failed import is not cached: installing sharp later must work without a restart.
  loaded.catch(() => {
    loaded = undefined;
  });
  return loaded;
}

/** Is this the error of a missing sharp package? */
export function isSharpMissing(e: unknown): boolean {
  return /Cannot find (?:package|module) 'sharp'/.test((e as Error)?.message ?? "");
}
