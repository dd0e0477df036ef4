// Amazon's default usage plans (sp-api.md §b): one token bucket per (selling partner, operation),
// refilled in sandbox time so a time scale keeps Amazon's proportions.
import type { SandboxClock } from "./clock";

export interface UsagePlan {
  rate: number;
  burst: number;
  /** The header value Amazon sends (a string, as in the models). */
  header: string;
}

export const USAGE_PLANS = {
  createReport: { rate: 0.0167, burst: 15, header: "0.0167" },
  getReports: { rate: 0.0222, burst: 10, header: "0.0222" },
  getReport: { rate: 2, burst: 15, header: "2.0" },
  cancelReport: { rate: 0.0222, burst: 10, header: "0.0222" },
  getReportDocument: { rate: 0.0167, burst: 15, header: "0.0167" },
  listFinancialEvents: { rate: 0.5, burst: 30, header: "0.5" },
  getOrders: { rate: 0.0167, burst: 20, header: "0.0167" },
  getOrderItems: { rate: 0.5, burst: 30, header: "0.5" },
  getInventorySummaries: { rate: 2, burst: 2, header: "2.0" },
  getShipments: { rate: 2, burst: 30, header: "2.0" },
  getShipmentItems: { rate: 2, burst: 30, header: "2.0" },
  getShipmentItemsByShipmentId: { rate: 2, burst: 30, header: "2.0" },
  getMarketplaceParticipations: { rate: 0.016, burst: 15, header: "0.016" },
  getAccount: { rate: 0.016, burst: 15, header: "0.016" },
} as const satisfies Record<string, UsagePlan>;

export type OperationName = keyof typeof USAGE_PLANS;

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class UsagePlanLimiter {
  private readonly buckets = new Map<string, Bucket>();
  constructor(private readonly clock: SandboxClock) {}

  /** Takes one token; false means the caller gets 429 QuotaExceeded. */
  take(operation: OperationName, sellingPartnerId: string): boolean {
    const plan = USAGE_PLANS[operation];
    const key = `${sellingPartnerId}\u0000${operation}`;
    const now = this.clock.nowMs();
    const bucket = this.buckets.get(key) ?? { tokens: plan.burst, updatedMs: now };
    bucket.tokens = Math.min(plan.burst, bucket.tokens + ((now - bucket.updatedMs) / 1000) * plan.rate);
    bucket.updatedMs = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  reset(): void {
    this.buckets.clear();
  }
}
