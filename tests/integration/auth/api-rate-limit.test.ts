// The API rate limit: the counter itself (pinned clock, parallel requests) and the routes it guards.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { hitRateLimits, pruneRateLimits } from "@/lib/http/rate-limit";
import { stampedHeadersForTests } from "@/lib/http/client-address";
import { db } from "@/lib/db";
import { createUser } from "../../support/factories";

// Read by lib/env.ts on first use, which comes after this (routes are imported below).
vi.stubEnv("API_RATE_LIMIT_MAX", "3");
vi.stubEnv("API_RATE_LIMIT_WINDOW_SECONDS", "600");

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId } } : null),
}));

const { GET: listConnections } = await import("@/app/api/amazon/connections/route");
const { GET: unknownPath, POST: unknownPathPost } = await import("@/app/api/[[...path]]/route");
const { GET: health } = await import("@/app/api/health/route");
const { GET: callback } = await import("@/app/api/amazon/callback/route");

const ctx = <P>(params: P) => ({ params: Promise.resolve(params) });
let addressCounter = 0;
const freshAddress = () => `198.18.${Math.floor(Math.random() * 200)}.${(addressCounter++ % 250) + 1}`;
const from = (address: string, path = "/api/amazon/connections") => new Request(`http://app${path}`, { headers: stampedHeadersForTests(address) });

afterAll(() => {
  vi.unstubAllEnvs();
});

describe("rate-limit counter", () => {
  const key = () => `test:${Math.random().toString(36).slice(2)}`;
  const t0 = new Date("2032-01-02T03:04:05.000Z");
  const plus = (ms: number) => new Date(t0.getTime() + ms);

  it("allows `max` requests per window from the first one, then answers with the time left", async () => {
    const rule = { key: key(), max: 3, windowMs: 60_000 };
    for (let i = 0; i < 3; i++) expect(await hitRateLimits([rule], plus(i * 1000))).toEqual({ allowed: true });
    expect(await hitRateLimits([rule], plus(3000))).toEqual({ allowed: false, retryAfterSeconds: 57 });
    expect(await hitRateLimits([rule], plus(30_000))).toEqual({ allowed: false, retryAfterSeconds: 30 });
    // The window ends 60 s after its first request: a new one starts.
    expect(await hitRateLimits([rule], plus(60_000))).toEqual({ allowed: true });
  });

  it("counts parallel requests one by one", async () => {
    const rule = { key: key(), max: 5, windowMs: 60_000 };
    const decisions = await Promise.all(Array.from({ length: 20 }, () => hitRateLimits([rule], t0)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
  });

  it("refuses when any of the keys is over its limit, and reports the longest wait", async () => {
    const tight = { key: key(), max: 1, windowMs: 10_000 };
    const loose = { key: key(), max: 100, windowMs: 60_000 };
    expect(await hitRateLimits([tight, loose], t0)).toEqual({ allowed: true });
    expect(await hitRateLimits([tight, loose], plus(1000))).toEqual({ allowed: false, retryAfterSeconds: 9 });
    expect(await hitRateLimits([loose], plus(2000))).toEqual({ allowed: true });
    expect(await hitRateLimits([{ ...tight, max: 0 }], plus(3000))).toEqual({ allowed: true });
  });

  it("prunes counters whose window has ended", async () => {
    const rule = { key: key(), max: 5, windowMs: 1000 };
    await hitRateLimits([rule], t0);
    await pruneRateLimits(plus(500));
    expect(await db.rateLimitCounter.count({ where: { key: rule.key } })).toBe(1);
    await pruneRateLimits(plus(1000));
    expect(await db.rateLimitCounter.count({ where: { key: rule.key } })).toBe(0);
  });
});

describe("API routes under the limit (3 per 10 minutes in this file)", () => {
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2032-02-03T04:05:06Z") });
    session.userId = (await createUser("limited")).id;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("answers 429 rate_limited JSON with Retry-After once a user is over the limit", async () => {
    const address = freshAddress();
    for (let i = 0; i < 3; i++) expect((await listConnections(from(address), ctx({}))).status).toBe(200);
    const refused = await listConnections(from(address), ctx({}));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("600");
    expect(await refused.json()).toEqual({ error: { code: "rate_limited", message: "Too many requests. Please try again in 10 minutes." } });
    // Ten minutes later the user is served again.
    vi.setSystemTime(new Date("2032-02-03T04:15:06Z"));
    expect((await listConnections(from(address), ctx({}))).status).toBe(200);
  });

  it("limits a user across addresses and an address across users", async () => {
    const user = session.userId;
    for (let i = 0; i < 3; i++) expect((await listConnections(from(freshAddress()), ctx({}))).status).toBe(200);
    expect((await listConnections(from(freshAddress()), ctx({}))).status).toBe(429);

    const shared = freshAddress();
    for (let i = 0; i < 3; i++) {
      session.userId = (await createUser("office")).id;
      expect((await listConnections(from(shared), ctx({}))).status).toBe(200);
    }
    session.userId = (await createUser("office")).id;
    expect((await listConnections(from(shared), ctx({}))).status).toBe(429);
    // Someone else, somewhere else, is not affected.
    expect(user).not.toBe(session.userId);
    expect((await listConnections(from(freshAddress()), ctx({}))).status).toBe(200);
  });

  it("counts visitors who are not signed in by address (429 before 401)", async () => {
    session.userId = null;
    const address = freshAddress();
    for (let i = 0; i < 3; i++) expect((await listConnections(from(address), ctx({}))).status).toBe(401);
    expect((await listConnections(from(address), ctx({}))).status).toBe(429);
  });

  it("covers unknown API paths (404 JSON) and the Amazon callback, not the health check", async () => {
    session.userId = null;
    const address = freshAddress();
    const missing = await unknownPath(from(address, "/api/nope"), ctx({ path: ["nope"] }));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: "not_found", message: "No API endpoint at this path." } });
    expect((await unknownPathPost(from(address, "/api/nope"), ctx({ path: ["nope"] }))).status).toBe(404);
    expect((await callback(from(address, "/api/amazon/callback?state=x"))).status).toBe(303);
    const refused = await unknownPath(from(address, "/api/nope"), ctx({ path: ["nope"] }));
    expect(refused.status).toBe(429);
    expect((await callback(from(address, "/api/amazon/callback?state=x"))).status).toBe(429);
    expect((await health()).status).toBe(200);
  });

  it("never counts a client-chosen x-client-address or X-Forwarded-For as an address of its own", async () => {
    session.userId = null;
    const claimed = [freshAddress(), freshAddress(), freshAddress(), freshAddress()];
    for (const address of claimed) {
      const request = new Request("http://app/api/amazon/connections", { headers: { "x-client-address": address, "x-forwarded-for": address } });
      expect([401, 429]).toContain((await listConnections(request, ctx({}))).status);
    }
    // They all counted against the one unknown address, none against the address it claimed.
    expect(await db.rateLimitCounter.count({ where: { key: { in: claimed.map((address) => `api:ip:${address}`) } } })).toBe(0);
    expect(await db.rateLimitCounter.count({ where: { key: "api:ip:unknown" } })).toBe(1);
  });
});
