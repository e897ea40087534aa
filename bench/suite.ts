// The compute-kernel suite: plain C files in bench/kernels/, compiled unchanged by kplug, gcc
// and tcc. Each exports `int setup(int n)` (allocate and generate inputs) and
// `uint32_t run(int n)` (one timed run, returning a checksum that must agree everywhere).

import path from "node:path";

export interface KernelSpec {
  id: string;
  /** What the kernel does, for the report. */
  what: string;
  /** The size parameter passed to setup() and run(). */
  n: number;
  /** Files the kernel #includes, by include name -> path relative to the repository root. */
  includes: Record<string, string>;
}

export const kernelSuite: KernelSpec[] = [
  {
    id: "gray1210",
    what: "plugins/grayscale.c on a 1210x910 RGB image",
    n: 1,
    includes: { "grayscale.c": "plugins/grayscale.c" },
  },
  { id: "blur", what: "3x3 box blur, 512x512, 10 passes", n: 10, includes: {} },
  { id: "sobel", what: "Sobel gradient magnitude, 512x512, 10 passes", n: 10, includes: {} },
  { id: "crc32", what: "table-driven CRC-32 over 4 MiB", n: 4, includes: {} },
  { id: "sha256", what: "SHA-256 over 1 MiB", n: 1024, includes: {} },
  { id: "sort", what: "quicksort of 1M ints from an LCG", n: 1_000_000, includes: {} },
  { id: "matmul", what: "200x200 double matrix multiply", n: 200, includes: {} },
  { id: "sieve", what: "sieve of Eratosthenes to 10M", n: 10_000_000, includes: {} },
  {
    id: "interp",
    what: "bytecode VM, 3M loop iterations (21M instructions)",
    n: 3_000_000,
    includes: {},
  },
];

export function kernelPath(root: string, k: KernelSpec): string {
  return path.join(root, "bench", "kernels", `${k.id}.c`);
}

/** Include directories for native compilers, derived from the include map. */
export function includeDirs(root: string, k: KernelSpec): string[] {
  return [...new Set(Object.values(k.includes).map((p) => path.dirname(path.join(root, p))))];
}
