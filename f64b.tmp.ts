import { Kernel } from "./index.ts";
const src = `
static unsigned char buf[1 << 20];
int run(int reps) { unsigned char *p = buf; for (int r = 0; r < reps; r++) for (int i = 0; i < (1 << 20); i++) p[i] = (unsigned char)(p[i] + 3); return p[5]; }
`;
const k = new Kernel();
const rt = k.createRuntime("r", { fuel: 5e9 });
rt.add("p", src);
const f = rt.lookup("run");
for (const reps of [1, 2, 100, 4600]) {
  const before = rt.plugin("p")!.stats.fuelUsed;
  const t0 = performance.now();
  const v = f(reps);
  console.log(reps, v, rt.plugin("p")!.stats.fuelUsed - before, (performance.now() - t0).toFixed(0), "ms");
}
