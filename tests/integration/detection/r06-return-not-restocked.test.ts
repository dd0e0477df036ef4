// R06 return-not-restocked over a small ledger with a pinned clock: sellable returns the ledger never
// put back (one of two units, an old one expired), and the look-alikes: a ledger row 10 days late
// (inside the tolerance), a unit Amazon paid as lost, a return too young to judge, a damaged return and
// a sellable one Amazon reimbursed instead of restocking (never candidates), one ledger row that cannot
// restock two returns; a rerun adds nothing; an incremental run rechecks only the FNSKU a new row touched.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { runDetection } from "@/lib/detection/run-detection";
import { derivedStatus } from "@/lib/detection/windows";
import { detectionsOf, ledgerFor, newSeller, setAsidesOf } from "./ledger";

const NOW = new Date("2026-11-05T12:00:00.000Z");
const LATER = new Date("2026-11-06T12:00:00.000Z");
const restock = (date: string, fnsku: string, quantity = 1) => ({ date, fnsku, eventType: "CustomerReturns", quantity, disposition: "SELLABLE" });
const iso = (d: Date | null) => d!.toISOString().slice(0, 10);

describe("R06 return-not-restocked", () => {
  let seller: string;
  let l: ReturnType<typeof ledgerFor>;

  beforeAll(async () => {
    seller = await newSeller();
    l = ledgerFor(seller);
    await l.unitCost("SKU-A", 900);
    const back = "Unit returned to inventory";
    await l.customerReturn({ returnDate: "2026-10-01", orderId: "OA", sku: "SKU-A", fnsku: "XA", disposition: "SELLABLE", status: back, lpn: "LA" });
    // Restocked 10 days after the return: inside the tolerance.
    await l.customerReturn({ returnDate: "2026-09-01", orderId: "OB", sku: "SKU-B", fnsku: "XB", disposition: "SELLABLE", status: back, lpn: "LB" });
    await l.detail(restock("2026-09-11", "XB"));
    // Paid as lost.
    await l.customerReturn({ returnDate: "2026-09-01", orderId: "OC", sku: "SKU-C", fnsku: "XC", disposition: "SELLABLE", status: back, lpn: "LC" });
    await l.reimbursement({ reimbursementId: "LW-C", approvalDate: "2026-09-20", reason: "Lost_Warehouse", fnsku: "XC", sku: "SKU-C", amountPerUnit: 800 });
    // Too young.
    await l.customerReturn({ returnDate: "2026-10-28", orderId: "OD", sku: "SKU-D", fnsku: "XD", disposition: "SELLABLE", status: back, lpn: "LD" });
    // Never candidates: graded damaged, or not returned to inventory.
    await l.customerReturn({ returnDate: "2026-09-01", orderId: "OE", sku: "SKU-E", fnsku: "XE", disposition: "CUSTOMER_DAMAGED", status: back, lpn: "LE" });
    await l.customerReturn({ returnDate: "2026-09-01", orderId: "OE2", sku: "SKU-E", fnsku: "XE", disposition: "SELLABLE", status: "Reimbursed", lpn: "LE2" });
    // Two units back, one restocked.
    await l.customerReturn({ returnDate: "2026-09-10", orderId: "OF", sku: "SKU-F", fnsku: "XF", disposition: "SELLABLE", status: back, lpn: "LF", quantity: 2 });
    await l.detail(restock("2026-09-12", "XF"));
    // Expired: back in June, never restocked.
    await l.customerReturn({ returnDate: "2026-06-01", orderId: "OG", sku: "SKU-G", fnsku: "XG", disposition: "SELLABLE", status: back, lpn: "LG" });
    // Two returns, one ledger row: the oldest return takes it.
    await l.customerReturn({ returnDate: "2026-09-01", orderId: "OH1", sku: "SKU-H", fnsku: "XH", disposition: "SELLABLE", status: back, lpn: "LH1" });
    await l.customerReturn({ returnDate: "2026-09-03", orderId: "OH2", sku: "SKU-H", fnsku: "XH", disposition: "SELLABLE", status: back, lpn: "LH2" });
    await l.detail(restock("2026-09-04", "XH"));
    // A ledger restock row of another FNSKU does not count for XA.
    await l.detail(restock("2026-10-02", "XZ"));
    await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R06"] });
  });

  it("finds sellable returns the ledger never restocked, valued at the seller's cost, in the FC window", async () => {
    const found = await detectionsOf(seller, "R06");
    expect(found.map((d) => [d.fingerprint, d.units])).toEqual([
      ["XA:LA", 1],
      ["XF:LF", 1],
      ["XG:LG", 1],
      ["XH:LH2", 1],
    ]);
    const a = found[0]!;
    expect(a).toMatchObject({ orderId: "OA", referenceId: "LA", sku: "SKU-A", estimatedValueMinor: 900n, valueBasis: "seller-cost", confidence: 0.65, claimFamily: "fc-lost", windowPolicyId: "default-fc-lost-2024-10-23" });
    expect([iso(a.anchorDate), iso(a.opensAt), iso(a.deadline)]).toEqual(["2026-10-01", "2026-10-01", "2026-11-30"]);
    expect(derivedStatus(a.status, a.opensAt, a.deadline, NOW)).toBe("pending");
    const facts = (a.evidence as { facts: Record<string, unknown> }).facts;
    expect(facts).toMatchObject({ returned: 1, restocked: 0, reimbursed: 0, missing: 1 });
    const f = found.find((d) => d.fnsku === "XF")!;
    expect((f.evidence as { facts: { arithmetic: string } }).facts.arithmetic).toBe("missing = returned sellable 2 - restocked per ledger 1 - paid as lost 0 = 1");
    const g = found.find((d) => d.fnsku === "XG")!;
    expect(derivedStatus(g.status, g.opensAt, g.deadline, NOW)).toBe("expired");
  });

  it("sets aside the late-but-restocked, the paid, the too-young and the fully covered, with reasons", async () => {
    const asides = await setAsidesOf(seller, "R06");
    expect(asides.map((a) => [a.fingerprint, a.reasonCode])).toEqual([
      ["XB:LB", "restocked"],
      ["XC:LC", "reimbursed"],
      ["XD:LD", "too-early"],
      ["XH:LH1", "restocked"],
    ]);
    expect(asides[0]!.reason).toBe("Back in sellable stock: ledger CustomerReturns row on 2026-09-11");
    expect(asides[1]).toMatchObject({ reimbursementId: "LW-C", reason: "Amazon paid it as lost: reimbursement LW-C" });
    expect(iso(asides[2]!.recheckAt)).toBe("2026-11-11");
  });

  it("updates on a rerun instead of adding rows", async () => {
    const before = await detectionsOf(seller, "R06");
    const rerun = await runDetection({ sellerConnectionId: seller, now: NOW, ruleIds: ["R06"] });
    expect(rerun.byRule.R06).toMatchObject({ ran: true, found: 0, updated: 4 });
    const after = await detectionsOf(seller, "R06");
    expect(after.map((d) => d.id)).toEqual(before.map((d) => d.id));
    expect((await setAsidesOf(seller, "R06")).length).toBe(4);
  });

  it("incremental: rechecks only the FNSKU a new row touched, and a later payout resolves its finding", async () => {
    // The sync that brought the ledger in ended after the seller entered the unit cost (an unseen
    // settings change would make the run a full one).
    await db.syncRun.create({ data: { sellerConnectionId: seller, kind: "incremental", status: "completed", trigger: "cron", completedAt: new Date() } });
    const since = new Date("2026-11-05T13:00:00.000Z");
    await l.reimbursement({ reimbursementId: "LW-A", approvalDate: "2026-11-05", reason: "Lost_Warehouse", fnsku: "XA", sku: "SKU-A", amountPerUnit: 900, syncedAt: new Date("2026-11-05T14:00:00.000Z") });
    const run = await runDetection({ sellerConnectionId: seller, now: LATER, mode: "incremental", since, ruleIds: ["R06"] });
    expect(run.mode).toBe("incremental");
    expect(run.byRule.R06).toMatchObject({ ran: true, candidates: 1, found: 0, resolved: 1 });
    const after = await detectionsOf(seller, "R06");
    expect(after.map((d) => [d.fingerprint, d.status, d.resolvedByReimbursementId])).toEqual([
      ["XA:LA", "resolved", "LW-A"],
      ["XF:LF", "pending", null],
      ["XG:LG", "pending", null],
      ["XH:LH2", "pending", null],
    ]);
    expect(iso(after.find((d) => d.fnsku === "XF")!.lastSeenRunAt)).toBe("2026-11-05");
    expect((await setAsidesOf(seller, "R06")).map((a) => [a.fingerprint, a.reasonCode])).toEqual([
      ["XA:LA", "reimbursed"],
      ["XB:LB", "restocked"],
      ["XC:LC", "reimbursed"],
      ["XD:LD", "too-early"],
      ["XH:LH1", "restocked"],
    ]);
  });
});
