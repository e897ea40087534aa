// Every benchmark group, in report order. A new group is one file exporting a BenchGroup and
// one line here.

import { cliStartGroup } from "./cli-start.ts";
import { codegenGroup } from "./codegen.ts";
import { codespeedGroup } from "./codespeed.ts";
import { compileSpeedGroup } from "./compile-speed.ts";
import { foreignGroup } from "./foreign.ts";
import { grayscaleGroup } from "./grayscale.ts";
import { isolationGroup } from "./isolation.ts";
import { linkGroup } from "./link.ts";
import { serverGroup } from "./server-slot.ts";
import { storeGroup } from "./store.ts";
import type { BenchGroup } from "./types.ts";
import { upcallGroup } from "./upcall.ts";

export const benchGroups: BenchGroup[] = [
  upcallGroup,
  codegenGroup,
  linkGroup,
  codespeedGroup,
  compileSpeedGroup,
  grayscaleGroup,
  foreignGroup,
  serverGroup,
  isolationGroup,
  cliStartGroup,
  storeGroup,
];
