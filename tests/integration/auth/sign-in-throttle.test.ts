// The sign-in throttle against the two ways around it: a client that rewrites X-Forwarded-For on
// every guess, and a burst of parallel guesses.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { authOptions } from "@/lib/auth/auth-options";
import { authenticate } from "@/lib/auth/authenticate";
import { FREE_FAILURES } from "@/lib/auth/sign-in-throttle";
import { signUp } from "@/lib/auth/sign-up";
import { installClientAddressHook } from "@/lib/http/client-address-hook";
import { parseTrustedProxies } from "@/lib/http/client-address";
import { uniqueEmail } from "../../support/factories";

type Authorize = (credentials: Record<string, string>, request: { headers: IncomingHttpHeaders }) => Promise<unknown>;

// next-auth's Credentials provider keeps the app's authorize() in `options`.
const authorize = (authOptions().providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize;

/** Sign-in through authorize() behind a real Node HTTP server, as next-auth calls it (request headers as an object). */
let server: Server;
let base: string;

beforeAll(async () => {
  installClientAddressHook(parseTrustedProxies(undefined));
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", async () => {
      try {
        const user = await authorize(JSON.parse(body) as Record<string, string>, { headers: { ...request.headers } });
        response.end(JSON.stringify({ outcome: user ? "signed-in" : "wrong" }));
      } catch (error) {
        response.end(JSON.stringify({ outcome: (error as Error).message.split(":")[0] }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  vi.useRealTimers();
  await new Promise((resolve) => server.close(resolve));
});

async function signIn(email: string, password: string, headers: Record<string, string>): Promise<string> {
  const response = await fetch(base, { method: "POST", headers, body: JSON.stringify({ email, password }) });
  return ((await response.json()) as { outcome: string }).outcome;
}

describe("sign-in throttle", () => {
  it("keeps counting a client that changes X-Forwarded-For (and x-client-address) on every guess", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2031-03-04T05:06:07Z") });
    const victim = uniqueEmail("victim");
    await signUp({ email: victim, password: "right password 1" });
    // Every guess targets another email, so only the address can lock; every guess claims another address.
    for (let i = 0; i <= FREE_FAILURES; i++) {
      const spoofed = { "x-forwarded-for": `198.51.100.${i + 1}`, "x-client-address": `192.0.2.${i + 1}`, "x-client-address-token": "guess" };
      expect(await signIn(uniqueEmail(), "guess 123456", spoofed)).toBe("wrong");
    }
    expect(await signIn(victim, "right password 1", { "x-forwarded-for": "203.0.113.200" })).toBe("TooManyAttempts");
    vi.useRealTimers();
  });

  it("lets at most the allowance through when guesses arrive in parallel", async () => {
    const now = new Date("2031-05-06T07:08:09Z");
    const email = uniqueEmail("burst");
    await signUp({ email, password: "right password 1" });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => authenticate({ email, password: `wrong guess ${i}` }, "198.51.100.20", now)));
    const checked = results.filter((result) => result.ok === false && result.reason === "invalid_credentials");
    expect(checked.length).toBeLessThanOrEqual(FREE_FAILURES + 1);
    expect(results.filter((result) => !result.ok && result.reason === "too_many_attempts").length).toBe(20 - checked.length);
    // The lock holds against the right password too, until it expires.
    expect(await authenticate({ email, password: "right password 1" }, "198.51.100.21", now)).toMatchObject({ reason: "too_many_attempts" });
    const later = new Date(now.getTime() + 16 * 60_000);
    expect((await authenticate({ email, password: "right password 1" }, "198.51.100.21", later)).ok).toBe(true);
  });

  it("gives a successful attempt's count back to the address", async () => {
    const now = new Date("2031-07-08T09:10:11Z");
    const address = "198.51.100.30";
    const email = uniqueEmail("regular");
    await signUp({ email, password: "right password 1" });
    // More successful sign-ins than the allowance from one address never lock it.
    for (let i = 0; i < FREE_FAILURES + 3; i++) expect((await authenticate({ email, password: "right password 1" }, address, now)).ok).toBe(true);
    for (let i = 0; i < FREE_FAILURES; i++) await authenticate({ email: uniqueEmail(), password: "guess 123456" }, address, now);
    expect((await authenticate({ email, password: "right password 1" }, address, now)).ok).toBe(true);
  });

  it("answers an email with control characters as malformed, before any query", async () => {
    expect(await authenticate({ email: "a\u0000b@example.test", password: "whatever 123" }, "198.51.100.40")).toEqual({ ok: false, reason: "malformed" });
  });

  it("counts IPv6 clients by their /64", async () => {
    const now = new Date("2031-09-10T11:12:13Z");
    const victim = uniqueEmail("v6");
    await signUp({ email: victim, password: "right password 1" });
    for (let i = 0; i <= FREE_FAILURES; i++) await authenticate({ email: uniqueEmail(), password: "guess 123456" }, `2001:db8:77:1::${i + 1}`, now);
    expect(await authenticate({ email: victim, password: "right password 1" }, "2001:db8:77:1::ffff", now)).toMatchObject({ reason: "too_many_attempts" });
  });
});
