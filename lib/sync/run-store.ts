// Sync bookkeeping: the SyncRun and its SyncTasks, the ProgressEvent stream written in the same
// transaction as every SyncRun change (plus a NOTIFY as the wake-up for listeners; the rows are the
// truth), DataSourceState per source, and the audit trail. Every function is safe to run twice.
import { createHash } from "node:crypto";
import { Prisma } from "../generated/prisma/client";
import { db } from "../db";
import { recordAudit } from "./audit";
import { REAUTHORIZATION_MESSAGE } from "../sellers/reauthorization";
import { recordRowsIngested, recordSyncRunFinished } from "../observability/metrics";
import { planEntry } from "./plan";
import { planRunTasks, type PlannedTask } from "./run-plan";
import { windowInWords } from "./windows";

export type SyncKind = "historical" | "incremental";
export type SyncStatus = "running" | "completed" | "failed" | "cancelled";
export type TaskStatus = "pending" | "running" | "done" | "empty" | "failed" | "skipped" | "cancelled";

/** Tasks that will do no more work. */
export const FINISHED_TASK_STATUSES: readonly TaskStatus[] = ["done", "empty", "failed", "skipped", "cancelled"];

/** The channel PostgreSQL NOTIFY wakes progress listeners on (payload: the sync run id). */
export const PROGRESS_CHANNEL = "sync_progress";

/** Share of the progress bar the data pull fills; the rest is detection and wrap-up. */
export const DATA_PROGRESS_SHARE = 90;

type Tx = Prisma.TransactionClient;

/** A sync run id derived from what asked for it (an Inngest event id): the same request is the same run. */
export function syncRunIdFor(requestId: string): string {
  return `sync_${createHash("sha256").update(requestId).digest("hex").slice(0, 24)}`;
}

export interface StartSyncInput {
  syncRunId: string;
  sellerConnectionId: string;
  kind: SyncKind;
  trigger: string;
  /** Amazon's clock, milliseconds. */
  nowMs: number;
  historyDays: number;
  startFor?: Parameters<typeof planRunTasks>[0]["startFor"];
}

export interface StartedSync {
  syncRunId: string;
  /** Sources with work, in priority order. */
  sources: string[];
  created: boolean;
}

/** Another sync of the seller is running: this one was not started. */
export interface SyncAlreadyRunning {
  skipped: string;
  runningSyncId: string;
}

/**
 * Creates the run and all its tasks in one transaction, or returns the run this request already made.
 * A seller has one running sync at a time (SyncRun.activeFor is unique): while another runs, nothing
 * is written and the running one is named.
 */
export async function startSyncRun(input: StartSyncInput): Promise<StartedSync | SyncAlreadyRunning> {
  try {
    return await createSyncRun(input);
  } catch (error) {
    // Two starts at the same moment (two app instances): the unique key let one through.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const running = await runningSyncOf(input.sellerConnectionId);
      if (running && running !== input.syncRunId) return alreadyRunning(running);
      if (running === input.syncRunId) return createSyncRun(input);
    }
    throw error;
  }
}

/** The seller's running sync, if one runs. */
export async function runningSyncOf(sellerConnectionId: string, tx: Tx = db): Promise<string | undefined> {
  const run = await tx.syncRun.findUnique({ where: { activeFor: sellerConnectionId }, select: { id: true } });
  return run?.id;
}

function alreadyRunning(runningSyncId: string): SyncAlreadyRunning {
  return { skipped: "Another sync of this seller is running", runningSyncId };
}

