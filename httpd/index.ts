// The image server's public face, `kplug/server`: what the CLI and an embedding app use of
// httpd/. `ImageServer.create(options)` loads the plugin library and clients without
// listening; `server.handler` is a node:http `(req, res)` handler, or `server.listen(port)`.

export {
  IMAGE_PARAM_NAMES,
  type ImageRunOptions,
  type ImageRunResult,
  outputFormatOf,
  runImagePlugin,
} from "./image-run.ts";
export { PluginRejected } from "./plugin-check.ts";
export { BadPluginOutput, RuntimeMemoryExhausted, TransformRejected } from "./plugin-runner.ts";
export { ImageDecodeError } from "./raw-image.ts";
export { ensureSamples } from "./samples.ts";
export { ImageServer, type ServerOptions, type ServiceSample } from "./server.ts";
export { isSharpMissing } from "./sharp.ts";
export { BadRequest } from "./transcode.ts";
