// R11 fee-size-tier-overcharge (detection.md §4): the FBA fulfillment fee charged above what the
// product's true size and weight imply. Not supported yet: the check compares Amazon's measurements
// (fee preview snapshots) and the fees charged (Finances FBAPerUnitFulfillmentFee) with the product's
// true dimensions and weight, which only the seller can give (measured, with photos on a scale and a
// ruler), and with a versioned FBA fee table by size tier. Neither is in the app yet; tier drift between
// two fee preview snapshots alone is a hint, not a claim Amazon accepts.
import type { UnsupportedRule } from "../types";

export const r11FeeSizeTierOvercharge: UnsupportedRule = {
  id: "R11",
  slug: "fee-size-tier-overcharge",
  title: "FBA fee charged on the wrong size or weight",
  explanation: "Amazon measured your product larger or heavier than it is and charges a higher fulfillment fee for every unit it ships.",
  supported: false,
  blockedBy: "data",
  why: "Needs the seller's measured dimensions and weight (with photos) and a versioned FBA fee table; the synced data has Amazon's measurements only",
  needs: ["seller-measured dimensions and weight per SKU, with photos", "FBA fulfillment fee table by size tier and effective date"],
};
