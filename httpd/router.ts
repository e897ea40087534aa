// A small router: method + path pattern ("/clients/:id/plugins/:name") to a named route and its
// handler; the name labels the request in metrics, logs and service-time samples. Path
// segments are split before they are percent-decoded, so an encoded slash stays inside its
// segment; a segment that decodes to "." or ".." (including %2e%2e) is refused outright.

export type RouteParams = Record<string, string>;

export class PathRefused extends Error {}

interface Route<H> {
  method: string;
  parts: string[];
  name: string;
  handler: H;
}

export interface Match<H> {
  /** The route's name, e.g. "image" for GET /images/:name. */
  name: string;
  handler: H;
  params: RouteParams;
}

export function splitPath(pathname: string): string[] {
  const segments = pathname.split("/").filter((s, i) => i > 0 && s !== "");
  return segments.map((s) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(s);
    } catch {
      throw new PathRefused(`malformed percent-encoding in path segment '${s}'`);
    }
    if (decoded === "." || decoded === ".." || decoded.includes("\0")) {
      throw new PathRefused(`forbidden path segment '${s}'`);
    }
    return decoded;
  });
}

export class Router<H> {
  private readonly routes: Route<H>[] = [];

  /** Adds the route `name`: several method/pattern pairs may share one name. */
  add(method: string, pattern: string, name: string, handler: H): this {
    this.routes.push({ method, parts: pattern.split("/").filter(Boolean), name, handler });
    return this;
  }

  /**
   * The matching route, `"method"` if the path exists under another method (405), or
   * undefined (404). Throws PathRefused for traversal attempts.
   */
  match(method: string, pathname: string): Match<H> | "method" | undefined {
    const segments = splitPath(pathname);
    let pathMatched = false;
    for (const route of this.routes) {
      if (route.parts.length !== segments.length) continue;
      const params: RouteParams = {};
      let ok = true;
      for (let i = 0; i < segments.length; i++) {
        const p = route.parts[i];
        if (p.startsWith(":")) params[p.slice(1)] = segments[i];
        else if (p !== segments[i]) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      if (route.method === method || (method === "HEAD" && route.method === "GET")) {
        return { name: route.name, handler: route.handler, params };
      }
      pathMatched = true;
    }
    return pathMatched ? "method" : undefined;
  }

  allowed(pathname: string): string[] {
    const segments = splitPath(pathname);
    return this.routes
      .filter(
        (r) =>
          r.parts.length === segments.length &&
          r.parts.every((p, i) => p.startsWith(":") || p === segments[i]),
      )
      .map((r) => r.method);
  }
}
