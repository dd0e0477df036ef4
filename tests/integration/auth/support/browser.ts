// A cookie-keeping client for next-auth's real route handler (app/api/auth/[...nextauth]) and the
// app's routes, run in-process. Needs the next/headers stand-in (next-request-context.ts) mocked.
import { NextRequest } from "next/server";
import { stampedHeadersForTests } from "@/lib/http/client-address";
import { getCurrentUser } from "@/lib/auth/current-user";
import { asRequest } from "./next-request-context";

type Handler = (request: NextRequest, context: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

const nextAuthRoute = async () => (await import("@/app/api/auth/[...nextauth]/route")) as unknown as { GET: Handler; POST: Handler };

/** A random TEST-NET-3 address, so the sign-in throttle of one test never meets another's. */
export const testAddress = () => `203.0.113.${1 + Math.floor(Math.random() * 250)}`;

export class Browser {
  readonly jar = new Map<string, string>();
  constructor(readonly address = testAddress()) {}

  /** Headers of a request from this browser: its address stamp and its cookies. */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    const cookie = [...this.jar].map(([name, value]) => `${name}=${value}`).join("; ");
    return stampedHeadersForTests(this.address, { ...extra, ...(cookie ? { cookie } : {}) });
  }

  /** Makes the next server calls (getServerSession, server actions) see this browser's request. */
  enter(): void {
    asRequest(this.headers(), this.jar);
  }

  /** Keeps the cookies a response sets, drops the ones it clears. */
  absorb(response: Response): Response {
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = decodeURIComponent(pair.slice(eq + 1));
      const expires = attributes.find((a) => a.toLowerCase().startsWith("expires="));
      const maxAge = attributes.find((a) => a.toLowerCase().startsWith("max-age="));
      const gone = !value || (expires && new Date(expires.slice(8)).getTime() <= Date.now()) || maxAge?.slice(8) === "0";
      if (gone) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return response;
  }

  /** Calls next-auth's handler at /api/auth/<path>, as a form post when `form` is given. */
  async nextAuth(path: string, form?: Record<string, string>): Promise<Response> {
    const route = await nextAuthRoute();
    const url = `http://localhost:3000/api/auth/${path}`;
    const request = form
      ? new NextRequest(url, {
          method: "POST",
          headers: this.headers({ "content-type": "application/x-www-form-urlencoded" }),
          body: new URLSearchParams(form).toString(),
        })
      : new NextRequest(url, { headers: this.headers() });
    this.enter();
    const handler = form ? route.POST : route.GET;
    return this.absorb(await handler(request, { params: Promise.resolve({ nextauth: path.split("/") }) }));
  }

  /** Signs in through next-auth's Credentials callback, as next-auth's client does. Returns the redirect. */
  async signIn(email: string, password: string): Promise<{ status: number; location: string | null; url: string | undefined }> {
    const { csrfToken } = (await (await this.nextAuth("csrf")).json()) as { csrfToken: string };
    const response = await this.nextAuth("callback/credentials", { csrfToken, email, password, callbackUrl: "/dashboard", json: "true" });
    const body = (await response.json().catch(() => ({}))) as { url?: string };
    return { status: response.status, location: response.headers.get("location"), url: body.url };
  }

  /** Signs out through next-auth's own endpoint. */
  async signOut(): Promise<Response> {
    const { csrfToken } = (await (await this.nextAuth("csrf")).json()) as { csrfToken: string };
    return this.nextAuth("signout", { csrfToken, json: "true" });
  }

  /** What next-auth's session endpoint says about this browser. */
  async session(): Promise<{ user?: { email?: string; id?: string } }> {
    return (await this.nextAuth("session")).json();
  }

  /** The app's answer to "who is signed in?" for a request from this browser. */
  async currentUser() {
    this.enter();
    return getCurrentUser();
  }

  /** The session cookie (name and value), to copy into another browser. */
  sessionCookie(): [string, string] {
    const entry = [...this.jar].find(([name]) => name.endsWith("next-auth.session-token"));
    if (!entry) throw new Error("no session cookie");
    return entry;
  }

  /** A second browser holding a copy of this one's session cookie. */
  copy(): Browser {
    const other = new Browser(testAddress());
    other.jar.set(...this.sessionCookie());
    return other;
  }

  /** A Request to an app route from this browser. */
  request(path: string, init: { method?: string; json?: unknown } = {}): Request {
    this.enter();
    return new Request(`http://localhost:3000${path}`, {
      method: init.method ?? (init.json === undefined ? "GET" : "POST"),
      headers: this.headers(init.json === undefined ? {} : { "content-type": "application/json" }),
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
  }
}
