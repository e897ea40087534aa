// Child process for the SIGKILL test: uploads to a FileStore without end and prints each
// acknowledged upload ("<name> <version> <tag>"), until the parent kills it mid-write.

import { FileStore, sha256Hex } from "../../store/index.ts";
import { compiledFor } from "./contract.ts";

export const bigSource = (tag: string) =>
  `/* ${tag} */\n${"/* padding so each write takes a while */\n".repeat(2000)}int p_transform(void) { return 0; } /* ${tag} */\n`;

if (process.argv[1] === import.meta.filename) {
  const store = await FileStore.open(process.argv[2]!);
  await store.putClient("victim", { tokenSha256: sha256Hex("victim") });
  for (let i = 0; ; i++) {
    const tag = `${process.pid}-${i}`;
    const r = await store.putPlugin("victim", `p${i % 3}`, bigSource(tag), compiledFor(tag));
    process.stdout.write(`${r.name} ${r.version} ${tag}\n`);
  }
}
