// Words the pages show for the API's codes.
import type { BadgeTone } from "@/components/ui/badge";
import type { CardStatus, SourceStatus } from "@/lib/client/types";

/** "lost_inventory" -> "Lost inventory". */
export function humanize(code: string): string {
  const text = code.replace(/[_-]+/g, " ").trim();
  return text ? text[0]!.toUpperCase() + text.slice(1) : code;
}

export const SYNC_STATUS: Record<string, { label: string; tone: BadgeTone }> = {
  running: { label: "Running", tone: "info" },
  completed: { label: "Completed", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
  cancelled: { label: "Cancelled", tone: "neutral" },
};

export function syncStatusLabel(status: string): { label: string; tone: BadgeTone } {
  return SYNC_STATUS[status] ?? { label: humanize(status), tone: "neutral" };
}

export const SOURCE_STATUS: Record<SourceStatus, { label: string; tone: BadgeTone }> = {
  pending: { label: "Waiting", tone: "neutral" },
  running: { label: "Pulling", tone: "info" },
  completed: { label: "Done", tone: "success" },
  partial: { label: "Partly pulled", tone: "warning" },
  failed: { label: "Failed", tone: "danger" },
  cancelled: { label: "Cancelled", tone: "neutral" },
};

export const CARD_STATUS: Record<CardStatus, { label: string; tone: BadgeTone }> = {
  connected: { label: "Connected & Syncing", tone: "success" },
  stale: { label: "Stale", tone: "warning" },
  error: { label: "Error", tone: "danger" },
  never: { label: "Not pulled yet", tone: "neutral" },
};

/** What each data-source card holds, in a seller's words. */
export const CARD_DESCRIPTION: Record<string, string> = {
  shipments: "Your inbound shipments to Amazon and the units it received.",
  "fc-inventory": "The inventory ledger: every unit's moves, losses and damage in Amazon's warehouses.",
  "sales-orders": "Orders, customer shipments and replacements.",
  returns: "Customer returns and what condition they came back in.",
  reimbursements: "What Amazon has already paid you back.",
  fees: "FBA fees, fee previews and storage fees.",
  settlements: "Settlement reports and financial events: what was paid out.",
};

export function kindLabel(kind: string | null | undefined): string {
  return kind === "historical" ? "Full history" : kind === "incremental" ? "Incremental" : kind ? humanize(kind) : "—";
}
