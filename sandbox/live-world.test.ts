import { afterEach, describe, expect, it } from "vitest";
import type { Sandbox } from "./server";
import { call, sleep, start } from "./test-support/harness";

const START = "2026-06-15T12:00:00.000Z";

async function ordersSinceStart(sb: Sandbox) {
  const { accessToken } = sb.grant(sb.sellers[0]!.sellingPartnerId);
  const r = await call(sb, accessToken, "GET", "/orders/v0/orders", { query: { MarketplaceIds: "ATVPDKIKX0DER", CreatedAfter: START } });
  expect(r.status).toBe(200);
  return r.body.payload.Orders as Array<{ AmazonOrderId: string; PurchaseDate: string }>;
}

describe("live world", () => {
  let sb: Sandbox | undefined;
  afterEach(async () => {
    await sb?.close();
    sb = undefined;
  });

  it("keeps generating orders after the start when liveWorld is on", async () => {
    // x14400: four sandbox hours a second; access tokens live 0.25 s real, so each call gets a fresh one.
    sb = await start({ seed: 42, sellers: 1, timeScale: 14_400, startTime: START, liveWorld: true, groundTruth: false });
    await sleep(1_000);
    const orders = await ordersSinceStart(sb);
    expect(orders.length).toBeGreaterThan(0);
    for (const o of orders) expect(Date.parse(o.PurchaseDate)).toBeGreaterThan(Date.parse(START));
  });

  it("stays frozen at the start by default", async () => {
    sb = await start({ seed: 42, sellers: 1, timeScale: 14_400, startTime: START, groundTruth: false });
    await sleep(1_000);
    expect(await ordersSinceStart(sb)).toEqual([]);
  });
});
