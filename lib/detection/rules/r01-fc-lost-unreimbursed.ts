// R01 fc-lost-unreimbursed (detection.md §4): units went missing in a fulfillment center (ledger
// Adjustments, reason M or 5, Quantity < 0) and were neither found nor paid.
//
// Open units per loss row: Amazon's own Unreconciled Quantity, bounded by what FIFO leaves after the
// offsets: found units (F, N) on the same FNSKU, then leftover found units on a sibling FNSKU of the same
// ASIN (substitution, Amazon.Found.<ASIN>), and Lost_Warehouse reimbursements of the FNSKU approved no
// earlier than 7 days before the loss. An N row that is the replacement unit of an inventory
// reimbursement counts once, as that reimbursement. Reversed reimbursements still count here: R16 owns
// reversals, so a clawed-back loss is not claimed twice. A finding needs 14 days since the ledger date
// (Amazon pays lost units within 4-5 business days since 2024-11-01) and a ledger summary, where
// synced, that does not show as many units found as lost for the FNSKU since then.
import { common, confidence, modifier } from "../confidence";
import { totalOf, unitValuesPre } from "../valuation";
import type { SupportedRule } from "../types";
import { fcLossCandidates } from "./fc-loss";

const units = (n: number) => `${n} unit${n === 1 ? "" : "s"}`;

export const r01FcLostUnreimbursed: SupportedRule = {
  id: "R01",
  slug: "fc-lost-unreimbursed",
  title: "Lost in an Amazon warehouse, not reimbursed",
  explanation:
    "Amazon's inventory ledger records units it lost or misplaced in a fulfillment center. Amazon should find them or pay for them; these were neither found (on this or a sibling FNSKU) nor reimbursed.",
  supported: true,
  claimFamily: "fc-lost",
  requires: ["ledger-detail", "reimbursements"],
  scopeDimensions: ["fnskus"],
  candidates: (ctx) =>
    fcLossCandidates(ctx, {
      lossReasons: ["M", "5"],
      reimbursementReasons: ["lostwarehouse"],
      foundReasons: ["F", "N"],
      correctedBackToSellable: false,
      siblingPass: true,
      maturityDays: 14,
      offsetToleranceDays: 7,
      summaryGuard: true,
    }),
  async value(ctx, rows) {
    const values = await unitValuesPre(ctx, rows.map((r) => ({ key: r.fingerprint, sku: r.sku, fnsku: r.fnsku, date: r.eventDate })));
    return new Map(rows.map((r) => [r.fingerprint, totalOf(values.get(r.fingerprint)!, r.units)]));
  },
  confidence(ctx, row, valuation) {
    const f = row.facts as { ageDays: number; siblingFoundRowsSinceLoss: number; unreconciledQuantity: number | null };
    return confidence(0.85, "Lost units with a ledger record, neither found nor reimbursed", [
      f.siblingFoundRowsSinceLoss > 0 && modifier("sibling-found", 0.7, "Another FNSKU of the same ASIN had units found since the loss: they may be these"),
      common.young(f.ageDays),
      f.unreconciledQuantity === null && modifier("no-unreconciled-column", 0.9, "The ledger row carries no Unreconciled Quantity: the open units are our own FIFO count"),
      common.fallbackValue(valuation),
      common.incompleteData(ctx, ["ledger-detail", "reimbursements"]),
    ]);
  },
  summary(row) {
    const f = row.facts as { fulfillmentCenter: string; lost: number };
    return `${units(row.units)} of ${row.fnsku} lost at ${f.fulfillmentCenter || "a fulfillment center"} on ${row.eventDate} (ledger ${row.referenceId ?? ""}), not found or reimbursed`;
  },
};
