// Whether a seller changed what a detection run applies since the last sync ended: a reconciliation
// rule created, changed or deleted, a unit cost set, changed or deleted, a document uploaded (R03's
// confidence counts the proof a seller gave; a deleted one is audited). An incremental run rechecks
// only the keys new ledger rows touched, so it would apply such a change to those keys alone; the
// runner makes that run a full one instead (lib/detection/run-detection.ts), which is how a change
// reaches every existing finding on the next run. Compared on the app's own clock: the audit entries,
// the cost rows and the sync run's end are all written with it (the run's `now` may be Amazon's).
import type { Db } from "../../db";

export const SETTINGS_ACTIONS = ["reconciliation.rule_created", "reconciliation.rule_updated", "reconciliation.rule_deleted", "unit_cost.changed", "unit_cost.deleted", "document.deleted"];

export async function settingsChangedSinceLastSync(db: Pick<Db, "syncRun" | "auditLog" | "skuUnitCost" | "sellerDocument">, sellerConnectionId: string): Promise<boolean> {
  const last = await db.syncRun.findFirst({
    where: { sellerConnectionId, completedAt: { not: null } },
    orderBy: { completedAt: "desc" },
    select: { completedAt: true },
  });
  const after = last?.completedAt ?? new Date(0);
  const [audit, cost, document] = await Promise.all([
    db.auditLog.findFirst({ where: { sellerConnectionId, action: { in: SETTINGS_ACTIONS }, at: { gte: after } }, select: { id: true } }),
    db.skuUnitCost.findFirst({ where: { sellerConnectionId, updatedAt: { gte: after } }, select: { id: true } }),
    db.sellerDocument.findFirst({ where: { sellerConnectionId, uploadedAt: { gte: after } }, select: { id: true } }),
  ]);
  return audit !== null || cost !== null || document !== null;
}
