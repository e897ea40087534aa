// Service time (request parsed -> response ended, as bench/server.ts measures it) of the 9 KB
// grayscale request, plugin vs trusted JS, modes taking turns; plus the worker's own ms.
// Usage: node --import tsx bench/service-9k-micro.ts [rounds] [size]
import { Agent, request } from "node:http";
import path from "node:path";
import { ensureSamples } from "../httpd/samples.ts";
import { ImageServer, type ServiceSample } from "../httpd/server.ts";

const rounds = Number(process.argv[2] ?? 3000);
const size = process.argv[3] ?? "64x48";
const dir = path.join("/tmp", "svc9k-images");
const imagesDir = await ensureSamples(dir);
const samples: ServiceSample[] = [];
let recording = false;
const server = await ImageServer.create({
  imagesDir,
  buildDir: "/tmp/svc9k-build",
  cache: false,
  log: () => {},
  onServiceTime: (s) => {
    if (recording) samples.push(s);
  },
});
const base = new URL(await server.listen(0));
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const get = (p: string) =>
  new Promise<string>((resolve, reject) => {
    const req = request({ host: base.hostname, port: base.port, path: p, agent }, (res) => {
      res.on("data", () => {});
      res.on("end", () => resolve(String(res.headers["server-timing"])));
    });
    req.on("error", reject);
    req.end();
  });
const modes = { plugin: "?plugin=grayscale", js: "?plugin=grayscale&engine=js" } as const;
const worker: Record<string, number[]> = { plugin: [], js: [] };
const ids = Object.keys(modes) as (keyof typeof modes)[];
for (let r = 0; r < rounds + 300; r++) {
  if (r === 300) recording = true;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[(i + r) % 2];
    const st = await get(`/images/valley-${size}.ppm${modes[id]}`);
    const m = /worker;dur=([\d.]+)/.exec(st);
    if (recording && m) worker[id].push(Number(m[1]) * 1000);
  }
}
recording = false;
agent.destroy();
await server.close();
const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1];
for (const id of ids) {
  const ms = samples.filter((s) => s.engine === id).map((s) => s.ms * 1000);
  console.log(
    `${id}: service ${med(ms).toFixed(1)} µs, worker ${med(worker[id]).toFixed(1)} µs (n=${ms.length})`,
  );
}
