// How the claims pages write money, days, statuses, windows and value bases for a seller. Money is
// the shared formatMoney (Intl.NumberFormat in the claim's own currency); a calendar day ("YYYY-MM-DD",
// a claim's deadline) is that day in every time zone; instants go through components/ui/time's
// LocalTime (the browser's zone, hydration-safe).
import { formatMoney } from "@/components/ui/money";
import { formatDay as formatUiDay } from "@/components/ui/time";
import type { ClaimStatus, Severity } from "./api";

export { formatMoney };

/** The number of decimals of a currency's minor unit (USD 2, JPY 0). */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Integer minor units → money text: 1234, "USD" → "$12.34". */
export function formatMinor(minor: number, currency: string): string {
  return formatMoney(minor / 10 ** currencyDigits(currency), currency);
}

/** A calendar day ("2026-03-05") as the seller's locale writes it; "—" for none. */
export function formatDay(day: string | null | undefined): string {
  return day ? formatUiDay(day.slice(0, 10)) : "—";
}

export const percent = (value: number): string => `${Math.round(value * 100)}%`;

export const plural = (n: number, word: string): string => `${n} ${word}${Math.abs(n) === 1 ? "" : "s"}`;

export const STATUS_LABELS: Record<ClaimStatus, string> = {
  pending: "To review",
  reviewed: "Reviewed",
  filed: "Filed",
  disputed: "Disputed",
  resolved: "Resolved",
  dismissed: "Dismissed",
  waiting: "Waiting for window",
  expired: "Expired",
};

/** What each status a seller can set means, for the status form. */
export const STATUS_HELP: Record<Exclude<ClaimStatus, "waiting" | "expired">, string> = {
  pending: "Not looked at yet.",
  reviewed: "Checked; ready to file when you are.",
  filed: "You opened a case with Amazon.",
  disputed: "Amazon refused or underpaid and you pushed back.",
  resolved: "Amazon paid or the claim is otherwise settled.",
  dismissed: "Not worth filing, or not a real loss.",
};

export const SETTABLE_STATUSES = ["pending", "reviewed", "filed", "disputed", "resolved", "dismissed"] as const;

export const SEVERITY_LABELS: Record<Severity, string> = { high: "High", medium: "Medium", low: "Low", info: "Info" };

/** The value basis in words: how the claim's amount was worked out (lib/detection/README.md, Valuation). */
export function describeBasis(basis: string): { label: string; detail: string; fallback: boolean } {
  switch (basis) {
    case "seller-cost":
      return { label: "Valued at your unit cost", detail: "The cost you entered for this SKU, per unit, as Amazon pays it since 31 March 2025.", fallback: false };
    case "net-proceeds":
      return {
        label: "Valued at your net proceeds",
        detail: "Average sale price minus Amazon's referral and FBA fees per unit sold in the 90 days before: Amazon's basis before 31 March 2025.",
        fallback: false,
      };
    case "reimbursement-median":
      return {
        label: "Fallback: what Amazon paid before",
        detail: "The median amount per unit Amazon reimbursed for this item's lost or damaged units. Enter your unit cost for an exact figure.",
        fallback: true,
      };
    case "sale-price-40pct":
      return {
        label: "Fallback: 40% of average sale price",
        detail: "No unit cost is on file for this SKU, so the estimate is 40% of its average sale price. Enter your unit cost for an exact figure.",
        fallback: true,
      };
    case "sale-price-minus-fees":
      return { label: "Valued at the refund minus fees", detail: "What the customer was refunded, less the referral fee Amazon credited back, per unit.", fallback: false };
    case "order-price-minus-referral":
      return { label: "Fallback: order price minus referral fee", detail: "The order item's price less the referral fee Amazon's fee preview shows.", fallback: true };
    case "order-price":
      return { label: "Fallback: the order price", detail: "The order item's price (no fee figures were available).", fallback: true };
    case "seller-cost-shortfall":
      return { label: "The shortfall against your unit cost", detail: "What Amazon's reimbursement fell short of your unit cost.", fallback: false };
    case "sale-price-minus-fees-shortfall":
      return { label: "The shortfall against the refund minus fees", detail: "What Amazon's reimbursement fell short of the refund less fees.", fallback: false };
    case "reversed-amount":
      return { label: "The amount Amazon took back", detail: "The reimbursement Amazon reversed without a found or returned unit to justify it.", fallback: false };
    case "unvalued":
      return { label: "Not valued", detail: "No price, cost or earlier payout is known for this item: enter your unit cost to value it.", fallback: true };
    default:
      return { label: basis.replace(/-/g, " "), detail: "", fallback: false };
  }
}

/** "lost_inventory" → "Lost inventory". */
export const humanize = (code: string): string => {
  const text = code.replace(/[_-]+/g, " ").trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/** The window in one sentence: "opens in 12 days", "14 days left", "lost to the window". */
export function windowText(claim: { status: ClaimStatus; expired: boolean; opensAt: string; deadline: string | null; daysRemaining: number | null }, today: string | null): string {
  if (claim.expired || claim.status === "expired") return "Lost to the window";
  if (claim.status === "waiting") {
    const days = today ? daysBetween(today, claim.opensAt) : null;
    return days !== null && days > 0 ? `Opens in ${plural(days, "day")}` : `Opens ${formatDay(claim.opensAt)}`;
  }
  if (claim.deadline === null || claim.daysRemaining === null) return "No deadline";
  if (claim.daysRemaining === 0) return "Last day to file";
  return `${plural(claim.daysRemaining, "day")} left`;
}

/** Whole days from one "YYYY-MM-DD" to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / 86_400_000);
}
