// Share links: the plugin's name and source in the URL's fragment (never sent to the server),
// deflated (CompressionStream) and base64url-encoded: `#name=my_filter&src=eJz…`. Bounded both
// ways: a link longer than MAX_LINK_CHARS is refused, and a fragment that inflates past
// MAX_SOURCE_BYTES (a zip bomb) is not restored.

export const MAX_LINK_CHARS = 32_000;
export const MAX_SOURCE_BYTES = 1 << 20;

export interface Shared {
  name: string;
  source: string;
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function deflate(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Inflates at most `limit` bytes; undefined past it or on corrupt input. */
async function inflate(bytes: Uint8Array<ArrayBuffer>, limit: number): Promise<string | undefined> {
  const reader = new Blob([bytes])
    .stream()
    .pipeThrough(new DecompressionStream("deflate"))
    .getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) {
        await reader.cancel();
        return undefined;
      }
      parts.push(value);
    }
  } catch {
    return undefined;
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new TextDecoder().decode(all);
}

/** The fragment for a link, or undefined when it would be longer than MAX_LINK_CHARS. */
export async function shareFragment(s: Shared): Promise<string | undefined> {
  const q = new URLSearchParams({ name: s.name });
  const fragment = `#${q}&src=${toBase64Url(await deflate(s.source))}`;
  return fragment.length > MAX_LINK_CHARS ? undefined : fragment;
}

/** What a fragment carries, or undefined when it carries no (valid) source. */
export async function readFragment(hash: string): Promise<Shared | undefined> {
  if (hash.length > MAX_LINK_CHARS + 1) return undefined;
  const q = new URLSearchParams(hash.replace(/^#/, ""));
  const src = q.get("src");
  if (!src || !/^[A-Za-z0-9_-]+$/.test(src)) return undefined;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = fromBase64Url(src);
  } catch {
    return undefined;
  }
  const source = await inflate(bytes, MAX_SOURCE_BYTES);
  if (source === undefined) return undefined;
  return { name: q.get("name") ?? "", source };
}
