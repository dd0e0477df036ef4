// R02 fc-damaged-unreimbursed (detection.md §4): Amazon damaged units in a fulfillment center and did
// not pay. Loss rows: ledger Adjustments, Quantity < 0, reason E (from sellable) or 6 (from
// carrier-damaged), each normally followed by a P row into the damaged disposition; H, K, U and 7 move
// units that were already unsellable and are kept as low-value info findings only (x0.5).
//
// Open units: the damage row's Unreconciled Quantity, bounded by FIFO after Damaged_Warehouse
// reimbursements of the FNSKU and P rows back into SELLABLE ("inspected and disposition corrected").
// A finding needs 10 days since the ledger date (Amazon compensates warehouse damage within 10 days [S16]).
import { common, confidence, modifier } from "../confidence";
import { totalOf, unitValuesPre } from "../valuation";
import type { SupportedRule } from "../types";
import { fcLossCandidates } from "./fc-loss";

const ALREADY_UNSELLABLE = new Set(["H", "K", "U", "7"]);
const units = (n: number) => `${n} unit${n === 1 ? "" : "s"}`;

export const r02FcDamagedUnreimbursed: SupportedRule = {
  id: "R02",
  slug: "fc-damaged-unreimbursed",
  title: "Damaged in an Amazon warehouse, not reimbursed",
  explanation:
    "Amazon's inventory ledger records units its fulfillment center damaged. Amazon should reimburse sellable units it damages; these were not reimbursed and not moved back to sellable.",
  supported: true,
  claimFamily: "fc-damaged",
  requires: ["ledger-detail", "reimbursements"],
  scopeDimensions: ["fnskus"],
  candidates: (ctx) =>
    fcLossCandidates(ctx, {
      lossReasons: ["E", "6", "H", "K", "U", "7"],
      reimbursementReasons: ["damagedwarehouse"],
      foundReasons: [],
      correctedBackToSellable: true,
      siblingPass: false,
      maturityDays: 10,
      offsetToleranceDays: 7,
      summaryGuard: false,
    }),
  async value(ctx, rows) {
    const values = await unitValuesPre(ctx, rows.map((r) => ({ key: r.fingerprint, sku: r.sku, fnsku: r.fnsku, date: r.eventDate })));
    return new Map(rows.map((r) => [r.fingerprint, totalOf(values.get(r.fingerprint)!, r.units)]));
  },
  confidence(ctx, row, valuation) {
    const f = row.facts as { ageDays: number; reasonCode: string; pairedPRow: boolean; unreconciledQuantity: number | null };
    return confidence(0.8, "Damaged units with a ledger record, not reimbursed", [
      ALREADY_UNSELLABLE.has(f.reasonCode) && modifier("already-unsellable", 0.5, `Reason ${f.reasonCode}: the units were already unsellable before Amazon damaged them`),
      !f.pairedPRow && modifier("no-p-row", 0.85, "No matching P row into the damaged disposition on the same day and FC"),
      f.unreconciledQuantity === null && modifier("no-unreconciled-column", 0.9, "The ledger row carries no Unreconciled Quantity: the open units are our own FIFO count"),
      common.young(f.ageDays),
      common.fallbackValue(valuation),
      common.incompleteData(ctx, ["ledger-detail", "reimbursements"]),
    ]);
  },
  severity(row) {
    return ALREADY_UNSELLABLE.has((row.facts as { reasonCode: string }).reasonCode) ? "info" : undefined;
  },
  summary(row) {
    const f = row.facts as { fulfillmentCenter: string; reasonCode: string };
    return `${units(row.units)} of ${row.fnsku} damaged at ${f.fulfillmentCenter || "a fulfillment center"} on ${row.eventDate} (reason ${f.reasonCode}), not reimbursed`;
  },
};
