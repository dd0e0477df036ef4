// The shapes of the API answers the pages read. The sync ones are the server's own types (type-only
// imports: nothing of the server code reaches the browser), the reconciliation rules' as the API
// contract gives them.
export type {
  CardStatus,
  DataSourceCard,
  DataSourcesHealth,
  SourceStatus,
  SyncHistory,
  SyncRunDetail,
  SyncSourceView,
  SyncStatusOverview,
} from "@/lib/sync/api/views";

export type { DetectionItem } from "@/lib/detection/api/views";
export type { DetectionSummary } from "@/lib/detection/api/summary";
import type { DetectionItem } from "@/lib/detection/api/views";

export type Severity = "high" | "medium" | "low" | "info";

/** The fields of a finding the dashboard shows (summary.expiringSoon). */
export type DetectionItemLite = Pick<DetectionItem, "id" | "ruleId" | "anomalyType" | "title" | "summary" | "sku" | "units" | "estimatedValue" | "currency" | "severity" | "status" | "deadline" | "daysRemaining" | "fileBy">;

/** GET /api/v1/reconciliation/rules items. */
export interface ReconciliationRuleItem {
  id: string;
  ruleType: string;
  threshold: number | null;
  minUnits: number | null;
  severity: Severity | null;
  autoResolve: boolean;
  enabled: boolean;
  conditions: { skus?: string[]; marketplaceIds?: string[]; minConfidence?: number };
  createdAt: string;
  updatedAt: string;
  sellerConnectionId: string | null;
}

/** The body of POST/PATCH /api/v1/reconciliation/rules. */
export type ReconciliationRuleInput = Pick<ReconciliationRuleItem, "ruleType" | "threshold" | "minUnits" | "severity" | "autoResolve" | "enabled" | "conditions">;

/** POST /api/sync/start (202) and the 409 body's fields. */
export interface SyncStartAnswer {
  syncId: string;
  status: "running";
  message: string;
  kind?: "historical" | "incremental";
}

/** GET /api/amazon/connections items. */
export interface SellerConnectionItem {
  id: string;
  sellingPartnerId: string;
  region: string;
  marketplaceIds: string[];
  status: string;
  connectedAt: string;
  syncPending: boolean;
}
