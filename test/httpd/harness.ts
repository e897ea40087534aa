// Starts an ImageServer on an ephemeral port over a temporary image directory; tests stop it.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodePnm } from "../../httpd/codecs.ts";
import { ImageServer, type ServerOptions } from "../../httpd/server.ts";
import { testImage } from "./fixtures.ts";

export interface Harness {
  server: ImageServer;
  url: string;
  root: string;
  imagesDir: string;
  dataDir: string;
  stop(): Promise<void>;
}

export const ADMIN_TOKEN = "admin-token-for-tests-0123456789";

export async function startServer(
  options: Partial<ServerOptions> = {},
  root?: string,
): Promise<Harness> {
  const dir = root ?? mkdtempSync(join(tmpdir(), "kplug-httpd-"));
  const imagesDir = join(dir, "images");
  const dataDir = join(dir, "data");
  mkdirSync(imagesDir, { recursive: true });
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(imagesDir, "small.ppm"), encodePnm(testImage(40, 30, 3)));
  writeFileSync(join(imagesDir, "gray.pgm"), encodePnm(testImage(33, 21, 1)));
  const server = await ImageServer.create({
    imagesDir,
    dataDir,
    adminToken: ADMIN_TOKEN,
    log: () => {},
    ...options,
  });
  const url = await server.listen(0);
  // The server answers before stored plugins needing a compile are ready; tests start after.
  await server.ready;
  return {
    server,
    url,
    root: dir,
    imagesDir,
    dataDir,
    async stop() {
      await server.close();
      if (!root) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function createClient(
  h: Harness,
  id: string,
  body: Record<string, unknown> = {},
): Promise<string> {
  const res = await fetch(`${h.url}/admin/clients/${id}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`create client: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export function putPlugin(
  h: Harness,
  id: string,
  token: string,
  name: string,
  source: string,
): Promise<Response> {
  return fetch(`${h.url}/clients/${id}/plugins/${name}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "content-type": "text/x-c" },
    body: source,
  });
}
