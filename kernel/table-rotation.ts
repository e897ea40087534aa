// When a runtime's function table is rotated (table.ts explains why V8 makes that necessary):
// once it has been imported by too many instances, and only if re-instantiating its live users
// costs little against what they would keep alive. The runtime performs the rotation.

import { dependentsOf, type Plugin } from "./plugin.ts";
import type { FunctionTable } from "./table.ts";

/** Instantiations importing one function table before it is rotated. */
const TABLE_IMPORTERS_MAX = 256;

/**
 * The plugins to re-instantiate if `table` is due for rotation, or undefined when it is not:
 * every live plugin that imports the table and every plugin importing from one of those. The
 * cost is a few instantiations per live user, once every TABLE_IMPORTERS_MAX instantiations.
 */
export function tableRotationDue(
  table: FunctionTable,
  plugins: { values(): Iterable<Plugin> },
): Set<Plugin> | undefined {
  if (table.importers < TABLE_IMPORTERS_MAX) return undefined;
  const affected = new Set<Plugin>();
  for (const p of plugins.values()) {
    if (!p.linked.module.uses.table || affected.has(p)) continue;
    affected.add(p);
    for (const d of dependentsOf(p)) affected.add(d);
  }
  if (table.importers < TABLE_IMPORTERS_MAX + 4 * affected.size) return undefined;
  return affected;
}
