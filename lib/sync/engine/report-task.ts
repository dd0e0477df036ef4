// One report window: request it (or reuse ours), check it, ingest its document, resumable by line.
// Each function is one Inngest step's body and safe to run twice: ids are persisted before the next
// call depends on them, and the ledger upserts by natural key.
import { db } from "../../db";
import type { ReportType } from "../../amazon/report-types";
import type { ReportQuery } from "../connector";
import { keepRejectedRows, openLedgerWriter } from "../ingest/ledger-writer";
import { planEntry, type PlanEntry } from "../plan";
import { addTaskRows, addTasks, finishTask, noteActivity, taskMessage } from "../run-store";
import { splitWindow } from "../windows";
import { utcDay, type UnitContext } from "./context";
import { claimTask, closedCheck, closedResult } from "./task-open";
import { isRefusal, isUnreadable, reasonOf, waitFor, type UnitResult } from "./unit-result";

type ReportEntry = Extract<PlanEntry, { reportType: ReportType }>;

const MINUTE_MS = 60_000;
/** Reuse a report another run of ours asked for this recently (Amazon serves the same output for about an hour). */
const REUSE_WINDOW_MS = 60 * MINUTE_MS;
/** Tries of a window Amazon cannot split further and keeps answering FATAL. */
const MAX_FATAL_ATTEMPTS = 3;
/** Give up on a report Amazon has not finished after this long (Amazon time). */
const REPORT_TIMEOUT_MS = 24 * 60 * MINUTE_MS;

/** Minimum spacing between two requests of one report type (Amazon regenerates FBA reports at most every 30 min / 4 h). */
export function requestSpacingMs(entry: ReportEntry): number {
  if (entry.kind === "listed-report") return 0;
  // The All Orders reports are exempt from the FBA regeneration limits (sp-api.md §c).
  if (entry.reportType.startsWith("GET_FLAT_FILE_ALL_ORDERS_DATA")) return 0;
  return entry.fatalCooldownMinutes * MINUTE_MS;
}

async function loadTask(taskId: string) {
  const task = await db.syncTask.findUniqueOrThrow({ where: { id: taskId }, include: { syncRun: { select: { sellerConnectionId: true, status: true } } } });
  const entry = planEntry(task.source);
  if (!("reportType" in entry)) throw new TypeError(`${task.source} is not a report source`);
  return { task, entry: entry as ReportEntry };
}

function queryOf(entry: ReportEntry, task: { windowStart: Date | null; windowEnd: Date | null }): ReportQuery {
  if (entry.kind === "snapshot-report") {
    const end = task.windowEnd!.getTime();
    return entry.lookbackHours > 0
      ? { reportType: entry.reportType, dataStartTime: new Date(end - entry.lookbackHours * 60 * MINUTE_MS).toISOString(), dataEndTime: task.windowEnd!.toISOString() }
      : { reportType: entry.reportType };
  }
  return {
    reportType: entry.reportType,
    dataStartTime: task.windowStart!.toISOString(),
    // Amazon's windows are inclusive at both ends: end just before the next window starts.
    dataEndTime: new Date(task.windowEnd!.getTime() - 1).toISOString(),
    ...(entry.kind === "report" && entry.reportOptions ? { reportOptions: entry.reportOptions } : {}),
  };
}

