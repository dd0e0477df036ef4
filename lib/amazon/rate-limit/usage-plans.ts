// Default usage plans (rate tokens/s, burst) per SP-API operation, from the model files (sp-api.md §b),
// plus each operation's method and path so the client has one table to route by.
export interface UsagePlan {
  /** Requests per second the bucket refills. */
  rate: number;
  /** Bucket size. */
  burst: number;
}

export interface OperationSpec extends UsagePlan {
  method: "GET" | "POST" | "DELETE";
  /** Path template; `{name}` segments are filled from path params (URL-encoded). */
  path: string;
}

export const OPERATIONS = {
  createReport: { method: "POST", path: "/reports/2021-06-30/reports", rate: 0.0167, burst: 15 },
  getReports: { method: "GET", path: "/reports/2021-06-30/reports", rate: 0.0222, burst: 10 },
  getReport: { method: "GET", path: "/reports/2021-06-30/reports/{reportId}", rate: 2, burst: 15 },
  cancelReport: { method: "DELETE", path: "/reports/2021-06-30/reports/{reportId}", rate: 0.0222, burst: 10 },
  getReportDocument: { method: "GET", path: "/reports/2021-06-30/documents/{reportDocumentId}", rate: 0.0167, burst: 15 },
  listFinancialEvents: { method: "GET", path: "/finances/v0/financialEvents", rate: 0.5, burst: 30 },
  listFinancialEventGroups: { method: "GET", path: "/finances/v0/financialEventGroups", rate: 0.5, burst: 30 },
  getOrders: { method: "GET", path: "/orders/v0/orders", rate: 0.0167, burst: 20 },
  getOrderItems: { method: "GET", path: "/orders/v0/orders/{orderId}/orderItems", rate: 0.5, burst: 30 },
  getInventorySummaries: { method: "GET", path: "/fba/inventory/v1/summaries", rate: 2, burst: 2 },
  getShipments: { method: "GET", path: "/fba/inbound/v0/shipments", rate: 2, burst: 30 },
  getShipmentItemsByShipmentId: { method: "GET", path: "/fba/inbound/v0/shipments/{shipmentId}/items", rate: 2, burst: 30 },
  getMarketplaceParticipations: { method: "GET", path: "/sellers/v1/marketplaceParticipations", rate: 0.016, burst: 15 },
  getAccount: { method: "GET", path: "/sellers/v1/account", rate: 0.016, burst: 15 },
} as const satisfies Record<string, OperationSpec>;

export type OperationName = keyof typeof OPERATIONS;

export function usagePlanOf(operation: OperationName): UsagePlan {
  const { rate, burst } = OPERATIONS[operation];
  return { rate, burst };
}
