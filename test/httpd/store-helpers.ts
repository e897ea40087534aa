// What the store tests of the server share: plugin sources whose output says which upload
// ran (a flat image of one value), and HTTP calls that read back what a node serves.

import { parsePnm } from "../../httpd/pnm.ts";
import type { Harness } from "./harness.ts";

/** A plugin `name` whose output is a flat grey image of `value`. */
export const flat = (name: string, value: number) => `#include "kplug/image.h"
int ${name}_transform(const image *in, image *out, const params *p) {
  (void)p;
  int rc = image_alloc(out, in->width, in->height, 1);
  if (rc) return rc;
  for (int i = 0; i < in->width * in->height; i++) out->pixels[i] = ${value};
  return IMAGE_OK;
}
`;

const NO_LIMITS = { maxWidth: 1e6, maxHeight: 1e6, maxPixels: 1e12 };

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The flat value a node's `plugin` produces for the client, or the HTTP status if not 200. */
export async function servedValue(
  h: Pick<Harness, "url">,
  id: string,
  token: string,
  plugin: string,
): Promise<number | string> {
  const res = await fetch(`${h.url}/images/small.ppm?client=${id}&plugin=${plugin}`, {
    headers: bearer(token),
  });
  if (res.status !== 200) {
    await res.arrayBuffer();
    return `status ${res.status}`;
  }
  const img = parsePnm(new Uint8Array(await res.arrayBuffer()), NO_LIMITS);
  const v = img.data[0];
  return img.data.every((x) => x === v) ? v : "not flat";
}

/** The source a node holds for a plugin, or null when it has none. */
export async function storedSource(
  h: Pick<Harness, "url">,
  id: string,
  token: string,
  name: string,
): Promise<string | null> {
  const res = await fetch(`${h.url}/clients/${id}/plugins/${name}`, { headers: bearer(token) });
  if (res.status === 404) {
    await res.arrayBuffer();
    return null;
  }
  if (res.status !== 200) throw new Error(`GET plugin: ${res.status} ${await res.text()}`);
  return res.text();
}

/** Polls `check` until it holds (the feed is asynchronous); throws with `what` after 10 s. */
export async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`never: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