/** Step `create-report:<TYPE>:<window>`: a report id for the task, reusing one of ours when it exists. */
export async function requestReportUnit(ctx: UnitContext, taskId: string): Promise<UnitResult> {
  const { task, entry } = await loadTask(taskId);
  if (task.status !== "pending" && task.status !== "running") return { next: "done", status: task.status as "done", rows: 0 };
  if (task.reportDocumentId) return { next: "ingest" };
  if (task.reportId) return { next: "poll", ms: 0 };
  const now = ctx.connector.now();
  if (task.notBefore && task.notBefore.getTime() > now) {
    return { next: "wait", ms: ctx.time.toRealMs(task.notBefore.getTime() - now), why: "cooldown" };
  }
  const sellerConnectionId = task.syncRun.sellerConnectionId;
  const query = queryOf(entry, task);

  // Ours already, from another run (a cancelled or crashed sync): same seller, source and window.
  const reusable = await db.syncTask.findFirst({
    where: {
      id: { not: taskId },
      source: task.source,
      windowStart: task.windowStart,
      windowEnd: task.windowEnd,
      reportId: { not: null },
      status: { notIn: ["failed"] },
      reportRequestedAt: { gte: new Date(now - REUSE_WINDOW_MS) },
      syncRun: { sellerConnectionId },
    },
    orderBy: { reportRequestedAt: "desc" },
    select: { reportId: true, reportRequestedAt: true },
  });
  if (reusable?.reportId) {
    if (!(await claimTask(taskId, { reportId: reusable.reportId, reportRequestedAt: reusable.reportRequestedAt, startedAt: new Date() }))) return closedResult(undefined);
    return { next: "poll", ms: 0 };
  }

  // A crash between sending createReport and saving its id: look for that report before asking again.
  if (task.reportRequestedAt) {
    try {
      const found = await ctx.connector.findRequestedReport(query, task.reportRequestedAt.getTime() - MINUTE_MS);
      if (found) {
        await db.syncTask.update({ where: { id: taskId }, data: { reportId: found } });
        return { next: "poll", ms: 0 };
      }
    } catch (error) {
      const wait = waitFor(error, ctx.time);
      if (wait) return wait;
      throw error;
    }
  }

  // Amazon regenerates a report type at most once per cooldown: space our requests instead of
  // spending a request on a FATAL answer.
  const spacing = requestSpacingMs(entry);
  if (spacing > 0) {
    const last = await db.syncTask.findFirst({
      where: { source: task.source, id: { not: taskId }, reportRequestedAt: { not: null }, reportId: { not: null }, syncRun: { sellerConnectionId } },
      orderBy: { reportRequestedAt: "desc" },
      select: { reportRequestedAt: true },
    });
    const nextAllowed = last?.reportRequestedAt ? last.reportRequestedAt.getTime() + spacing : 0;
    if (nextAllowed > now) {
      await db.syncTask.update({ where: { id: taskId }, data: { notBefore: new Date(nextAllowed) } });
      return { next: "wait", ms: ctx.time.toRealMs(nextAllowed - now), why: "regeneration-limit" };
    }
  }

  // Closed meanwhile (the sync was stopped): ask Amazon for nothing.
  if (!(await claimTask(taskId, { reportRequestedAt: new Date(now), startedAt: task.startedAt ?? new Date(), attempts: { increment: 1 } }))) return closedResult(undefined);
  await noteActivity(task.syncRunId, taskMessage("Requesting", task));
  try {
    const reportId = await ctx.connector.requestReport(query);
    // Amazon's regeneration limit counts from when it accepted the request, which the client's own
    // retries (a 5xx, a usage-plan wait) can put well after the time saved above: the spacing of the
    // next request of this type counts from now, when the request had certainly been accepted.
    await db.syncTask.update({ where: { id: taskId }, data: { reportId, reportRequestedAt: new Date(ctx.connector.now()) } });
    return { next: "poll", ms: ctx.time.toRealMs(15_000) };
  } catch (error) {
    const wait = waitFor(error, ctx.time);
    if (wait) {
      // Nothing was created (no token, or Amazon's 429): no report to look for on the next try.
      await db.syncTask.update({ where: { id: taskId }, data: { reportRequestedAt: null } });
      return wait;
    }
    if (isRefusal(error)) {
      await db.syncTask.update({ where: { id: taskId }, data: { reportRequestedAt: null } });
      return { next: "source-refused", reason: reasonOf(error) };
    }
    throw error;
  }
}

/** Poll interval after the nth check (Amazon time): 15 s growing ×1.5 to 10 min. */
export function pollIntervalMs(checks: number): number {
  return Math.min(10 * MINUTE_MS, 15_000 * Math.pow(1.5, checks));
}

