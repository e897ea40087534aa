// The image formats the server reads and writes, once: their names (with the aliases a file
// extension or ?format= may use) and their media types. Browser-safe: no Node imports.

export type ImageFormat = "ppm" | "pgm" | "png" | "jpeg" | "webp";

/** Media type of each format (Content-Type of responses, and the types Accept negotiates). */
export const CONTENT_TYPES: Record<ImageFormat, string> = {
  ppm: "image/x-portable-pixmap",
  pgm: "image/x-portable-graymap",
  png: "image/png",
  jpeg: "image/jpeg",
  webp: "image/webp",
};

export const IMAGE_FORMATS = Object.keys(CONTENT_TYPES) as ImageFormat[];

/** Every spelling of a format, as a file extension or a ?format= value (lower case). */
const SPELLINGS: Record<string, ImageFormat> = {
  ...Object.fromEntries(IMAGE_FORMATS.map((f) => [f, f])),
  jpg: "jpeg",
};

/** The format a name spells (`jpg`, `PNG`...), or undefined. */
export function formatNamed(name: string): ImageFormat | undefined {
  const key = name.toLowerCase();
  return Object.hasOwn(SPELLINGS, key) ? SPELLINGS[key] : undefined;
}

/** The format of a file, from its extension. */
export function formatFromName(name: string): ImageFormat | undefined {
  return formatNamed(name.slice(name.lastIndexOf(".") + 1));
}

export const isPnmFormat = (format: ImageFormat): format is "ppm" | "pgm" =>
  format === "ppm" || format === "pgm";
