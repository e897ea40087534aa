// The server's resource limits in one place, with defaults sized for a small box, plus the
// gate that bounds concurrent uploads (compiling is CPU work; a flood of uploads must not
// starve image requests).

import type { PixelLimits } from "./raw-image.ts";

export interface ServerLimits extends PixelLimits {
  /** Bytes of plugin source in one upload. */
  maxUploadBytes: number;
  /** Bytes of an admin request body. */
  maxAdminBodyBytes: number;
  /** Uploads (compile + link) in progress at once; more get 429. */
  maxConcurrentUploads: number;
  /** Plugins one client may have linked. */
  maxPluginsPerClient: number;
  /** Plugins in one ?plugin= chain. */
  maxChainLength: number;
  /** Bytes of a query string. */
  maxQueryBytes: number;
}

export const defaultLimits: ServerLimits = {
  maxWidth: 16384,
  maxHeight: 16384,
  maxPixels: 40_000_000,
  maxUploadBytes: 256 << 10,
  maxAdminBodyBytes: 16 << 10,
  maxConcurrentUploads: 4,
  maxPluginsPerClient: 64,
  maxChainLength: 16,
  maxQueryBytes: 4096,
};

/** A counting gate: `tryEnter` never waits, so an overloaded server answers at once. */
export class ConcurrencyGate {
  private active = 0;
  constructor(readonly max: number) {}

  tryEnter(): boolean {
    if (this.active >= this.max) return false;
    this.active++;
    return true;
  }

  leave(): void {
    if (this.active > 0) this.active--;
  }

  get inUse(): number {
    return this.active;
  }
}