async function createSyncRun(input: StartSyncInput): Promise<StartedSync | SyncAlreadyRunning> {
  return db.$transaction(async (tx) => {
    const existing = await tx.syncRun.findUnique({ where: { id: input.syncRunId }, select: { id: true } });
    if (existing) {
      const sources = await tx.syncTask.findMany({ where: { syncRunId: input.syncRunId }, select: { source: true }, distinct: ["source"] });
      return { syncRunId: input.syncRunId, sources: orderSources(sources.map((s) => s.source)), created: false };
    }
    const running = await runningSyncOf(input.sellerConnectionId, tx);
    if (running) return alreadyRunning(running);
    const planned = planRunTasks({ nowMs: input.nowMs, historyDays: input.historyDays, startFor: input.startFor });
    const connection = await tx.sellerConnection.findUniqueOrThrow({ where: { id: input.sellerConnectionId }, select: { userId: true } });
    await tx.syncRun.create({
      data: {
        id: input.syncRunId,
        sellerConnectionId: input.sellerConnectionId,
        kind: input.kind,
        status: "running",
        activeFor: input.sellerConnectionId,
        trigger: input.trigger,
        unitsPlanned: planned.length,
        message: input.kind === "historical" ? "Starting your 18-month history sync" : "Starting sync",
      },
    });
    await tx.syncTask.createMany({ data: planned.map((task) => taskRow(input.syncRunId, task)) });
    await writeProgressEvent(tx, input.syncRunId, { phase: "started", unitsPlanned: planned.length });
    await recordAudit(
      {
        actor: input.trigger.startsWith("user:") ? input.trigger : `system:${input.trigger}`,
        action: "sync.started",
        userId: connection.userId,
        sellerConnectionId: input.sellerConnectionId,
        syncRunId: input.syncRunId,
        details: { kind: input.kind, tasks: planned.length },
      },
      tx,
    );
    return { syncRunId: input.syncRunId, sources: orderSources([...new Set(planned.map((t) => t.source))]), created: true };
  });
}

function orderSources(sources: string[]): string[] {
  return sources.sort((a, b) => planEntry(a).priority - planEntry(b).priority);
}

function taskRow(syncRunId: string, task: PlannedTask) {
  return {
    syncRunId,
    source: task.source,
    windowStart: task.windowStart ? new Date(task.windowStart) : null,
    windowEnd: new Date(task.windowEnd),
    status: "pending",
  } satisfies Prisma.SyncTaskCreateManyInput;
}

/** Appends the run's current state to its progress stream and wakes listeners (on commit). */
export async function writeProgressEvent(tx: Tx, syncRunId: string, data: Prisma.InputJsonObject = {}): Promise<void> {
  // One round trip (every SSE frame waits on it): the event copies the run's state as this transaction
  // sees it, and the NOTIFY is delivered when the transaction commits.
  const written = await tx.$queryRaw<{ syncRunId: string }[]>`
    WITH event AS (
      INSERT INTO "ProgressEvent" ("syncRunId", "status", "progress", "message", "data")
      SELECT r."id", r."status", r."progress", r."message", ${JSON.stringify(data)}::jsonb FROM "SyncRun" r WHERE r."id" = ${syncRunId}
      RETURNING "syncRunId")
    SELECT e."syncRunId" FROM event e CROSS JOIN LATERAL pg_notify(${PROGRESS_CHANNEL}, e."syncRunId") AS n`;
  if (written.length === 0) throw new Error(`no sync run ${syncRunId} to write a progress event for`);
}

/** What a seller reads for a task: "Downloading inventory ledger, Jan-Jun 2025". */
export function taskMessage(verb: string, task: { source: string; windowStart: Date | null; windowEnd: Date | null }): string {
  const title = planEntry(task.source).title;
  if (!task.windowStart || !task.windowEnd) return `${verb} ${title}`;
  return `${verb} ${title}, ${windowInWords({ start: task.windowStart.toISOString(), end: task.windowEnd.toISOString() })}`;
}

/** Sets the run's message (only while it runs) with a progress event. */
export async function noteActivity(syncRunId: string, message: string, data: Prisma.InputJsonObject = {}): Promise<void> {
  await db.$transaction(async (tx) => {
    const changed = await tx.syncRun.updateMany({ where: { id: syncRunId, status: "running", NOT: { message } }, data: { message } });
    if (changed.count > 0) await writeProgressEvent(tx, syncRunId, data);
  });
}

export interface TaskOutcome {
  status: Extract<TaskStatus, "done" | "empty" | "failed" | "skipped">;
  /** Rows stored by the last piece of work (added to the task's and the run's counts). */
  rows?: number;
  malformedRows?: number;
  error?: string;
}

/**
 * Ends a task and moves the run forward: units done, progress, counts, ETA, a progress event. A task
 * already finished is left alone (a retried step), so its rows are counted once.
 */
