// Quarantine of client plugins, kept on the main thread: plugins run in workers that may be
// replaced at any time, so the record of who faulted lives here. Every job result that blames a
// client's plugin with a fault (a trap, a host error, the watchdog's deadline) is a strike with
// the kernel's window semantics (strikeWindow); a plugin with too many strikes in the window is
// quarantined: requests naming it are refused here (503 plugin-quarantined) and it is left out
// of the runtime specs workers build from. New code (a re-upload) reinstates it.

import { QuarantineError, type QuarantinePolicy, strikeWindow } from "../kernel/index.ts";

interface Record {
  recent: number[];
  disabled: boolean;
}

export class QuarantineBook {
  /** client id -> plugin name -> its record (only plugins that faulted have one). */
  private readonly clients = new Map<string, Map<string, Record>>();

  constructor(
    private readonly policy: Pick<QuarantinePolicy, "faults" | "windowMs">,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a fault of `plugin`; true when it quarantines the plugin now. */
  strike(client: string, plugin: string): boolean {
    let plugins = this.clients.get(client);
    if (plugins === undefined) {
      plugins = new Map();
      this.clients.set(client, plugins);
    }
    let r = plugins.get(plugin);
    if (r === undefined) {
      r = { recent: [], disabled: false };
      plugins.set(plugin, r);
    }
    if (r.disabled) return false;
    if (!strikeWindow(r.recent, this.policy, this.now())) return false;
    r.disabled = true;
    r.recent.length = 0;
    return true;
  }

  isQuarantined(client: string, plugin: string): boolean {
    return this.clients.get(client)?.get(plugin)?.disabled === true;
  }

  /** The quarantined plugins of a client. */
  quarantined(client: string): Set<string> {
    const out = new Set<string>();
    for (const [name, r] of this.clients.get(client) ?? []) if (r.disabled) out.add(name);
    return out;
  }

  /** Throws QuarantineError if any of `plugins` is quarantined for `client`. */
  refuse(client: string, runtime: string, plugins: Iterable<string>): void {
    const book = this.clients.get(client);
    if (book === undefined) return;
    for (const p of plugins) {
      if (book.get(p)?.disabled) throw new QuarantineError(runtime, p, `${p}_transform`);
    }
  }

  /** Clears a plugin's record (new code starts clean); true if it was quarantined. */
  reinstate(client: string, plugin: string): boolean {
    const plugins = this.clients.get(client);
    const was = plugins?.get(plugin)?.disabled === true;
    plugins?.delete(plugin);
    if (plugins?.size === 0) this.clients.delete(client);
    return was;
  }

  forget(client: string): void {
    this.clients.delete(client);
  }
}
