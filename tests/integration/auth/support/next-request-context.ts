// A stand-in for `next/headers` (the edge between Next.js and our code): the request's headers and
// cookie jar of the "current request", which tests set before calling a route, next-auth's handler,
// getServerSession or a server action. Cookies set by the code under test land in `jar` and in `set`.
// Use: vi.mock("next/headers", async () => (await import("./support/next-request-context")).nextHeaders);
// next-auth loads next/headers with require(), which vi.mock does not see; importing this module also
// puts the stand-in into Node's require cache for it.
import { createRequire } from "node:module";
export interface SetCookie {
  name: string;
  value: string;
  options: Record<string, unknown>;
}

export const requestContext = {
  headers: new Headers(),
  jar: new Map<string, string>(),
  set: [] as SetCookie[],
};

/** Makes the next calls run as a request with these headers and cookies. */
export function asRequest(headers: Record<string, string>, jar: Map<string, string>): void {
  requestContext.headers = new Headers(headers);
  requestContext.jar = jar;
  requestContext.set = [];
}

function expired(options: Record<string, unknown>): boolean {
  const expires = options.expires;
  return (expires instanceof Date && expires.getTime() <= Date.now()) || options.maxAge === 0;
}

const cookieStore = {
  getAll: () => [...requestContext.jar].map(([name, value]) => ({ name, value })),
  get: (name: string) => (requestContext.jar.has(name) ? { name, value: requestContext.jar.get(name)! } : undefined),
  has: (name: string) => requestContext.jar.has(name),
  set(name: string, value: string, options: Record<string, unknown> = {}) {
    requestContext.set.push({ name, value, options });
    if (!value || expired(options)) requestContext.jar.delete(name);
    else requestContext.jar.set(name, value);
    return cookieStore;
  },
  delete(name: string) {
    requestContext.set.push({ name, value: "", options: { maxAge: 0 } });
    requestContext.jar.delete(name);
    return cookieStore;
  },
};

export const nextHeaders = {
  headers: async () => requestContext.headers,
  cookies: async () => cookieStore,
  draftMode: async () => ({ isEnabled: false }),
};

const require = createRequire(import.meta.url);
const resolved = require.resolve("next/headers");
require.cache[resolved] = { id: resolved, filename: resolved, loaded: true, exports: nextHeaders } as unknown as NodeJS.Module;
