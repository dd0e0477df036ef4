// TanStack Query keys, one place: the live hooks invalidate by these prefixes when a sync ends, so a
// page that keys its queries under them (the claims pages: anything starting with "detections")
// refreshes without a reload.
export const queryKeys = {
  syncStatus: ["sync", "status"] as const,
  syncRun: (syncId: string) => ["sync", "run", syncId] as const,
  syncHistory: (limit: number, offset: number) => ["sync", "history", limit, offset] as const,
  syncHistoryAll: ["sync", "history"] as const,
  dataSources: ["sync", "data-sources"] as const,
  detectionSummary: ["detections", "summary"] as const,
  detections: ["detections"] as const,
  recoveries: ["recoveries"] as const,
  connections: ["amazon", "connections"] as const,
  reconciliationRules: ["reconciliation", "rules"] as const,
};
