// A tiny method+path router: patterns like "/reports/2021-06-30/reports/:reportId".
export interface Route<H> {
  method: string;
  parts: string[];
  handler: H;
}

export class Router<H> {
  private readonly routes: Array<Route<H>> = [];

  add(method: string, pattern: string, handler: H): this {
    this.routes.push({ method, parts: pattern.split("/").filter(Boolean), handler });
    return this;
  }

  /** Matching route and params; `methodMismatch` when the path exists under another method. */
  match(method: string, pathname: string): { handler: H; params: Record<string, string> } | { methodMismatch: boolean } {
    const segments = pathname.split("/").filter(Boolean);
    let methodMismatch = false;
    for (const route of this.routes) {
      if (route.parts.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < route.parts.length; i++) {
        const part = route.parts[i] ?? "";
        const seg = segments[i] ?? "";
        if (part.startsWith(":")) params[part.slice(1)] = decodeURIComponent(seg);
        else if (part !== seg) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      if (route.method !== method) {
        methodMismatch = true;
        continue;
      }
      return { handler: route.handler, params };
    }
    return { methodMismatch };
  }
}
