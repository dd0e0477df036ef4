// R17 whse-transfer-loss over a small ledger with a pinned clock: units that left one Amazon warehouse
// in a transfer and have not arrived anywhere for more than 45 days (valued at the seller's cost, an old
// one expired, only the aged part of a balance that grew lately), and the look-alikes: a transfer that
// arrived, one still young, units Amazon found, recorded misplaced (R01's) or paid; a rerun adds
// nothing; an incremental run rechecks only the FNSKU a new payout touched and resolves its finding.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { runDetection } from "@/lib/detection/run-detection";
import { derivedStatus } from "@/lib/detection/windows";
import { detectionsOf, ledgerFor, newSeller, setAsidesOf, SYNCED_AT } from "./ledger";

const NOW = new Date("2026-11-05T12:00:00.000Z");
const LATER = new Date("2026-11-06T12:00:00.000Z");
const iso = (d: Date | null) => d!.toISOString().slice(0, 10);
const transfer = (date: string, fnsku: string, quantity: number, fc = quantity < 0 ? "PHX7" : "LAS1") => ({ date, fnsku, msku: `SKU-${fnsku}`, eventType: "WhseTransfers", quantity, fulfillmentCenter: fc });

describe("R17 whse-transfer-loss", () => {
  let seller: string;
  let l: ReturnType<typeof ledgerFor>;

  beforeAll(async () => {
    seller = await newSeller();
    l = ledgerFor(seller);
    await l.unitCost("SKU-XA", 1000);
    await l.detail(
      // 3 out, 1 arrived: 2 in transit since August.
      transfer("2026-08-01", "XA", -3),
      transfer("2026-08-05", "XA", 1),
      // Young: left 16 days ago.
      transfer("2026-10-20", "XB", -2),
      // Arrived in full: no candidate at all.
      transfer("2026-08-01", "XC", -2),
      transfer("2026-08-10", "XC", 2),
      // Found, recorded misplaced, paid.
      transfer("2026-08-01", "XD", -1),
      { date: "2026-08-20", fnsku: "XD", msku: "SKU-XD", reason: "F", quantity: 1 },
      transfer("2026-08-01", "XE", -1),
      transfer("2026-08-01", "XF", -1),
      { date: "2026-08-25", fnsku: "XF", msku: "SKU-XF", reason: "M", quantity: -1 },
      // 2 out in September, 1 back, 3 more out in late October: 1 unit aged past 45 days, 4 in transit.
      transfer("2026-09-01", "XG", -2),
      transfer("2026-10-01", "XG", 1),
      transfer("2026-10-25", "XG", -3),
      // Long ago: the window has closed.
      transfer("2026-03-01", "XH", -1),
    );
    await l.reimbursement({ reimbursementId: "LW-E", approvalDate: "2026-08-15", reason: "Lost_Warehouse", fnsku: "XE", sku: "SKU-XE", amountPerUnit: 700 });
    await db.ledgerSummary.create({
      data: { sellerConnectionId: seller, date: new Date("2026-10-01T00:00:00Z"), fnsku: "XA", disposition: "SELLABLE", inTransitBetweenWarehouses: 2, raw: {}, sourceReport: "test", sourceLine: 1, syncedAt: SYNCED_AT },
    });
    await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R17"] });
  });

  it("finds units in transit for more than 45 days, in the FC window from the day they aged past it", async () => {
    const found = await detectionsOf(seller, "R17");
    expect(found.map((d) => [d.fingerprint, d.units])).toEqual([
      ["XA:2026-08-01", 2],
      ["XG:2026-09-01", 1],
      ["XH:2026-03-01", 1],
    ]);
    const a = found[0]!;
    expect(a).toMatchObject({ sku: "SKU-XA", estimatedValueMinor: 2000n, valueBasis: "seller-cost", confidence: 0.5, claimFamily: "fc-lost", windowPolicyId: "default-fc-lost-2024-10-23" });
    expect([iso(a.eventDate), iso(a.anchorDate), iso(a.opensAt), iso(a.deadline)]).toEqual(["2026-08-01", "2026-09-15", "2026-09-15", "2026-11-14"]);
    expect(derivedStatus(a.status, a.opensAt, a.deadline, NOW)).toBe("pending");
    const facts = (a.evidence as { facts: Record<string, unknown>; rows: { role: string }[] }).facts;
    expect(facts).toMatchObject({ transferBalance: -2, inTransit: 2, inTransitOver45Days: 2, open: 2, ledgerSummaryInTransit: 2 });
    expect((a.evidence as { rows: { role: string }[] }).rows.map((r) => r.role)).toEqual(["transfer-out", "transfer-in"]);
    const g = found[1]!;
    expect((g.evidence as { facts: Record<string, unknown> }).facts).toMatchObject({ inTransit: 4, inTransitOver45Days: 1 });
    const h = found[2]!;
    expect(derivedStatus(h.status, h.opensAt, h.deadline, NOW)).toBe("expired");
  });

  it("sets aside a young transfer and units found, recorded misplaced or paid; an arrived transfer is no candidate", async () => {
    const asides = await setAsidesOf(seller, "R17");
    expect(asides.map((a) => [a.fingerprint, a.reasonCode])).toEqual([
      ["XB:2026-10-20", "too-early"],
      ["XD:2026-08-01", "found"],
      ["XE:2026-08-01", "reimbursed"],
      ["XF:2026-08-01", "recorded-lost"],
    ]);
    expect(iso(asides[0]!.recheckAt)).toBe("2026-12-05");
    expect(asides[2]).toMatchObject({ reimbursementId: "LW-E" });
    expect(asides[3]!.reason).toContain("R01");
    expect(asides.some((a) => a.fnsku === "XC")).toBe(false);
  });

  it("updates on a rerun; incremental rechecks only the FNSKU a new payout touched and resolves its finding", async () => {
    const before = await detectionsOf(seller, "R17");
    const rerun = await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R17"] });
    expect(rerun.byRule.R17).toMatchObject({ ran: true, found: 0, updated: 3 });
    expect((await detectionsOf(seller, "R17")).map((d) => d.id)).toEqual(before.map((d) => d.id));

    await db.syncRun.create({ data: { sellerConnectionId: seller, kind: "incremental", status: "completed", trigger: "cron", completedAt: new Date() } });
    const since = new Date("2026-11-05T13:00:00.000Z");
    await l.reimbursement({ reimbursementId: "LW-A", approvalDate: "2026-11-05", reason: "Lost_Warehouse", fnsku: "XA", sku: "SKU-XA", cash: 2, amountPerUnit: 1000, syncedAt: new Date("2026-11-05T14:00:00.000Z") });
    const run = await runDetection({ sellerConnectionId: seller, now: LATER, mode: "incremental", since, ruleIds: ["R17"] });
    expect(run.mode).toBe("incremental");
    expect(run.byRule.R17).toMatchObject({ ran: true, candidates: 1, found: 0, resolved: 1 });
    const after = await detectionsOf(seller, "R17");
    expect(after.map((d) => [d.fingerprint, d.status, d.resolvedByReimbursementId])).toEqual([
      ["XA:2026-08-01", "resolved", "LW-A"],
      ["XG:2026-09-01", "pending", null],
      ["XH:2026-03-01", "pending", null],
    ]);
    expect(iso(after[1]!.lastSeenRunAt)).toBe("2026-11-05");
  });
});
