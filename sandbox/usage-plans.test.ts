import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "./server";
import { authorize, call, DAY, isoAgo, sleep, start } from "./test-support/harness";
import { createClock } from "./clock";
import { inventoryAtEnd } from "./generator/inventory-state";
import { MODELS_AVAILABLE, validateResponse } from "./test-support/conformance";

// Dates come from the sandbox clock, which the harness pins to a fixed world end unrelated to the real
// date: a real-clock start could lie after the sandbox's now and be a 400 rather than a quota decision.
const createBody = (sb: Sandbox, i: number) => ({
  reportType: "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL",
  marketplaceIds: ["ATVPDKIKX0DER"],
  dataStartTime: isoAgo(sb, (i + 2) * DAY),
});

describe("usage plans", () => {
  let sb: Sandbox;
  beforeAll(async () => {
    // Real time: createReport refills one token a minute, so refill cannot disturb the burst test.
    sb = await start({ timeScale: 1, sellers: 2, groundTruth: false });
  });
  afterAll(() => sb.close());

  it("returns 429 QuotaExceeded once the createReport burst of 15 is spent, without a rate-limit header", async () => {
    const { accessToken } = await authorize(sb, 0);
    const statuses: number[] = [];
    let throttled: Awaited<ReturnType<typeof call>> | null = null;
    for (let i = 0; i < 16; i++) {
      const r = await call(sb, accessToken, "POST", "/reports/2021-06-30/reports", { body: createBody(sb, i) });
      statuses.push(r.status);
      if (r.status === 202) expect(r.headers.get("x-amzn-RateLimit-Limit")).toBe("0.0167");
      if (r.status === 429) throttled = r;
    }
    expect(statuses.slice(0, 15)).toEqual(Array(15).fill(202));
    expect(statuses[15]).toBe(429);
    expect(throttled?.body).toEqual({ errors: [{ code: "QuotaExceeded", message: "You exceeded your quota for the requested resource.", details: "" }] });
    expect(throttled?.headers.get("x-amzn-RateLimit-Limit")).toBeNull();
    expect(throttled?.headers.get("x-amzn-RequestId")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("keeps buckets per selling partner: another seller still has its full burst", async () => {
    const { accessToken } = await authorize(sb, 1);
    const r = await call(sb, accessToken, "POST", "/reports/2021-06-30/reports", { body: createBody(sb, 0) });
    expect(r.status).toBe(202);
  });

  it("sends x-amzn-RateLimit-Limit on 400 and 404 and a request id on every response", async () => {
    const { accessToken } = await authorize(sb, 1);
    const bad = await call(sb, accessToken, "GET", "/orders/v0/orders", { query: { MarketplaceIds: "ATVPDKIKX0DER" } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("x-amzn-RateLimit-Limit")).toBe("0.0167");
    const missing = await call(sb, accessToken, "GET", "/reports/2021-06-30/reports/123");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("x-amzn-RateLimit-Limit")).toBe("2.0");
    const ids = new Set([bad.headers.get("x-amzn-RequestId"), missing.headers.get("x-amzn-RequestId")]);
    expect(ids.size).toBe(2);
  });

  it("logs every operation with sandbox time, seller and status, readable over HTTP", async () => {
    const { sellerId } = await authorize(sb, 0);
    const res = await fetch(new URL("/__sandbox/calls", sb.url));
    const { calls } = (await res.json()) as { calls: Array<{ operation: string; sellingPartnerId: string; status: number; time: string }> };
    const creates = calls.filter((c) => c.operation === "createReport" && c.sellingPartnerId === sellerId);
    expect(creates.map((c) => c.status)).toEqual([...Array(15).fill(202), 429]);
    expect(Date.parse(creates[0]!.time)).toBeGreaterThanOrEqual(sb.clock.startMs);
    expect(sb.calls().length).toBe(calls.length);
  });
});

describe("usage plans in real time", () => {
  it("refills getInventorySummaries (rate 2, burst 2) on the sandbox clock", async () => {
    const sb = await start({ timeScale: 1, sellers: 1, groundTruth: false });
    try {
      const { accessToken, sellerId } = await authorize(sb, 0);
      // Computed once per world / compiled once: keep both out of the timed burst.
      inventoryAtEnd(sb.world(sellerId));
      if (MODELS_AVAILABLE) validateResponse("getInventorySummaries", 200, {});
      const url = new URL("/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=ATVPDKIKX0DER&marketplaceIds=ATVPDKIKX0DER", sb.url);
      const get = async () => {
        const res = await fetch(url, { headers: { "x-amz-access-token": accessToken } });
        if (MODELS_AVAILABLE) expect(validateResponse("getInventorySummaries", res.status, await res.json())).toEqual([]);
        return res.status;
      };
      expect([await get(), await get(), await get()]).toEqual([200, 200, 429]);
      await sleep(600); // 1.2 tokens at 2/s
      expect(await get()).toBe(200);
      expect(await get()).toBe(429);
    } finally {
      await sb.close();
    }
  });
});

describe("sandbox clock", () => {
  it("runs sandbox time at start + real elapsed x scale", async () => {
    let real = 1_000;
    const clock = createClock({ scale: 60, startMs: Date.UTC(2026, 0, 1), realNow: () => real });
    expect(clock.now().toISOString()).toBe("2026-01-01T00:00:00.000Z");
    real += 1_000;
    expect(clock.now().toISOString()).toBe("2026-01-01T00:01:00.000Z");
    expect(clock.toRealMs(60_000)).toBe(1_000);
  });
});
