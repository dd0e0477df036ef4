// GET /api/metrics: who may read it (an operator, or the METRICS_TOKEN bearer; everyone else a 404),
// the sync_runs gauges read from the database at scrape time, the SP-API counters after real calls to
// the sandbox through the real client, and the request id every API answer carries. The gauges count
// every tenant's runs, so this file works on a database of its own.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { useOwnDatabase, type OwnDatabase } from "../../support/own-database";
import { sandboxConfig } from "../../support/amazon/sandbox-helpers";
import { startSandbox, type Sandbox } from "../../../sandbox/server";
import { TokenBucketRateLimiter } from "@/lib/amazon/rate-limit/token-bucket";

const session = vi.hoisted(() => ({ userId: null as string | null }));
// Set before the environment is first read: the operator list, the scrape token, and debug logs (the
// per-request line the request-id test reads).
const config = vi.hoisted(() => {
  const operator = `operator-${Math.random().toString(36).slice(2)}@example.test`;
  const token = `metrics-${Math.random().toString(36).slice(2)}-${"t".repeat(24)}`;
  process.env.OPERATOR_EMAILS = operator;
  process.env.METRICS_TOKEN = token;
  process.env.LOG_LEVEL = "debug";
  return { operator, token };
});
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId } } : null),
}));

const own: OwnDatabase = await useOwnDatabase();
const { db } = await import("@/lib/db");
const { GET: metricsRoute, POST: metricsPost } = await import("@/app/api/metrics/route");
const { GET: runsRoute } = await import("@/app/api/runs/route");
const { createSpApiClient } = await import("@/lib/amazon/sp-api-client");
const { SpApiError } = await import("@/lib/amazon/errors");

const ctx = { params: Promise.resolve({}) };
const scrape = (headers: Record<string, string> = {}) => metricsRoute(new Request("http://app/api/metrics", { headers }), ctx);
const withToken = () => scrape({ authorization: `Bearer ${config.token}` });

/** The samples of one metric in Prometheus' text format: labels and value per line. */
function samples(text: string, name: string): Array<{ labels: Record<string, string>; value: number }> {
  const out: Array<{ labels: Record<string, string>; value: number }> = [];
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labels = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    out.push({ labels, value: Number(match[3]) });
  }
  return out;
}