/** Step `check-report:<TYPE>:<window>:<n>`. */
export async function checkReportUnit(ctx: UnitContext, taskId: string, checks: number): Promise<UnitResult> {
  const { task, entry } = await loadTask(taskId);
  if (task.status !== "pending" && task.status !== "running") return { next: "done", status: task.status as "done", rows: 0 };
  if (task.reportDocumentId) return { next: "ingest" };
  if (!task.reportId) return { next: "wait", ms: 0, why: "no-report" };
  let state;
  try {
    state = await ctx.connector.reportState(task.reportId);
  } catch (error) {
    const wait = waitFor(error, ctx.time);
    if (wait) return wait;
    if (isRefusal(error) && error.status === 404) {
      // Amazon no longer knows the report (retention): ask again.
      await db.syncTask.update({ where: { id: taskId }, data: { reportId: null, reportRequestedAt: null } });
      return { next: "wait", ms: 0, why: "report-gone" };
    }
    throw error;
  }
  switch (state.state) {
    case "pending": {
      const requested = task.reportRequestedAt?.getTime() ?? ctx.connector.now();
      if (ctx.connector.now() - requested > REPORT_TIMEOUT_MS) {
        await finishTask(taskId, { status: "failed", error: `Amazon did not finish the report within 24 hours (still ${state.status})` });
        return { next: "done", status: "failed", rows: 0 };
      }
      if (checks === 0) await noteActivity(task.syncRunId, taskMessage("Waiting for Amazon to prepare", task));
      return { next: "poll", ms: ctx.time.toRealMs(pollIntervalMs(checks)) };
    }
    case "done":
      await db.syncTask.update({ where: { id: taskId }, data: { reportDocumentId: state.documentId } });
      return { next: "ingest" };
    case "empty":
      // CANCELLED: Amazon had no data for the window. The window is done, with zero rows.
      await finishTask(taskId, { status: "empty" });
      return { next: "done", status: "empty", rows: 0 };
    case "fatal":
      return onFatal(ctx, task, entry, state.details);
  }
}

async function onFatal(
  ctx: UnitContext,
  task: Awaited<ReturnType<typeof loadTask>>["task"],
  entry: ReportEntry,
  details: string | undefined,
): Promise<UnitResult> {
  const reason = `Amazon could not produce the report (FATAL)${details ? `: ${details}` : ""}`.slice(0, 500);
  // A window too large for Amazon: ask for its halves. They keep the request spacing, counted from
  // the FATAL request: Amazon's regeneration limit started with it, and clearing the request below
  // hides it from the spacing query, so the first half would be sent at once and refused (FATAL) too.
  if (entry.kind === "report" && task.windowStart && task.windowEnd) {
    const halves = splitWindow({ start: task.windowStart.toISOString(), end: task.windowEnd.toISOString() }, entry.minWindowDays);
    if (halves) {
      const requestedAt = task.reportRequestedAt?.getTime() ?? ctx.connector.now();
      const notBefore = new Date(requestedAt + requestSpacingMs(entry));
      await db.syncTask.update({
        where: { id: task.id },
        // A new, smaller request: its FATAL tries count from zero.
        data: { windowEnd: new Date(halves[0].end), reportId: null, reportRequestedAt: null, reportDocumentId: null, error: reason, notBefore, attempts: 0 },
      });
      const [second] = await addTasks(task.syncRunId, [{ source: task.source, windowStart: halves[1].start, windowEnd: halves[1].end }], [{ notBefore }]);
      return { next: "tasks", taskIds: second ? [task.id, second] : [task.id] };
    }
  }
  // Smallest window (or a snapshot): try again after the cooldown, a few times.
  if (task.attempts < MAX_FATAL_ATTEMPTS) {
    const cooldown = "fatalCooldownMinutes" in entry ? entry.fatalCooldownMinutes : 30;
    const notBefore = ctx.connector.now() + cooldown * MINUTE_MS;
    await db.syncTask.update({ where: { id: task.id }, data: { reportId: null, reportRequestedAt: null, notBefore: new Date(notBefore), error: reason } });
    return { next: "wait", ms: ctx.time.toRealMs(notBefore - ctx.connector.now()), why: "fatal-cooldown" };
  }
  await finishTask(task.id, { status: "failed", error: reason });
  return { next: "done", status: "failed", rows: 0 };
}

