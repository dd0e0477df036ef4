// Rules the synced data supports that are not built yet (detection.md §4), kept in the catalogue so
// the app can show what detection does not look for yet. Each says which data it will read.
import type { UnsupportedRule } from "../types";

const pending = (id: string, slug: string, title: string, explanation: string, why: string, needs: string[]): UnsupportedRule => ({
  id,
  slug,
  title,
  explanation,
  supported: false,
  blockedBy: "pending",
  why,
  needs,
});

export const r10ReturnMisapplied = pending(
  "R10",
  "return-misapplied",
  "Return credited to the wrong item or order",
  "The refund and return records do not match the unit that physically came back.",
  "Not built yet: return rows vs ordered FNSKU/ASIN, multi-unit partial returns (shares R04's fingerprints), returns credited to another order",
  ["customer-returns", "financial-events", "all-orders", "ledger-detail"],
);
