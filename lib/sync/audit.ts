// The audit trail (seed 002's audit_logs): who or what started, finished, failed or cancelled each
// sync, and connected or disconnected a seller. Written in the same transaction as the change it records.
import type { Prisma } from "../generated/prisma/client";
import { db } from "../db";

export type AuditAction =
  | "sync.started"
  | "sync.completed"
  | "sync.failed"
  | "sync.cancelled"
  | "seller.connected"
  | "seller.disconnected"
  | "seller.reauthorization_required";

export interface AuditEntry {
  /** "user:<id>", "system:inngest", "system:cron". */
  actor: string;
  action: AuditAction;
  userId?: string | null;
  sellerConnectionId?: string | null;
  syncRunId?: string | null;
  details?: Prisma.InputJsonValue;
}

type Tx = Pick<typeof db, "auditLog">;

export async function recordAudit(entry: AuditEntry, tx: Tx = db): Promise<void> {
  await tx.auditLog.create({
    data: {
      actor: entry.actor,
      action: entry.action,
      userId: entry.userId ?? null,
      sellerConnectionId: entry.sellerConnectionId ?? null,
      syncRunId: entry.syncRunId ?? null,
      details: entry.details ?? {},
    },
  });
}