export async function finishTask(taskId: string, outcome: TaskOutcome, etaMs?: number): Promise<boolean> {
  let source: string | undefined;
  const finished = await db.$transaction(async (tx) => {
    // The row lock makes two finishes of one task (lanes closing a refused source, a cancel) take turns:
    // the second sees the first's status and counts nothing.
    await tx.$queryRaw`SELECT 1 FROM "SyncTask" WHERE "id" = ${taskId} FOR UPDATE`;
    const task = await tx.syncTask.findUniqueOrThrow({ where: { id: taskId } });
    if (FINISHED_TASK_STATUSES.includes(task.status as TaskStatus)) return false;
    await tx.syncTask.update({
      where: { id: taskId },
      data: {
        status: outcome.status,
        rows: { increment: outcome.rows ?? 0 },
        malformedRows: { increment: outcome.malformedRows ?? 0 },
        error: outcome.error ?? null,
        finishedAt: new Date(),
      },
    });
    await addRunCounts(tx, task.syncRunId, task.source, outcome.rows ?? 0, 1);
    await refreshRunProgress(tx, task.syncRunId, etaMs);
    await writeProgressEvent(tx, task.syncRunId, {
      source: task.source,
      task: taskId,
      taskStatus: outcome.status,
      ...(outcome.error ? { error: outcome.error } : {}),
    });
    source = task.source;
    return true;
  });
  if (finished && source) recordRowsIngested(source, outcome.rows ?? 0);
  return finished;
}

/** Rows stored by a piece of a task that goes on (a chunk of a large document, a page range). */
export async function addTaskRows(taskId: string, rows: number, malformedRows: number, progress: Prisma.SyncTaskUpdateInput = {}): Promise<void> {
  const source = await db.$transaction(async (tx) => {
    const task = await tx.syncTask.update({
      where: { id: taskId },
      data: { ...progress, rows: { increment: rows }, malformedRows: { increment: malformedRows } },
    });
    await addRunCounts(tx, task.syncRunId, task.source, rows, 0);
    return task.source;
  });
  recordRowsIngested(source, rows);
}

/** The run's status, its row locked until the transaction ends. */
async function lockRunStatus(tx: Tx, syncRunId: string): Promise<string | undefined> {
  const rows = await tx.$queryRaw<{ status: string }[]>`SELECT "status" FROM "SyncRun" WHERE "id" = ${syncRunId} FOR UPDATE`;
  return rows[0]?.status;
}

async function addRunCounts(tx: Tx, syncRunId: string, source: string, rows: number, unitsDone: number): Promise<void> {
  await tx.$executeRaw`
    UPDATE "SyncRun"
    SET "counts" = jsonb_set("counts", ARRAY[${source}], to_jsonb(COALESCE(("counts"->>${source})::bigint, 0) + ${rows}::bigint)),
        "unitsDone" = "unitsDone" + ${unitsDone}::int,
        "updatedAt" = now()
    WHERE "id" = ${syncRunId}`;
}

async function refreshRunProgress(tx: Tx, syncRunId: string, etaMs?: number): Promise<void> {
  const run = await tx.syncRun.findUniqueOrThrow({ where: { id: syncRunId }, select: { unitsDone: true, unitsPlanned: true, status: true } });
  if (run.status !== "running") return;
  const share = run.unitsPlanned > 0 ? run.unitsDone / run.unitsPlanned : 1;
  await tx.syncRun.update({
    where: { id: syncRunId },
    data: { progress: Math.min(DATA_PROGRESS_SHARE, Math.floor(share * DATA_PROGRESS_SHARE)), ...(etaMs !== undefined ? { etaAt: new Date(etaMs) } : {}) },
  });
}

