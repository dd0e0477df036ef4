// R13 referral-fee-error (detection.md §4): referral fee at the wrong category rate, or a refund
// administration fee above policy. Not supported yet: (a) needs the category the seller confirms for
// each SKU and a versioned table of category referral rates (a category is a judgement the data does not
// settle); (b) the refund administration fee check (RefundCommission kept above min(20% of the referral
// fee, 5.00) per item) is computable from Finances refund events and is the first part to build.
import type { UnsupportedRule } from "../types";

export const r13ReferralFeeError: UnsupportedRule = {
  id: "R13",
  slug: "referral-fee-error",
  title: "Referral fee at the wrong rate",
  explanation: "Amazon charged a referral fee at a rate that does not match your product's category, or kept more than allowed when refunding an order.",
  supported: false,
  blockedBy: "data",
  why: "Needs the seller-confirmed category per SKU and a versioned referral rate table; the refund administration fee part is computable and not built yet",
  needs: ["seller-confirmed category per SKU", "referral fee rates by category and effective date"],
};
