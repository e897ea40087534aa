// Names and addresses of the linking convention (described in full in cc/module.ts) that both
// kplug's compiler and the metering rewriter for foreign modules must agree on.

/** Each exported F has an `F$entry(fuel, …)` export that sets the budget, calls F and reports. */
export const ENTRY_SUFFIX = "$entry";
/** Where `F$entry` leaves the remaining fuel after an upcall (inside the NULL page). */
export const FUEL_LEFT_ADDR = 8;
