// What a request asks for, and how it is done: the plugin chain (?plugin=a,b or a client
// profile), its parameters, the output format (?format= or Accept), and the engine that runs
// the chain: kplug plugins in a runtime (the default), the trusted in-process JS functions, or
// the out-of-process native helper (the last two exist for the paper's comparison).

import { CONTENT_TYPES, formatNamed, IMAGE_FORMATS, type ImageFormat } from "./image-format.ts";
import {
  defaultParams,
  PARAM_ARGS,
  PARAM_FIELDS,
  PLUGIN_NAME,
  type PluginParams,
} from "./plugin-abi.ts";

export type Engine = "plugin" | "js" | "helper";
export const ENGINES: readonly Engine[] = ["plugin", "js", "helper"];

export interface Profile {
  description: string;
  steps: string[];
  params?: Partial<PluginParams["values"]>;
  format?: ImageFormat;
}

/** Named client profiles, chosen by ?profile= or the X-Client-Profile header. */
export const PROFILES: Record<string, Profile> = {
  pda: {
    description: "small grayscale device: half size, 8-bit gray",
    steps: ["downscale", "grayscale"],
    params: { scale: 2 },
  },
  eink: {
    description: "e-ink reader: 8-bit gray dithered to 1 bit (black and white)",
    steps: ["grayscale", "dither"],
    params: { levels: 2 },
    format: "png",
  },
  thumbnail: {
    description: "quarter-size preview",
    steps: ["downscale"],
    params: { scale: 4 },
  },
};

export const PROFILE_HEADER = "x-client-profile";

export class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface TranscodePlan {
  steps: string[];
  params: PluginParams;
  engine: Engine;
  profile: string | undefined;
  /** Explicit ?format=, or undefined to negotiate. */
  format: ImageFormat | undefined;
  quality: number | undefined;
  client: string | undefined;
}

function parseIntParam(name: string, text: string): number {
  if (!/^-?\d{1,10}$/.test(text)) throw new BadRequest(`parameter ${name} must be an integer`);
  const v = Number(text);
  if (v < -(2 ** 31) || v >= 2 ** 31) throw new BadRequest(`parameter ${name} is out of range`);
  return v;
}

/** Reads the adaptation a request asks for from its query and headers. */
export function planFromQuery(
  query: URLSearchParams,
  headers: Record<string, string | string[] | undefined>,
  maxChain: number,
): TranscodePlan {
  const params = defaultParams();
  const headerProfile = headers[PROFILE_HEADER];
  const profileName =
    query.get("profile") ?? (typeof headerProfile === "string" ? headerProfile.trim() : undefined);
  const steps: string[] = [];
  let format: ImageFormat | undefined;
  if (profileName) {
    const profile = PROFILES[profileName];
    if (!profile) throw new BadRequest(`unknown profile '${profileName}'`);
    steps.push(...profile.steps);
    Object.assign(params.values, profile.params);
    format = profile.format;
  }
  const plugin = query.get("plugin");
  if (plugin) {
    for (const name of plugin.split(",")) {
      const trimmed = name.trim();
      if (!PLUGIN_NAME.test(trimmed)) throw new BadRequest(`bad plugin name '${trimmed}'`);
      steps.push(trimmed);
    }
  }
  if (steps.length > maxChain) {
    throw new BadRequest(`at most ${maxChain} plugins in a chain (got ${steps.length})`);
  }
  for (const field of PARAM_FIELDS) {
    const v = query.get(field);
    if (v !== null) params.values[field] = parseIntParam(field, v);
  }
  for (let i = 0; i < PARAM_ARGS; i++) {
    const v = query.get(`a${i}`);
    if (v !== null) params.args[i] = parseIntParam(`a${i}`, v);
  }
  const f = query.get("format");
  if (f !== null) {
    format = formatNamed(f);
    if (!format) throw new BadRequest(`unknown format '${f}' (${IMAGE_FORMATS.join(", ")})`);
  }
  let quality: number | undefined;
  const q = query.get("quality");
  if (q !== null) {
    quality = parseIntParam("quality", q);
    if (quality < 1 || quality > 100) throw new BadRequest("quality must be within 1..100");
  }
  const e = query.get("engine") ?? "plugin";
  if (!ENGINES.includes(e as Engine)) throw new BadRequest(`unknown engine '${e}'`);
  const client = query.get("client") ?? undefined;
  return {
    steps,
    params,
    engine: e as Engine,
    profile: profileName,
    format,
    quality,
    client,
  };
}

/** Canonical text of everything in a plan that changes the result (for cache keys). */
export function planKey(plan: TranscodePlan): string {
  const p = plan.params;
  return `${plan.steps.join(",")}|${PARAM_FIELDS.map((f) => p.values[f]).join(",")}|${p.args.join(",")}|q${plan.quality ?? ""}`;
}

/**
 * Content negotiation over `Accept`. Candidates come in the server's preference order (the
 * original's own format first); an explicitly named type beats a wildcard at the same q, so a
 * browser that lists image/webp gets WebP while `*\/*` gets the original format. Undefined
 * when nothing is acceptable (406).
 */
export function negotiateFormat(
  accept: string | undefined,
  candidates: readonly ImageFormat[],
): ImageFormat | undefined {
  if (!accept || accept.trim() === "") return candidates[0];
  const ranges = accept.split(",").map((part) => {
    const [type, ...attrs] = part.trim().toLowerCase().split(";");
    let q = 1;
    for (const a of attrs) {
      const [k, v] = a.trim().split("=");
      if (k === "q") q = Number(v);
    }
    return { type: type.trim(), q: Number.isFinite(q) ? q : 0 };
  });
  let best: ImageFormat | undefined;
  let bestScore = 0;
  for (const format of candidates) {
    const media = CONTENT_TYPES[format];
    let q = -1;
    let specificity = -1;
    for (const r of ranges) {
      const spec = r.type === media ? 2 : r.type === "image/*" ? 1 : r.type === "*/*" ? 0 : -1;
      if (spec > specificity) {
        specificity = spec;
        q = r.q;
      }
    }
    if (specificity < 0 || q <= 0) continue;
    const score = q * 4 + specificity;
    if (score > bestScore) {
      best = format;
      bestScore = score;
    }
  }
  return best;
}

/** The negotiation candidates for an image: its own family first, then the web formats. */
export function formatCandidates(source: ImageFormat, channels: 1 | 3): ImageFormat[] {
  const own: ImageFormat =
    source === "ppm" || source === "pgm" ? (channels === 1 ? "pgm" : "ppm") : source;
  const rest: ImageFormat[] = ["webp", "png", "jpeg", channels === 1 ? "pgm" : "ppm"];
  return [own, ...rest.filter((f) => f !== own)];
}