/** Adds tasks to a running sync (a split window, the reports a listing found); the run plans more units. */
export async function addTasks(syncRunId: string, tasks: PlannedTask[], extra: Partial<Prisma.SyncTaskCreateManyInput>[] = []): Promise<string[]> {
  return db.$transaction(async (tx) => {
    // A run stopped meanwhile (cancelled while a step split a window or listed reports) plans no more:
    // a task added now would stay pending in a run that is over. The row lock orders this against
    // cancelRun, which closes the run's open tasks again once it holds the lock.
    if ((await lockRunStatus(tx, syncRunId)) !== "running") return [];
    const ids: string[] = [];
    let added = 0;
    for (const [i, task] of tasks.entries()) {
      const windowStart = task.windowStart ? new Date(task.windowStart) : null;
      const found = await tx.syncTask.findFirst({ where: { syncRunId, source: task.source, windowStart }, select: { id: true } });
      if (found) {
        ids.push(found.id);
        continue;
      }
      const created = await tx.syncTask.create({ data: { ...taskRow(syncRunId, task), ...extra[i] } });
      ids.push(created.id);
      added++;
    }
    if (added > 0) {
      await tx.syncRun.update({ where: { id: syncRunId }, data: { unitsPlanned: { increment: added } } });
      await refreshRunProgress(tx, syncRunId);
    }
    return ids;
  });
}

export interface SyncSummary {
  syncRunId: string;
  status: SyncStatus;
  failedTasks: { source: string; window: string | null; error: string | null }[];
  counts: Record<string, number>;
}

/** Seed 004's 90 %: the data is in, the sync waits for its detection. Only while the run runs. */
export const DETECTION_WAIT_MESSAGE = "Waiting for discrepancy detection...";

export async function noteDetectionWaiting(syncRunId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const changed = await tx.syncRun.updateMany({
      where: { id: syncRunId, status: "running" },
      data: { message: DETECTION_WAIT_MESSAGE, progress: DATA_PROGRESS_SHARE, etaAt: null },
    });
    if (changed.count > 0) await writeProgressEvent(tx, syncRunId, { phase: "detecting" });
  });
}

/**
 * Ends the run: completed (listing failed tasks) when anything was pulled, failed when nothing could be.
 * `detected`: the run's detection finished, so its count (SyncRun.claimsDetected) goes in the message.
 */
export async function finishSyncRun(syncRunId: string, nowMs: number, options: { detected?: boolean } = {}): Promise<SyncSummary> {
  const summary = await db.$transaction(async (tx) => {
    const stopped = await tx.syncRun.findUniqueOrThrow({ where: { id: syncRunId }, include: { sellerConnection: { select: { userId: true, status: true } } } });
    if (stopped.status === "running" && stopped.sellerConnection.status === "disconnected") {
      // Disconnected while the sync ran, and its sources stopped on it before amazon/disconnected was
      // handled (or that event was lost): the disconnect stopped the run; it did not complete or fail.
      await cancelRun(tx, stopped, "system:inngest", SYNC_STOPPED_BY_DISCONNECT, nowMs);
    }
    // Locked: a cancel landing at the same moment either comes first (and this leaves the run alone) or waits.
    await lockRunStatus(tx, syncRunId);
    const run = await tx.syncRun.findUniqueOrThrow({ where: { id: syncRunId }, include: { sellerConnection: { select: { userId: true, status: true } } } });
    // Amazon refused the seller's authorization mid-run (lib/sellers/reauthorization.ts): what was not
    // pulled is skipped with the reason, and the run fails saying what the seller must do.
    const revoked = run.status === "running" && run.sellerConnection.status === "reauthorization_required";
    if (revoked) {
      await tx.syncTask.updateMany({
        where: { syncRunId, status: { in: ["pending", "running"] } },
        data: { status: "skipped", error: REAUTHORIZATION_MESSAGE, finishedAt: new Date() },
      });
    }
    const tasks = await tx.syncTask.findMany({ where: { syncRunId }, orderBy: [{ source: "asc" }, { windowStart: "asc" }] });
    const failedTasks = tasks
      .filter((t) => t.status === "failed" || t.status === "skipped")
      .map((t) => ({ source: t.source, window: t.windowStart ? `${t.windowStart.toISOString()}..${t.windowEnd?.toISOString()}` : null, error: t.error }));
    const counts = (run.counts ?? {}) as Record<string, number>;
    if (run.status !== "running") return { syncRunId, status: run.status as SyncStatus, failedTasks, counts };

    // Sources whose tasks ended without pulling (still pending means the run was stopped early).
    const pulledAnything = tasks.some((t) => t.status === "done" || t.status === "empty");
    const status: SyncStatus = pulledAnything && !revoked ? "completed" : "failed";
    await updateSourceStates(tx, run.sellerConnectionId, tasks, nowMs);
    const failedSources = [...new Set(failedTasks.map((t) => t.source))];
    const message =
      revoked
        ? SYNC_STOPPED_BY_REVOCATION
        : status === "failed"
        ? "Sync failed: nothing could be pulled from Amazon"
        : failedSources.length > 0
          ? `Sync completed; ${failedSources.length} data source${failedSources.length === 1 ? "" : "s"} could not be pulled (${failedSources.map((s) => planEntry(s).title).join(", ")})`
          : options.detected
            ? `Sync completed successfully - ${run.claimsDetected} discrepanc${run.claimsDetected === 1 ? "y" : "ies"} detected`
            : "Sync completed successfully";
    await tx.syncRun.update({
      where: { id: syncRunId },
      data: {
        status,
        activeFor: null,
        progress: 100,
        message,
        completedAt: new Date(),
        etaAt: null,
        error: revoked ? REAUTHORIZATION_MESSAGE : status === "failed" ? (failedTasks[0]?.error ?? "No data source could be pulled") : null,
      },
    });
    await writeProgressEvent(tx, syncRunId, { phase: "finished", failedTasks: failedTasks.length });
    await recordAudit(
      {
        actor: "system:inngest",
        action: status === "completed" ? "sync.completed" : "sync.failed",
        userId: run.sellerConnection.userId,
        sellerConnectionId: run.sellerConnectionId,
        syncRunId,
        details: { counts, failedTasks: failedTasks.length },
      },
      tx,
    );
    return { syncRunId, status, failedTasks, counts, ended: { kind: run.kind, seconds: (Date.now() - run.startedAt.getTime()) / 1000 } };
  });
  const { ended, ...result } = summary as SyncSummary & { ended?: { kind: string; seconds: number } };
  if (ended) recordSyncRunFinished(ended.kind, result.status, ended.seconds);
  return result;
}

