import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "./server";
import { start } from "./test-support/harness";

describe("admin endpoints", () => {
  let sb: Sandbox;
  const get = async (path: string) => {
    const res = await fetch(new URL(path, sb.url));
    return { status: res.status, text: await res.text() };
  };
  beforeAll(async () => {
    sb = await start({ sellers: 2 });
  });
  afterAll(() => sb.close());

  it("reports health once the ground truth is written", async () => {
    const h = await get("/__sandbox/health");
    expect(h.status).toBe(200);
    expect(JSON.parse(h.text)).toMatchObject({ status: "ok", sellers: 2, groundTruthReady: true });
  });

  it("serves each seller's ground truth, catalog costs and approved cases", async () => {
    const id = sb.sellers[1]!.sellingPartnerId;
    const truth = (await get(`/__sandbox/sellers/${id}/ground-truth`)).text.trim().split("\n").map((l) => JSON.parse(l) as { sellingPartnerId: string; rule: string; keys: Record<string, string> });
    expect(truth.length).toBeGreaterThan(18);
    expect(new Set(truth.map((t) => t.sellingPartnerId))).toEqual(new Set([id]));
    const catalog = JSON.parse((await get(`/__sandbox/sellers/${id}/catalog`)).text) as { skus: Array<{ sku: string; sourcingCostMinor: number; priceMinor: number }> };
    expect(catalog.skus).toHaveLength(40);
    for (const s of catalog.skus) expect(s.sourcingCostMinor).toBeLessThan(s.priceMinor);
    const cases = JSON.parse((await get(`/__sandbox/sellers/${id}/cases`)).text) as { cases: Array<{ caseId: string; status: string }> };
    const r18 = truth.filter((t) => t.rule === "R18").map((t) => t.keys.caseId);
    expect(cases.cases.map((c) => c.caseId).sort()).toEqual(r18.sort());
    expect(cases.cases.every((c) => c.status === "APPROVED")).toBe(true);
    expect((await get("/__sandbox/sellers/ANOPE/catalog")).status).toBe(404);
  });

  it("lists the sellers with their 18-month world window", async () => {
    const { sellers } = JSON.parse((await get("/__sandbox/sellers")).text) as { sellers: Array<{ sellingPartnerId: string; worldStart: string; worldEnd: string }> };
    expect(sellers.map((s) => s.sellingPartnerId)).toEqual(sb.sellers.map((s) => s.sellingPartnerId));
    const months = (Date.parse(sellers[0]!.worldEnd) - Date.parse(sellers[0]!.worldStart)) / (30.44 * 86_400_000);
    expect(months).toBeGreaterThan(17.9);
    expect(months).toBeLessThan(18.1);
  });

  it("replaces the fault config over HTTP and rejects unknown knobs", async () => {
    const ok = await fetch(new URL("/__sandbox/faults", sb.url), { method: "POST", body: JSON.stringify({ error503: { getOrders: 0.5 } }) });
    expect(await ok.json()).toEqual({ error503: { getOrders: 0.5 } });
    const bad = await fetch(new URL("/__sandbox/faults", sb.url), { method: "POST", body: JSON.stringify({ explode: 1 }) });
    expect(bad.status).toBe(400);
    expect(JSON.parse(await (await fetch(new URL("/__sandbox/faults", sb.url))).text())).toEqual({ error503: { getOrders: 0.5 } });
  });
});
