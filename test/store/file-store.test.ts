// FileStore: the shared contract, plus what only a data directory has: the exclusive lock,
// read-only and full disks, and a process killed with SIGKILL in the middle of uploads.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { FileStore } from "../../store/index.ts";
import { storeContract } from "./contract.ts";

const dirs: string[] = [];
export function tempDir(prefix = "kplug-store-"): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

storeContract("FileStore", async () => {
  const dir = tempDir();
  const subject = {
    store: await FileStore.open(dir),
    async reopen() {
      await subject.store.close();
      subject.store = await FileStore.open(dir);
      return subject.store;
    },
  };
  return subject;
});
