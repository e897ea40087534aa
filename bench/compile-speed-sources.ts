// Generated C sources for the compile-speed group (issue 15): big static data and
// macro-heavy code. Each source defines `int sum(void)` over its data, so a build's values can
// be checked by running it (test/cc/big-initializers.test.ts compares kplug with gcc).

export interface CompileSpeedSource {
  id: string;
  label: string;
  text: string;
}

/** Elements in the big initializers (the figure). */
export const BIG_ELEMENTS = 200_000;

/** A deterministic spread of values, negatives included, so no run of equal bytes helps. */
function value(i: number): number {
  return ((i * 2654435761) % 1000003) - 500000;
}

/** `int data[200000] = {...}` (about 1.4 MB of source). */
export function intArraySource(n = BIG_ELEMENTS): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(String(value(i)));
  return (
    `int data[${n}] = {\n${parts.join(",")}\n};\n` +
    `int sum(void) {\n  int s = 0;\n  for (int i = 0; i < ${n}; i++) s = s * 31 + data[i];\n  return s;\n}\n`
  );
}

/** An array of structs with int, short, char and double members, braced per element (3.3 MB). */
export function structArraySource(n = BIG_ELEMENTS): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(`{${i},${i % 300},${i % 100},${i % 10}}`);
  return (
    "struct point { int x; short y; char c; double d; };\n" +
    `struct point pts[] = {\n${parts.join(",")}\n};\n` +
    "int sum(void) {\n  int s = 0;\n" +
    `  for (int i = 0; i < ${n}; i++)\n` +
    "    s = s * 31 + pts[i].x + pts[i].y + pts[i].c + (int)(pts[i].d * 2);\n" +
    "  return s;\n}\n"
  );
}

/** A 1 MiB char array from adjacent string literals of 64 characters. */
export function stringSource(bytes = 1 << 20): string {
  const lines: string[] = [];
  let seed = 1;
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 .,;:!-+*/ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (let made = 0; made + 64 < bytes; made += 64) {
    let s = "";
    for (let k = 0; k < 64; k++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      s += alphabet[(seed >>> 16) % alphabet.length];
    }
    lines.push(`  "${s}"`);
  }
  return (
    `const char text[] =\n${lines.join("\n")};\n` +
    "int sum(void) {\n  int s = 0;\n" +
    "  for (unsigned i = 0; i < sizeof text; i++) s = s * 31 + text[i];\n" +
    "  return s;\n}\n"
  );
}

/**
 * X-macros and nested function-like macros: a table of `rows` entries expanded twice (an enum
 * and a function body), each use going through four levels of function-like macros, so the
 * source expands about 8 × `rows` macros.
 */
export function macroSource(rows = 15_000): string {
  const table: string[] = [];
  for (let i = 0; i < rows; i++) table.push(`  X(k${i}, ${i % 977})`);
  return (
    "#define ADD(a, b) ((a) + (b))\n" +
    "#define MUL(a, b) ((a) * (b))\n" +
    "#define MIX(x, y) ADD(MUL(x, 31), y)\n" +
    `#define TABLE \\\n${table.join(" \\\n")}\n` +
    "#define X(name, v) name,\nenum key { TABLE KEY_COUNT };\n#undef X\n" +
    "#define X(name, v) s = MIX(s, ADD(name, v));\n" +
    "int sum(void) {\n  int s = 0;\n  TABLE\n  return s;\n}\n"
  );
}

/** The sources at `scale` of the sizes (`--quick` uses a tenth, to keep the smoke run short). */
export function compileSpeedSources(scale = 1): CompileSpeedSource[] {
  const n = Math.round(BIG_ELEMENTS * scale);
  const bytes = Math.round((1 << 20) * scale);
  const rows = Math.round(15_000 * scale);
  return [
    { id: "int-array", label: `int[${n}] initializer`, text: intArraySource(n) },
    { id: "struct-array", label: `struct[${n}] initializer`, text: structArraySource(n) },
    {
      id: "string",
      label: `${(bytes / 1024).toFixed(0)} KiB char array (string literals)`,
      text: stringSource(bytes),
    },
    { id: "macros", label: `X-macros, ${rows * 8} expansions`, text: macroSource(rows) },
  ];
}
