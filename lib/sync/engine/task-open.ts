// A stopped sync (cancelled, Amazon disconnected, its source refused) closes its open tasks from
// outside the step that works on them. Cancelling the run stops it at the next step boundary only, and
// one step may work for minutes (its budget: a page chain, the items of every shipment, a document), so
// the units look again between two calls: the seller who pressed Cancel expects Amazon to hear no more.
import type { Prisma } from "../../generated/prisma/client";
import { db } from "../../db";
import type { UnitResult } from "./unit-result";

const OPEN = ["pending", "running"];

/**
 * Marks the task running with `data`, unless it was closed since the unit loaded it (a cancel between
 * the read and this write must not reopen it). False: leave it alone, call Amazon no more.
 */
export async function claimTask(taskId: string, data: Prisma.SyncTaskUpdateManyMutationInput = {}): Promise<boolean> {
  const { count } = await db.syncTask.updateMany({ where: { id: taskId, status: { in: OPEN } }, data: { ...data, status: "running" } });
  return count > 0;
}

/**
 * A check to run before each further call of a unit: the task's status once it was closed from
 * outside (`cancelled`, `failed`, `skipped`), undefined while it is open. Reads the database at most
 * once every `everyMs`, so a fast loop pays one query a second.
 */
export function closedCheck(taskId: string, everyMs = 1_000): () => Promise<string | undefined> {
  let checkedAt = Date.now();
  let closed: string | undefined;
  return async () => {
    if (closed || Date.now() - checkedAt < everyMs) return closed;
    checkedAt = Date.now();
    const task = await db.syncTask.findUnique({ where: { id: taskId }, select: { status: true } });
    if (!task || !OPEN.includes(task.status)) closed = task?.status ?? "cancelled";
    return closed;
  };
}

/** What a unit returns for a task closed from outside while it worked: done with it, rows stored so far kept. */
export function closedResult(status: string | undefined, rows = 0): UnitResult {
  return { next: "done", status: (status ?? "cancelled") as Extract<UnitResult, { next: "done" }>["status"], rows };
}
