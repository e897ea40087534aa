// The image plugin ABI's header, `kplug/image.h`, as text: read from include/kplug/image.h by the
// compiler (which finds it there by itself). Node-only; the rest of the ABI is plugin-abi.ts.

import { kplugHeaders } from "../cc/index.ts";

export const IMAGE_HEADER_NAME = "kplug/image.h";

/** The header's text. */
export const IMAGE_HEADER: string = kplugHeaders[IMAGE_HEADER_NAME]!;
