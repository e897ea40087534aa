// The page's state, shared by its modules, and two small page-wide helpers.

import type { Catalog, Failure, LibraryPlugin, Profile, Session } from "./api.ts";
import { byId } from "./dom.ts";

export const state = {
  catalog: undefined as Catalog | undefined,
  library: [] as LibraryPlugin[],
  profiles: {} as Record<string, Profile>,
  image: undefined as string | undefined,
  mode: "chain" as "chain" | "profile",
  chain: ["grayscale"] as string[],
  profile: "pda",
  session: undefined as Session | undefined,
  own: [] as string[],
  pluginName: "my_filter",
};

let toastTimer: ReturnType<typeof setTimeout> | undefined;

export function toast(message: string, kind: "ok" | "error" = "ok"): void {
  const el = byId("toast");
  el.textContent = message;
  el.className = `toast show ${kind}`;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    el.className = "toast";
  }, 3500);
}

export function debounce(fn: () => void, ms: number): () => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(t);
    t = setTimeout(fn, ms);
  };
}

export function networkFailure(e: unknown): Failure {
  return { failed: true, status: 0, error: "network", message: (e as Error).message };
}

/**
 * Images larger than this (as stored) are fetched as WebP rather than in their stored PPM/PGM:
 * a 1210x910 PPM is 3.3 MB; its WebP a few hundred KB.
 */
export const LARGE_IMAGE_BYTES = 400_000;

/** `format=webp` for a large paper-format image, so the page does not fetch raw PPM. */
export function viewFormat(name: string | undefined): string | undefined {
  const img = state.catalog?.images.find((i) => i.name === name);
  if (!img || (img.format !== "ppm" && img.format !== "pgm")) return undefined;
  return img.bytes > LARGE_IMAGE_BYTES ? "webp" : undefined;
}
