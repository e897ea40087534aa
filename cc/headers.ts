// The built-in headers of KP-C (wasm32, ILP32: int, long, pointers and size_t are 32 bits, long
// long 64; char is signed). Their text lives in include/ as real .h files, the one source of
// truth: shipped in the package, read here once at load (so the compiler needs no flags or file
// access from its caller), and written out by `kplug headers` for editors. include/*.h is the C
// library, whose functions the kernel provides as host functions (`libcFunctions` lists them so
// the kernel can check its coverage; the few a header defines, <wchar.h>'s, are compiled into
// the plugin and metered like its own loops); include/kplug/*.h are kplug's plugin ABIs.

import { readdirSync, readFileSync } from "node:fs";

/**
 * The directory of the header files: include/ beside cc/ in a checkout; the build copies it to
 * dist/include, beside dist/cc/.
 */
export const INCLUDE_DIR: URL = new URL("../include/", import.meta.url);

/** The .h files of `sub` (a subdirectory of INCLUDE_DIR, or ""), keyed by include name. */
function readHeaders(sub: string): Record<string, string> {
  const dir = new URL(sub, INCLUDE_DIR);
  // Null prototype: `#include <constructor>` must find nothing, not Object's method.
  const headers: Record<string, string> = Object.create(null);
  for (const file of readdirSync(dir).sort()) {
    if (file.endsWith(".h")) headers[sub + file] = readFileSync(new URL(file, dir), "utf8");
  }
  return headers;
}

/** The C library headers (<stdio.h>, <stdint.h>, ...), by include name. */
export const builtinHeaders: Record<string, string> = readHeaders("");

/** kplug's own headers ("kplug/image.h", the image plugin ABI), by include name. */
export const kplugHeaders: Record<string, string> = readHeaders("kplug/");

/** Every built-in header, by include name: what the preprocessor finds without `includes`. */
export const allHeaders: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null), builtinHeaders, kplugHeaders),
);

/** Every function declared by the built-in headers (the kernel provides each one). */
export const libcFunctions: readonly string[] = [
  // <stdio.h>
  "printf",
  "fprintf",
  "sprintf",
  "snprintf",
  "vprintf",
  "vfprintf",
  "vsprintf",
  "vsnprintf",
  "scanf",
  "fscanf",
  "sscanf",
  "vscanf",
  "vfscanf",
  "vsscanf",
  "putchar",
  "puts",
  "fputc",
  "putc",
  "fputs",
  "fwrite",
  "fflush",
  "getchar",
  "fgetc",
  "getc",
  "ungetc",
  "fgets",
  "fread",
  "feof",
  "ferror",
  "clearerr",
  "fopen",
  "fclose",
  "perror",
  // <errno.h>
  "__errno_location",
  // <string.h>
  "memcpy",
  "memmove",
  "memset",
  "memcmp",
  "strlen",
  "strcmp",
  "strncmp",
  "strcpy",
  "strncpy",
  "strcat",
  "strchr",
  "strrchr",
  "strstr",
  "memchr",
  "strncat",
  "strspn",
  "strcspn",
  "strpbrk",
  "strtok",
  "strdup",
  "strndup",
  // <stdlib.h>
  "malloc",
  "calloc",
  "realloc",
  "free",
  "abs",
  "labs",
  "llabs",
  "exit",
  "abort",
  "atoi",
  "rand",
  "srand",
  "qsort",
  "atol",
  "atoll",
  "atof",
  "strtol",
  "strtoul",
  "strtoll",
  "strtoull",
  "strtod",
  "strtof",
  "bsearch",
  "atexit",
  // <math.h>
  "sqrt",
  "fabs",
  "floor",
  "ceil",
  "round",
  "trunc",
  "fmod",
  "pow",
  "exp",
  "exp2",
  "log",
  "log2",
  "log10",
  "sin",
  "cos",
  "tan",
  "asin",
  "acos",
  "atan",
  "atan2",
  "sinh",
  "cosh",
  "tanh",
  "hypot",
  "fmin",
  "fmax",
  "cbrt",
  "sqrtf",
  "fabsf",
  "floorf",
  "ceilf",
  "roundf",
  "truncf",
  "fminf",
  "fmaxf",
  "powf",
  "expf",
  "logf",
  "sinf",
  "cosf",
  "fmodf",
  "exp2f",
  "log2f",
  "log10f",
  "tanf",
  "asinf",
  "acosf",
  "atanf",
  "atan2f",
  "sinhf",
  "coshf",
  "tanhf",
  "hypotf",
  "cbrtf",
  "__fpclassify",
  "__fpclassifyf",
  "__signbit",
  "frexp",
  "ldexp",
  "scalbn",
  "modf",
  "rint",
  "nearbyint",
  "lrint",
  "llrint",
  "lround",
  "llround",
  "copysign",
  "nextafter",
  "expm1",
  "log1p",
  "fdim",
  "frexpf",
  "ldexpf",
  "modff",
  "rintf",
  "nearbyintf",
  "lrintf",
  "lroundf",
  "copysignf",
  "nextafterf",
  "expm1f",
  "log1pf",
  // <time.h>
  "clock",
  "time",
  "difftime",
  // <ctype.h>
  "isdigit",
  "isalpha",
  "isalnum",
  "isspace",
  "isupper",
  "islower",
  "isxdigit",
  "isprint",
  "isgraph",
  "ispunct",
  "iscntrl",
  "isblank",
  "toupper",
  "tolower",
  // <assert.h>
  "__assert_fail",
  // <setjmp.h> (setjmp itself is compiled inline: cc/intrinsics.ts)
  "longjmp",
];
