#!/usr/bin/env node
// Launches the TypeScript CLI through tsx's loader, so `kplug` works from a checkout or an install.
import { register } from "tsx/esm/api";

register();
await import("../cli/main.ts");
