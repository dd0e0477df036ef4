// The shapes of the API answers the pages read. The sync ones are the server's own types (type-only
// imports: nothing of the server code reaches the browser); the detection and rule ones follow the
// API contract (docs/dashboard.md links it).
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

export type DetectionStatus = "pending" | "reviewed" | "filed" | "disputed" | "resolved" | "dismissed" | "waiting" | "expired";
export type Severity = "high" | "medium" | "low" | "info";

/** The fields of a finding the dashboard shows (GET /api/detections/results items, summary.expiringSoon). */
export interface DetectionItemLite {
  id: string;
  ruleId: string;
  anomalyType: string;
  title: string;
  summary: string;
  sku: string | null;
  units: number | null;
  estimatedValue: number;
  currency: string;
  severity: Severity;
  status: DetectionStatus;
  deadline: string | null;
  daysRemaining: number | null;
  fileBy: string | null;
}

/** GET /api/detections/summary. */
export interface DetectionSummary {
  total: number;
  open: number;
  currency: string;
  totalValue: number;
  openValue: number;
  readyToFileValue: number;
  expiredValue: number;
  recoveredValue: number;
  byStatus: Partial<Record<DetectionStatus, number>>;
  bySeverity: Partial<Record<Severity, number>>;
  byRule: { ruleId: string; ruleSlug: string; anomalyType: string; title: string; count: number; value: number }[];
  expiringSoon: DetectionItemLite[];
  lastRunAt: string | null;
}

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
