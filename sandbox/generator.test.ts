import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildWorld, DAY_MS } from "./generator/world";
import { streamWorld } from "./generator/world-stream";
import { type GroundTruthRecord, RULE_IDS } from "./generator/types";
import { REPORT_COLUMNS } from "./reports/report-columns";
import type { Sandbox } from "./server";
import { authorize, call, createAndWait, DAY, downloadDocument, start } from "./test-support/harness";

const END = Date.parse("2026-06-15T12:00:00Z");

function digest(seed: number, index: number): string {
  const w = buildWorld({ seed, index, size: "small", endMs: END });
  const h = createHash("sha256");
  for (const ev of streamWorld(w, { fromMs: END - 120 * DAY_MS })) h.update(JSON.stringify(ev));
  return h.digest("hex");
}

describe("synthetic world", () => {
  it("is deterministic for a seed and seller index, and differs between sellers and seeds", () => {
    expect(digest(7, 0)).toBe(digest(7, 0));
    expect(digest(7, 1)).not.toBe(digest(7, 0));
    expect(digest(8, 0)).not.toBe(digest(7, 0));
    expect(buildWorld({ seed: 7, index: 0, size: "small", endMs: END }).seller.sellingPartnerId).toMatch(/^A[A-Z0-9]{13}$/);
  });

  it("spans the 18 months before its end and never emits anything after it", () => {
    const w = buildWorld({ seed: 3, index: 0, size: "small", endMs: END });
    expect(new Date(w.startMs).toISOString()).toBe("2024-12-15T00:00:00.000Z");
    let last = 0;
    let first = Number.POSITIVE_INFINITY;
    for (const ev of streamWorld(w)) {
      expect(ev.at).toBeGreaterThanOrEqual(last); // time-ordered
      last = ev.at;
      first = Math.min(first, ev.at);
    }
    expect(last).toBeLessThanOrEqual(END);
    expect(first).toBeLessThan(w.startMs + 2 * DAY_MS);
  });

  it("replenishes stock from expected demand so sellable balances stay (essentially) non-negative", () => {
    for (const seed of [1, 2, 3]) {
      const w = buildWorld({ seed, index: 0, size: "small", endMs: END });
      const balance = w.catalog.map((s) => s.initialStock);
      let worst = 0;
      for (const ev of streamWorld(w, { kinds: new Set(["ledger"]) })) {
        if (ev.kind !== "ledger" || ev.row.disposition !== "SELLABLE") continue;
        balance[ev.row.skuIdx] = (balance[ev.row.skuIdx] ?? 0) + ev.row.quantity;
        worst = Math.min(worst, balance[ev.row.skuIdx]!);
      }
      expect(worst, `seed ${seed}`).toBeGreaterThan(-10);
      expect(Math.min(...balance), `seed ${seed}`).toBeGreaterThan(0);
    }
  });

  it("gives the same events of a kind whether or not the stream is filtered to that kind", () => {
    const w = buildWorld({ seed: 6, index: 0, size: "small", endMs: END });
    const fromMs = END - 90 * DAY_MS;
    const full = [...streamWorld(w, { fromMs })];
    for (const kind of ["ledger", "fin", "order", "reimbursement", "return", "truth"] as const) {
      const only = [...streamWorld(w, { fromMs, kinds: new Set([kind]) })].map((e) => JSON.stringify(e));
      expect(only, kind).toEqual(full.filter((e) => e.kind === kind).map((e) => JSON.stringify(e)));
    }
  });

  it("regenerates any window identically to the same slice of a full pass", () => {
    const w = buildWorld({ seed: 5, index: 0, size: "small", endMs: END });
    const from = END - 200 * DAY_MS;
    const to = END - 170 * DAY_MS;
    const slice = [...streamWorld(w, { fromMs: from, toMs: to })].map((e) => JSON.stringify(e));
    const full = [...streamWorld(w)].filter((e) => e.at >= from && e.at < to).map((e) => JSON.stringify(e));
    expect(slice.length).toBeGreaterThan(100);
    expect(slice).toEqual(full);
  });
});

