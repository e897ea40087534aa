// The image server's public face: what the CLI (and an embedding app) uses of httpd/.

export { ensureSamples } from "./samples.ts";
export { ImageServer, type ServerOptions } from "./server.ts";
