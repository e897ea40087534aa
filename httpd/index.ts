// The image server's public face, `kplug/server`: what the CLI and an embedding app use of
// httpd/. `ImageServer.create(options)` loads the plugin library and clients without
// listening; `server.handler` is a node:http `(req, res)` handler, or `server.listen(port)`.

export { ensureSamples } from "./samples.ts";
export { ImageServer, type ServerOptions, type ServiceSample } from "./server.ts";