describe("ground truth", () => {
  let sb: Sandbox;
  let token: string;
  let sellerId: string;
  let truth: GroundTruthRecord[];
  beforeAll(async () => {
    sb = await start({ seed: 42, timeScale: 600, sellers: 2, reportCooldown: "off" });
    sellerId = sb.sellers[0]!.sellingPartnerId;
    truth = readFileSync(sb.groundTruthPath(sellerId), "utf8").trim().split("\n").map((l) => JSON.parse(l) as GroundTruthRecord);
  });
  beforeEach(async () => {
    token = (await authorize(sb, 0)).accessToken;
  });
  afterAll(() => sb.close());

  it("plants at least one claim of every rule R01-R18 for every seller, in integer minor units", () => {
    for (const s of sb.sellers) {
      const recs = readFileSync(sb.groundTruthPath(s.sellingPartnerId), "utf8").trim().split("\n").map((l) => JSON.parse(l) as GroundTruthRecord);
      const claimed = new Set(recs.filter((r) => r.kind === "claim").map((r) => r.rule));
      expect([...claimed].sort()).toEqual([...RULE_IDS]);
      expect(new Set(recs.map((r) => r.id)).size, "ids are unique fingerprints").toBe(recs.length);
      for (const r of recs) {
        expect(r.sellingPartnerId).toBe(s.sellingPartnerId);
        expect(Number.isInteger(r.expectedValueMinor)).toBe(true);
        expect(r.currency).toBe("USD");
        if (r.kind === "claim") expect(r.expectedValueMinor).toBeGreaterThan(0);
        else expect(r.expectedValueMinor).toBe(0);
        const now = sb.world(s.sellingPartnerId).endMs;
        const expected = now < Date.parse(r.opensAt) ? "waiting" : now > Date.parse(r.deadline) ? "expired" : "open";
        expect(r.status, r.id).toBe(expected);
      }
    }
  });

  it("plants claimable value at believable rates: 0.1-1% of revenue open or waiting, 0.3-2% expired", () => {
    const w = sb.world(sellerId);
    let revenue = 0;
    for (const ev of streamWorld(w, { kinds: new Set(["fin"]) })) {
      if (ev.kind === "fin" && ev.ev.type === "Shipment") for (const i of ev.ev.items) for (const c of i.charges) if (c.type === "Principal") revenue += c.amountMinor;
    }
    const sum = (pred: (r: GroundTruthRecord) => boolean) => truth.filter((r) => r.kind === "claim" && pred(r)).reduce((a, r) => a + r.expectedValueMinor, 0);
    const live = sum((r) => r.status !== "expired") / revenue;
    const expired = sum((r) => r.status === "expired") / revenue;
    expect(live).toBeGreaterThan(0.001);
    expect(live).toBeLessThan(0.01);
    expect(expired).toBeGreaterThan(0.003);
    expect(expired).toBeLessThan(0.02);
  });

  it("matches the reports: every planted R01 loss is in the ledger with its unreconciled quantity and no reimbursement covers it", async () => {
    const w = sb.world(sellerId);
    const window = { dataStartTime: new Date(w.startMs + DAY_MS).toISOString(), dataEndTime: new Date(w.endMs).toISOString() };
    const ledgerReport = await createAndWait(sb, token, { reportType: "GET_LEDGER_DETAIL_VIEW_DATA", reportOptions: { eventType: "Adjustments" }, ...window });
    const reimbReport = await createAndWait(sb, token, { reportType: "GET_FBA_REIMBURSEMENTS_DATA", ...window });
    const ledger = (await downloadDocument(sb, token, ledgerReport.reportDocumentId)).lines;
    const reimb = (await downloadDocument(sb, token, reimbReport.reportDocumentId)).lines;
    const L = (name: (typeof REPORT_COLUMNS.GET_LEDGER_DETAIL_VIEW_DATA)[number]) => REPORT_COLUMNS.GET_LEDGER_DETAIL_VIEW_DATA.indexOf(name);
    const R = (name: (typeof REPORT_COLUMNS.GET_FBA_REIMBURSEMENTS_DATA)[number]) => REPORT_COLUMNS.GET_FBA_REIMBURSEMENTS_DATA.indexOf(name);
    expect(ledger.slice(1).every((l) => l[L("Event Type")] === "Adjustments")).toBe(true);
    const r01 = truth.filter((t) => t.rule === "R01" && t.kind === "claim");
    expect(r01.length).toBeGreaterThan(0);
    for (const t of r01) {
      const row = ledger.find((l) => l[L("FNSKU")] === t.keys.fnsku && l[L("Reference ID")] === t.keys.referenceId);
      expect(row, t.id).toBeDefined();
      expect(row![L("Reason")]).toBe("M");
      expect(Number(row![L("Unreconciled Quantity")])).toBe(t.quantity);
      expect(-Number(row![L("Quantity")])).toBeGreaterThanOrEqual(t.quantity);
      // Lost_Warehouse cash for this FNSKU around the loss never exceeds what other, paid losses account for.
      const at = Date.parse(t.anchorDate);
      const near = (ms: number) => ms >= at - 10 * DAY && ms <= at + 12 * DAY;
      const paid = reimb
        .slice(1)
        .filter((l) => l[R("fnsku")] === t.keys.fnsku && l[R("reason")] === "Lost_Warehouse" && near(Date.parse(l[R("approval-date")]!)))
        .reduce((a, l) => a + Number(l[R("quantity-reimbursed-total")]), 0);
      const otherReconciled = ledger
        .slice(1)
        .filter((l) => l[L("FNSKU")] === t.keys.fnsku && l[L("Reason")] === "M" && l[L("Reference ID")] !== t.keys.referenceId && near(Date.parse(l[L("Date and Time")]!.replace(/(\d{2})(\d{2})$/, "$1:$2"))))
        .reduce((a, l) => a + Number(l[L("Reconciled Quantity")]), 0);
      expect(paid, t.id).toBeLessThanOrEqual(otherReconciled);
    }
  });

  it("matches the APIs: R03 shortages are shipped minus received on the inbound shipment, R04 refunds have no return", async () => {
    const r03 = truth.filter((t) => t.rule === "R03" && t.kind === "claim" && t.status !== "waiting");
    for (const t of r03.slice(0, 5)) {
      const items = await call(sb, token, "GET", `/fba/inbound/v0/shipments/${t.keys.shipmentId}/items`, { query: { MarketplaceId: "ATVPDKIKX0DER" } });
      const item = (items.body.payload.ItemData as Array<{ SellerSKU: string; QuantityShipped: number; QuantityReceived: number }>).find((i) => i.SellerSKU === t.keys.sku)!;
      expect(item.QuantityShipped - item.QuantityReceived, t.id).toBe(t.quantity);
    }
    const w = sb.world(sellerId);
    const r04 = truth.filter((t) => t.rule === "R04" && t.kind === "claim");
    expect(r04.length).toBeGreaterThan(0);
    const returnsReport = await createAndWait(sb, token, {
      reportType: "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA",
      dataStartTime: new Date(w.startMs + DAY_MS).toISOString(),
      dataEndTime: new Date(w.endMs).toISOString(),
    });
    const returns = (await downloadDocument(sb, token, returnsReport.reportDocumentId)).lines;
    const orderCol = REPORT_COLUMNS.GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA.indexOf("order-id");
    for (const t of r04) {
      expect(returns.some((l) => l[orderCol] === t.keys.orderId), t.id).toBe(false);
      const refunds = [...streamWorld(w, { fromMs: Date.parse(t.anchorDate), toMs: Date.parse(t.anchorDate) + 1, kinds: new Set(["fin"]) })];
      expect(refunds.some((e) => e.kind === "fin" && e.ev.type === "Refund" && e.ev.orderId === t.keys.orderId), t.id).toBe(true);
    }
  });
});