/**
 * Step `download-report:<TYPE>:<window>` (then `ingest-report:...:<n>`): streams the document into
 * the ledger from the last stored line, for at most the step budget.
 */
export async function ingestReportUnit(ctx: UnitContext, taskId: string): Promise<UnitResult> {
  const { task, entry } = await loadTask(taskId);
  if (task.status !== "pending" && task.status !== "running") return { next: "done", status: task.status as "done", rows: 0 };
  if (!task.reportDocumentId) return { next: "wait", ms: 0, why: "no-document" };
  const deadline = Date.now() + ctx.budgetMs;
  if (task.resumeLine === 0) await noteActivity(task.syncRunId, taskMessage("Downloading", task));
  const writer = await openLedgerWriter({
    table: entry.table,
    sellerConnectionId: task.syncRun.sellerConnectionId,
    sourceReport: task.reportId ?? task.reportDocumentId,
    syncedAt: new Date(ctx.connector.now()),
    isSandbox: ctx.connector.isSandbox,
    ...(entry.kind === "snapshot-report" ? { snapshotDate: utcDay(task.windowEnd!.getTime()) } : {}),
  });
  const closed = closedCheck(taskId);
  let rows = 0;
  let lastLine = task.resumeLine;
  try {
    const stream = await ctx.connector.openReportRows(entry.reportType, task.reportDocumentId, { batchSize: 5_000, maxMalformedSamples: 100_000 });
    // writeAll stages the next batch while the previous one is stored; after each commit we keep the
    // batch's rejected lines, then stop at the step budget (the next step resumes after the last
    // stored line) or when the sync was stopped.
    let stop: { kind: "budget" } | { kind: "closed"; status: Awaited<ReturnType<typeof closed>> } | undefined;
    await writer.writeAll(stream, {
      resumeLine: task.resumeLine,
      onStored: async (batch) => {
        rows += batch.rows.filter((row) => row.line >= task.resumeLine).length;
        const rejected = batch.malformed.filter((m) => m.line >= task.resumeLine);
        if (rejected.length > 0) await keepRejectedRows(taskId, rejected);
        const batchEnd = batch.rows.at(-1)?.line ?? batch.malformed.at(-1)?.line;
        if (batchEnd !== undefined) lastLine = Math.max(lastLine, batchEnd);
        if (Date.now() > deadline && rows > 0) {
          stop = { kind: "budget" };
          return false;
        }
        const stopped = await closed();
        if (stopped) {
          stop = { kind: "closed", status: stopped };
          return false;
        }
        return true;
      },
    });
    if (stop?.kind === "budget") {
      // Hand over to the next step; it downloads the document again and resumes after this line.
      await addTaskRows(taskId, rows, 0, { resumeLine: lastLine + 1 });
      return { next: "continue", offset: lastLine + 1 };
    }
    if (stop?.kind === "closed") {
      // The sync was stopped: what is stored stays (and where it stopped, should the window be asked again).
      if (rows > 0) await addTaskRows(taskId, rows, 0, { resumeLine: lastLine + 1 });
      return closedResult(stop.status, rows);
    }
    const malformed = stream.summary.malformedCount;
    await finishTask(taskId, { status: task.rows + rows > 0 ? "done" : "empty", rows, malformedRows: Math.max(0, malformed - task.malformedRows) });
    return { next: "done", status: "done", rows };
  } catch (error) {
    const wait = waitFor(error, ctx.time);
    if (wait) {
      if (rows > 0) await addTaskRows(taskId, rows, 0, { resumeLine: lastLine + 1 });
      return wait;
    }
    if (isUnreadable(error)) {
      if (rows > 0) await addTaskRows(taskId, rows, 0, { resumeLine: lastLine + 1 });
      await finishTask(taskId, { status: "failed", error: reasonOf(error) });
      return { next: "done", status: "failed", rows };
    }
    throw error;
  } finally {
    await writer.close();
  }
}