/** One sample's value (0 when the series is absent): the one whose labels include `labels`. */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  const found = samples(text, name).filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${found.length} series`);
  return found[0]?.value ?? 0;
}

async function signInAs(email: string) {
  session.userId = (await db.user.upsert({ where: { email }, create: { email, passwordHash: "not-a-real-hash" }, update: {} })).id;
}

afterAll(async () => {
  await db.$disconnect();
  await own.close();
});

// Debug lines go to console.log under Vitest (lib/observability/create-logger.ts): kept here, not printed.
let consoleLog: MockInstance<typeof console.log>;
beforeEach(() => {
  consoleLog = vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => consoleLog.mockRestore());

describe("who may read /api/metrics", () => {
  it("answers a visitor who is not signed in with the 404 of an unknown API path", async () => {
    session.userId = null;
    const res = await scrape();
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: "No API endpoint at this path." } });
  });

  it("answers a wrong or malformed bearer with a 404 too", async () => {
    session.userId = null;
    const wrong = config.token.slice(0, -1) + (config.token.endsWith("x") ? "y" : "x");
    for (const authorization of [`Bearer ${wrong}`, `Bearer ${config.token}extra`, config.token, `Basic ${config.token}`, "Bearer"]) {
      expect((await scrape({ authorization })).status, authorization).toBe(404);
    }
  });

  it("answers a signed-in user who is not an operator with a 404", async () => {
    await signInAs(`seller-${Math.random().toString(36).slice(2)}@example.test`);
    const res = await scrape();
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("serves the text format to a signed-in operator", async () => {
    await signInAs(config.operator);
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const text = await res.text();
    expect(text).toContain("# TYPE sync_runs gauge");
    expect(text).toContain("# TYPE spapi_calls_total counter");
    expect(text).toContain("# TYPE sync_run_duration_seconds histogram");
    // Node's process metrics are on the same registry.
    expect(text).toContain("# TYPE process_cpu_user_seconds_total counter");
  });

  it("serves it to the METRICS_TOKEN bearer without a session (any case of the scheme)", async () => {
    session.userId = null;
    for (const scheme of ["Bearer", "bearer"]) {
      const res = await scrape({ authorization: `${scheme} ${config.token}` });
      expect(res.status, scheme).toBe(200);
      expect(await res.text()).toContain("# HELP sync_runs_running");
    }
  });

  it("answers other methods with a 405 naming what it accepts", async () => {
    const res = metricsPost(new Request("http://app/api/metrics", { method: "POST" }));
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });
});

describe("the sync_runs gauges", () => {
  it("count the SyncRun rows by status and kind at each scrape", async () => {
    const user = await db.user.create({ data: { email: `gauges-${Math.random().toString(36).slice(2)}@example.test`, passwordHash: "x" } });
    const connection = (n: number) =>
      db.sellerConnection.create({ data: { userId: user.id, sellingPartnerId: `AGAUGE${n}`, region: "NA", marketplaceIds: ["ATVPDKIKX0DER"] } });
    const [a, b, c] = await Promise.all([connection(1), connection(2), connection(3)]);
    const at = new Date("2026-04-01T00:00:00Z");
    const run = (sellerConnectionId: string, kind: string, status: string) => ({ sellerConnectionId, kind, status, trigger: "test", startedAt: at });
    await db.syncRun.createMany({
      data: [
        { ...run(a!.id, "historical", "running"), activeFor: a!.id },
        { ...run(b!.id, "incremental", "running"), activeFor: b!.id },
        run(a!.id, "historical", "completed"),
        run(b!.id, "historical", "completed"),
        run(c!.id, "historical", "completed"),
        run(c!.id, "incremental", "failed"),
      ],
    });

    const first = await (await withToken()).text();
    expect(samples(first, "sync_runs").sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)))).toEqual([
      { labels: { status: "completed", kind: "historical" }, value: 3 },
      { labels: { status: "failed", kind: "incremental" }, value: 1 },
      { labels: { status: "running", kind: "historical" }, value: 1 },
      { labels: { status: "running", kind: "incremental" }, value: 1 },
    ]);
    expect(value(first, "sync_runs_running")).toBe(2);

    // The next scrape reads the database again: a run that ended moves, an emptied series is gone.
    await db.syncRun.updateMany({ where: { sellerConnectionId: b!.id, status: "running" }, data: { status: "cancelled", activeFor: null, completedAt: at } });
    const second = await (await withToken()).text();
    expect(value(second, "sync_runs", { status: "cancelled", kind: "incremental" })).toBe(1);
    expect(samples(second, "sync_runs").filter((s) => s.labels.status === "running" && s.labels.kind === "incremental")).toEqual([]);
    expect(value(second, "sync_runs_running")).toBe(1);
  });
});

describe("the SP-API counters, after real calls to the sandbox", () => {
  // A sandbox minute per real second, on a fixed world date: the usage-plan wait below takes about a
  // second of real time (while the calls between take a small part of a token), and nothing depends
  // on today's date.
  const SCALE = 60;
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 11, size: "small", sellers: 1, timeScale: SCALE, startTime: "2026-06-15T12:00:00.000Z", groundTruth: false });
  });
  afterAll(async () => sandbox?.close());

  function client(extra: Parameters<typeof sandboxConfig>[2] = {}) {
    const seller = sandbox.sellers[0]!;
    const { config: spApi, clock, sleep } = sandboxConfig(sandbox, SCALE, extra);
    // One token in the bucket: the second call must wait for the next (rate from Amazon's header).
    const limiter = new TokenBucketRateLimiter({ clock, sleep, plans: { getMarketplaceParticipations: { rate: 0.016, burst: 1 } } });
    return createSpApiClient({ ...spApi, rateLimiter: limiter, ...extra }, { sellingPartnerId: seller.sellingPartnerId, refreshToken: sandbox.grant(seller.sellingPartnerId).refreshToken });
  }

  it("count each exchange by operation and status, and each usage-plan wait", async () => {
    const before = await (await withToken()).text();
    const sp = client();
    await sp.getMarketplaceParticipations();
    await sp.getMarketplaceParticipations();
    const after = await (await withToken()).text();
    const delta = (name: string, labels: Record<string, string> = {}) => value(after, name, labels) - value(before, name, labels);

    // One token refresh at LWA, two calls of the operation, all answered 200.
    expect(delta("spapi_calls_total", { operation: "lwa", status: "200" })).toBe(1);
    expect(delta("spapi_calls_total", { operation: "getMarketplaceParticipations", status: "200" })).toBe(2);
    expect(delta("spapi_throttled_total", { operation: "getMarketplaceParticipations" })).toBe(0);
    // The second call waited for its token: at most 1 / (0.016 × 0.95) ≈ 65.8 s on the sandbox's clock,
    // less what refilled while the first call was answered.
    expect(delta("spapi_rate_limit_waits_total", { operation: "getMarketplaceParticipations" })).toBe(1);
    expect(delta("spapi_rate_limit_wait_seconds_count", { operation: "getMarketplaceParticipations" })).toBe(1);
    expect(delta("spapi_rate_limit_wait_seconds_sum", { operation: "getMarketplaceParticipations" })).toBeGreaterThan(0);
    expect(delta("spapi_rate_limit_wait_seconds_sum", { operation: "getMarketplaceParticipations" })).toBeLessThanOrEqual(65.8);
  });

  it("count 429s as throttled, per attempt", async () => {
    sandbox.setFaults({ throttle: { getAccount: 1 } });
    try {
      const before = await (await withToken()).text();
      const error = await client({ retry: { maxAttempts: 2, baseDelayMs: 1_000, maxDelayMs: 1_000 } })
        .getAccount()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SpApiError);
      expect((error as InstanceType<typeof SpApiError>).status).toBe(429);
      const after = await (await withToken()).text();
      const delta = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
      expect(delta("spapi_calls_total", { operation: "getAccount", status: "429" })).toBe(2);
      expect(delta("spapi_throttled_total", { operation: "getAccount" })).toBe(2);
      expect(delta("spapi_calls_total", { operation: "getAccount", status: "200" })).toBe(0);
    } finally {
      sandbox.setFaults({});
    }
  });
});

describe("the request id", () => {
  it("is echoed when the caller sent a safe one, and every log line of the request carries it", async () => {
    session.userId = null;
    const res = await scrape({ authorization: `Bearer ${config.token}`, "x-request-id": "lb-7f3a.9:42_x" });
    expect(res.headers.get("x-request-id")).toBe("lb-7f3a.9:42_x");
    const entries = consoleLog.mock.calls.map((call) => JSON.parse(String(call[0])) as Record<string, unknown>);
    const requestLine = entries.find((e) => e.msg === "API request" && e.path === "/api/metrics");
    expect(requestLine).toMatchObject({ requestId: "lb-7f3a.9:42_x", status: 200, method: "GET" });
  });

  it("is a new one when the caller sent none or an unsafe one, and differs per request", async () => {
    session.userId = null;
    const ids: string[] = [];
    for (const sent of [undefined, "has space", "<script>", "x".repeat(200), "-leading-dash"]) {
      const res = await scrape(sent === undefined ? {} : { "x-request-id": sent });
      const id = res.headers.get("x-request-id") ?? "";
      expect(id, String(sent)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      ids.push(id);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("is on every API answer of the wrappers, errors included (401 from an operator route)", async () => {
    session.userId = null;
    const res = await runsRoute(new Request("http://app/api/runs", { headers: { "x-request-id": "trace-abc" } }), ctx);
    expect(res.status).toBe(401);
    expect(res.headers.get("x-request-id")).toBe("trace-abc");
  });
});