/** DataSourceState per source of the run: when it was pulled, how far its data is complete, its health. */
async function updateSourceStates(tx: Tx, sellerConnectionId: string, tasks: { source: string; status: string; windowStart: Date | null; windowEnd: Date | null; error: string | null }[], nowMs: number): Promise<void> {
  const bySource = new Map<string, typeof tasks>();
  for (const task of tasks) bySource.set(task.source, [...(bySource.get(task.source) ?? []), task]);
  for (const [source, list] of bySource) {
    const ok = list.filter((t) => t.status === "done" || t.status === "empty");
    const bad = list.filter((t) => t.status === "failed" || t.status === "skipped");
    const health = bad.length === 0 ? "ok" : ok.length === 0 ? "error" : "degraded";
    // Complete up to the end of the last window before the first gap (windows are in time order).
    const windowed = list.filter((t) => t.windowStart).sort((a, b) => a.windowStart!.getTime() - b.windowStart!.getTime());
    let watermark: Date | null = null;
    for (const t of windowed) {
      if (t.status !== "done" && t.status !== "empty") break;
      watermark = t.windowEnd;
    }
    if (windowed.length === 0 && ok.length > 0) watermark = list[0]!.windowEnd;
    const lastError = bad[0]?.error ?? null;
    // When we pulled is our own clock (the cards say "2 minutes ago"); how far the data reaches is
    // Amazon's (the watermark). They differ only against a time-scaled sandbox.
    const pulledAt = ok.length > 0 ? new Date() : undefined;
    await tx.dataSourceState.upsert({
      where: { sellerConnectionId_source: { sellerConnectionId, source } },
      create: { sellerConnectionId, source, health, lastError, lastPulledAt: pulledAt ?? null, watermark },
      update: {
        health,
        lastError,
        ...(pulledAt ? { lastPulledAt: pulledAt } : {}),
        // Never move a watermark back: an earlier sync may have got further.
        ...(watermark ? { watermark: await laterOf(tx, sellerConnectionId, source, watermark) } : {}),
      },
    });
  }
}

