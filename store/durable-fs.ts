// Durable file operations for the FileStore: a file is replaced by writing a temporary file,
// fsyncing it, renaming it over the target and fsyncing the directory, so after a crash the
// target holds either the old bytes or the new, never a mix. File system errors become typed
// store errors; on any error the target is untouched and the temporary file is removed.

import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm, unlink } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { StoreFull, StoreReadOnly, StoreUnavailable } from "./errors.ts";

export const TMP_SUFFIX = ".tmp";

export function storeErrorOf(e: unknown, what: string): Error {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EROFS" || code === "EACCES" || code === "EPERM")
    return new StoreReadOnly(`${what}: the data directory is read-only (${code})`, { cause: e });
  if (code === "ENOSPC" || code === "EDQUOT")
    return new StoreFull(`${what}: no space left on the data directory's disk (${code})`, {
      cause: e,
    });
  return new StoreUnavailable(`${what}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
}

export async function fsyncDir(dir: string): Promise<void> {
  const dh = await open(dir, "r");
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

/**
 * Creates `dir` and missing parents, making each new directory entry durable. Returns the
 * first directory created (to remove again if the write that needed it fails), if any.
 */
export async function ensureDir(dir: string): Promise<string | undefined> {
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return undefined;
  await fsyncDir(dirname(first));
  let current = first;
  for (const part of relative(first, dir).split(sep).filter(Boolean)) {
    await fsyncDir(current);
    current = join(current, part);
  }
  return first;
}

/** Atomically and durably replaces `path` with `data`; typed error and no change on failure. */
export async function writeDurably(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}${TMP_SUFFIX}`;
  let renamed = false;
  try {
    const fh = await open(tmp, "wx", 0o600);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    renamed = true;
    await fsyncDir(dirname(path));
  } catch (e) {
    if (!renamed) await unlink(tmp).catch(() => {});
    throw e;
  }
}

/** Removes a directory tree; best effort (the caller already made the removal logical). */
export async function removeTree(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true }).catch(() => {});
}
