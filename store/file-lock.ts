// The data directory's exclusive lock: a lock file created atomically (a temporary file with
// our pid, hard-linked into place, which fails if the name exists), so two servers never
// open one directory. A lock left by a process that died (kill -9, power loss) is taken over
// after checking that its pid no longer runs. Known limit: two processes taking over the same
// stale lock at the same instant could both remove it; starts are rarely that simultaneous.

import { randomBytes } from "node:crypto";
import { link, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { StoreLocked } from "./errors.ts";

export const LOCK_FILE = "kplug-store.lock";

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class DirectoryLock {
  private constructor(private readonly path: string) {}

  /** Takes the lock or throws StoreLocked; file system errors are thrown as they are. */
  static async acquire(dir: string): Promise<DirectoryLock> {
    const path = join(dir, LOCK_FILE);
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
    await writeFile(tmp, `${process.pid}\n`, { mode: 0o644 });
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await link(tmp, path);
          return new DirectoryLock(path);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) {
            if ((e as NodeJS.ErrnoException).code === "EEXIST") throw DirectoryLock.locked(dir);
            throw e;
          }
        }
        const holder = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
        if (Number.isSafeInteger(holder) && holder > 0 && running(holder))
          throw DirectoryLock.locked(dir, holder);
        await unlink(path).catch(() => {});
      }
    } finally {
      await unlink(tmp).catch(() => {});
    }
  }

  private static locked(dir: string, pid?: number): StoreLocked {
    const who = pid === undefined ? "another process" : `process ${pid}`;
    return new StoreLocked(
      `the data directory ${dir} is in use by ${who} (lock file ${LOCK_FILE}); ` +
        "stop that server or give this one another --data directory",
      pid,
    );
  }

  async release(): Promise<void> {
    await unlink(this.path).catch(() => {});
  }
}