async function laterOf(tx: Tx, sellerConnectionId: string, source: string, watermark: Date): Promise<Date> {
  const state = await tx.dataSourceState.findUnique({ where: { sellerConnectionId_source: { sellerConnectionId, source } }, select: { watermark: true } });
  return state?.watermark && state.watermark > watermark ? state.watermark : watermark;
}

/** What a run stopped because Amazon refused the seller's authorization says. */
export const SYNC_STOPPED_BY_REVOCATION = "Sync stopped: Amazon no longer accepts this connection. Connect your Amazon account again to sync.";

/** What a run stopped by a disconnect says. */
export const SYNC_STOPPED_BY_DISCONNECT = "Sync stopped: Amazon was disconnected";

/** Marks the seller's running syncs cancelled (their unfinished tasks too). Returns the runs it ended. */
export async function cancelRunningSyncs(sellerConnectionId: string, actor: string, reason: string, onlySyncRunId?: string, nowMs = Date.now()): Promise<string[]> {
  return db.$transaction(async (tx) => {
    const runs = await tx.syncRun.findMany({
      where: { sellerConnectionId, status: "running", ...(onlySyncRunId ? { id: onlySyncRunId } : {}) },
      include: { sellerConnection: { select: { userId: true } } },
    });
    const ended: string[] = [];
    for (const run of runs) if (await cancelRun(tx, run, actor, reason, nowMs)) ended.push(run.id);
    return ended;
  });
}

/** Ends one running run as cancelled, its unfinished tasks with it. False when it was no longer running. */
async function cancelRun(tx: Tx, run: { id: string; sellerConnectionId: string; sellerConnection: { userId: string } }, actor: string, reason: string, nowMs: number): Promise<boolean> {
  const closeOpenTasks = () =>
    tx.syncTask.updateMany({ where: { syncRunId: run.id, status: { in: ["pending", "running"] } }, data: { status: "cancelled", finishedAt: new Date() } });
  // Tasks first, then the run's row, the order every writer takes them in (finishTask, addTaskRows), so
  // two never wait for each other. A step adding tasks (addTasks) holds the run's row: once we have it,
  // its tasks are committed and visible, and the second pass closes them too.
  await closeOpenTasks();
  if ((await lockRunStatus(tx, run.id)) !== "running") return false;
  await closeOpenTasks();
  // What was pulled stays and counts: the watermarks move as far as the finished windows reach.
  const tasks = await tx.syncTask.findMany({ where: { syncRunId: run.id, status: { in: ["done", "empty"] } } });
  await updateSourceStates(tx, run.sellerConnectionId, tasks, nowMs);
  await tx.syncRun.update({ where: { id: run.id }, data: { status: "cancelled", activeFor: null, message: reason, completedAt: new Date(), etaAt: null } });
  await writeProgressEvent(tx, run.id, { phase: "cancelled" });
  await recordAudit({ actor, action: "sync.cancelled", userId: run.sellerConnection.userId, sellerConnectionId: run.sellerConnectionId, syncRunId: run.id, details: { reason } }, tx);
  const ended = await tx.syncRun.findUniqueOrThrow({ where: { id: run.id }, select: { kind: true, startedAt: true } });
  recordSyncRunFinished(ended.kind, "cancelled", (Date.now() - ended.startedAt.getTime()) / 1000);
  return true;
}

/**
 * A source that cannot be pulled (Amazon refused the request, or its work gave up after retries):
 * the task at hand fails with the reason, the source's other unfinished tasks are skipped with it.
 */
export async function failSource(syncRunId: string, source: string, reason: string, taskId?: string): Promise<void> {
  const open = await db.syncTask.findMany({ where: { syncRunId, source, status: { in: ["pending", "running"] } }, select: { id: true }, orderBy: { windowStart: "asc" } });
  const refused = taskId ?? open[0]?.id;
  if (!refused) return;
  // The task Amazon refused fails; the rest of the source is skipped with the same reason. When the
  // task was closed meanwhile (another lane of the source was refused first and skipped it), that lane
  // has closed the source already.
  if (!(await finishTask(refused, { status: "failed", error: reason })) && taskId) return;
  for (const task of open) {
    if (task.id !== refused) await finishTask(task.id, { status: "skipped", error: reason });
  }
}
