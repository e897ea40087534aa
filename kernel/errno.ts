// errno of one runtime: one int in the runtime's heap, taken at its first use (the NULL page
// faults on access, so it cannot live at a fixed low address). stdio, strtol/strtod and the
// math functions set it; `__errno_location` (<errno.h>) hands its address to the plugin.
// Kept in the runtime's hostState, so every group of built-ins shares the one word; a runtime
// reset clears hostState and the next use takes a new word.

import { HostTrap } from "./faults.ts";
import type { Runtime } from "./runtime.ts";

const ERRNO_STATE = "errno";

export interface Errno {
  /** The address of errno in the runtime's memory (allocated at the first call). */
  location(): number;
  /** Stores `code` into errno. */
  set(code: number): void;
}

export const ERANGE = 34;
export const EDOM = 33;
export const EINVAL = 22;

/** The errno of `rt`, shared by all its built-ins. */
export function errnoOf(rt: Runtime): Errno {
  let errno = rt.hostState.get(ERRNO_STATE) as Errno | undefined;
  if (errno) return errno;
  let addr = 0;
  const location = (): number => {
    if (addr === 0) {
      addr = rt.heap.calloc(1, 4);
      if (addr === 0) throw new HostTrap("out-of-memory", "no memory left for errno");
    }
    return addr;
  };
  errno = {
    location,
    set: (code) => rt.views.fresh().dv.setInt32(location(), code, true),
  };
  rt.hostState.set(ERRNO_STATE, errno);
  return errno;
}
