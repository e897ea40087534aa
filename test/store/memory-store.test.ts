// MemoryStore: the shared contract (a "reopen" is the same memory), plus its bounded
// tombstones, which must never give an id a generation back.

import assert from "node:assert/strict";
import { test } from "node:test";
import { MemoryStore } from "../../store/index.ts";
import { storeContract, TOKEN } from "./contract.ts";

storeContract("MemoryStore", async () => {
  const store = new MemoryStore();
  return { store, reopen: async () => store };
});

test("MemoryStore: forgotten tombstones keep generations growing", async () => {
  const store = new MemoryStore({ maxTombstones: 2 });
  const first = await store.putClient("a", { tokenSha256: TOKEN("a") });
  await store.deleteClient("a");
  for (const id of ["b", "c", "d"]) {
    await store.putClient(id, { tokenSha256: TOKEN(id) });
    await store.deleteClient(id);
  }
  const again = await store.putClient("a", { tokenSha256: TOKEN("a") });
  assert.ok(again.generation > first.generation, `${again.generation} > ${first.generation}`);
  assert.ok(again.version > first.version);
  const changes = await store.changesSince(0);
  assert.ok(changes.filter((c) => c.kind === "client-delete").length <= 2);
});
