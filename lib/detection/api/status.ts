// The seller's status change of one finding (PATCH /api/detections/:id): reviewed, filed with Amazon,
// disputed, resolved, dismissed, or back to pending, with an optional note. The stored status becomes the
// seller's (statusSetBy "seller": detection reruns keep it), and the change is written to the audit
// trail (AuditLog "detection.status_changed") in the same transaction, so the history a seller reads
// and the status never disagree. `waiting` and `expired` follow from the claim window and the date and
// are never set; a claim whose window has not opened or has closed cannot be filed or disputed.
import { z } from "zod";
import { ApiError } from "../../api/errors";
import { hasControlCharacters } from "../../api/validation";
import { db } from "../../db";
import { derivedStatus, isoDay, STORED_STATUSES, type StoredStatus } from "../windows";
import { DETECTION_STATUS_CHANGED, detectionItem, type DetectionItem } from "./views";

const SETTABLE_LIST = STORED_STATUSES.join(", ");

export const statusChangeSchema = z
  .object({
    status: z.enum(STORED_STATUSES, {
      error: (issue) =>
        issue.input === "waiting" || issue.input === "expired"
          ? `"${String(issue.input)}" follows from the claim window and today's date and cannot be set; set one of ${SETTABLE_LIST}`
          : `must be one of ${SETTABLE_LIST}`,
    }),
    // A note may run over several lines; other control characters are refused.
    note: z
      .string()
      .max(1000)
      .refine((v) => !hasControlCharacters(v.replace(/[\n\r\t]/g, " ")), "must not contain control characters")
      .optional(),
  })
  .strict();

export type StatusChange = z.infer<typeof statusChangeSchema>;

/** Statuses that say the claim went to Amazon: not before the window opens, not after it closed. */
const NEEDS_OPEN_WINDOW: ReadonlySet<StoredStatus> = new Set(["filed", "disputed"]);

/**
 * `now` is the clock the window is judged by (Amazon's); the change itself is stamped with the real
 * time it was made.
 */
export async function changeDetectionStatus(detectionId: string, userId: string, change: StatusChange, now: Date): Promise<DetectionItem> {
  const at = new Date();
  const note = change.note?.trim() ? change.note.trim() : null;
  const updated = await db.$transaction(async (tx) => {
    // The row is locked for the change: two changes at once are recorded one after the other, each
    // with the status it really replaced.
    await tx.$queryRaw`SELECT 1 FROM "Detection" WHERE "id" = ${detectionId} FOR UPDATE`;
    const current = await tx.detection.findUniqueOrThrow({ where: { id: detectionId } });
    const seen = derivedStatus(current.status, current.opensAt, current.deadline, now);
    if (NEEDS_OPEN_WINDOW.has(change.status) && change.status !== current.status) {
      if (seen === "waiting") {
        throw new ApiError("conflict", `This claim cannot be ${change.status} yet: Amazon's window for it opens on ${isoDay(current.opensAt)}.`);
      }
      if (seen === "expired") {
        throw new ApiError(
          "conflict",
          `This claim cannot be ${change.status}: its deadline passed on ${current.deadline ? isoDay(current.deadline) : "an earlier day"} and Amazon no longer accepts it.`,
        );
      }
    }
    if (current.status === change.status && (note === null || note === current.statusNote)) return current;
    const row = await tx.detection.update({
      where: { id: detectionId },
      data: {
        status: change.status,
        statusSetBy: "seller",
        statusNote: note,
        statusChangedAt: at,
        // Resolved: the day it was settled; reopened: no longer resolved (the paying reimbursement, if any, stays named).
        ...(change.status === "resolved" && current.status !== "resolved" ? { resolvedAt: at } : {}),
        ...(change.status !== "resolved" ? { resolvedAt: null } : {}),
      },
    });
    await tx.auditLog.create({
      data: {
        at,
        actor: `user:${userId}`,
        action: DETECTION_STATUS_CHANGED,
        userId,
        sellerConnectionId: current.sellerConnectionId,
        details: { detectionId, ruleId: current.ruleId, fingerprint: current.fingerprint, from: current.status, to: change.status, note },
      },
    });
    return row;
  });
  return detectionItem(updated, now);
}
