// The API-fed sources: financial events (a NextToken chain per window), inbound shipments and their
// items, FBA inventory summaries, and the listing of the reports Amazon generates itself (settlements).
// Each function is one step's body; a chain that outlasts the step budget hands its token to the next
// step at once (a token lives minutes: the chain never pauses longer than that).
import { db } from "../../db";
import { createEventKeyCounter, financialEventRows, type EventKeyCounter } from "../api-rows/financial-events";
import { inboundShipmentItemRows, inboundShipmentRows } from "../api-rows/inbound-shipments";
import { inventorySummaryRows } from "../api-rows/inventory-summaries";
import type { ApiRows } from "../api-rows/ledger-row";
import { keepRejectedRows, openLedgerWriter, type LedgerWriter } from "../ingest/ledger-writer";
import { planEntry } from "../plan";
import { addTaskRows, addTasks, finishTask, noteActivity, taskMessage } from "../run-store";
import { utcDay, type UnitContext } from "./context";
import { claimTask, closedCheck, closedResult } from "./task-open";
import { isRefusal, isUnreadable, reasonOf, waitFor, type UnitResult } from "./unit-result";
import type { SpApiError } from "../../amazon/errors";

const DAY_MS = 86_400_000;

async function loadTask(taskId: string) {
  return db.syncTask.findUniqueOrThrow({ where: { id: taskId }, include: { syncRun: { select: { sellerConnectionId: true } } } });
}

type Task = Awaited<ReturnType<typeof loadTask>>;

function finished(task: Task): UnitResult | undefined {
  return task.status === "pending" || task.status === "running" ? undefined : closedResult(task.status, 0);
}

async function writerFor(ctx: UnitContext, task: Task, sourceReport: string, snapshotDate?: string): Promise<LedgerWriter> {
  return openLedgerWriter({
    table: planEntry(task.source).table,
    sellerConnectionId: task.syncRun.sellerConnectionId,
    sourceReport,
    syncedAt: new Date(ctx.connector.now()),
    isSandbox: ctx.connector.isSandbox,
    ...(snapshotDate ? { snapshotDate } : {}),
  });
}

async function store(writer: LedgerWriter, taskId: string, mapped: ApiRows): Promise<number> {
  if (mapped.rows.length > 0) await writer.write(mapped.rows);
  if (mapped.rejected.length > 0) await keepRejectedRows(taskId, mapped.rejected);
  return mapped.rows.length;
}

/** Common failure handling: waits come back as waits, refusals and unreadable answers fail the task. */
async function failOrWait(ctx: UnitContext, taskId: string, error: unknown, rowsSoFar: number): Promise<UnitResult> {
  const wait = waitFor(error, ctx.time);
  if (wait) {
    if (rowsSoFar > 0) await addTaskRows(taskId, rowsSoFar, 0);
    return wait;
  }
  if (isRefusal(error) || isUnreadable(error)) {
    await finishTask(taskId, { status: "failed", rows: rowsSoFar, error: reasonOf(error) });
    return { next: "done", status: "failed", rows: rowsSoFar, error: reasonOf(error) };
  }
  throw error;
}

/** Keeps a financial-events chain's occurrence counts in its task (the cursor: `[slot, count][]`) for the next step. */
export async function saveChainCounter(taskId: string, counter: EventKeyCounter): Promise<void> {
  await db.syncTask.update({ where: { id: taskId }, data: { cursor: [...counter] } });
}

/** The counts a previous step of the chain kept (saveChainCounter); none kept: a fresh counter. */
export function chainCounterOf(cursor: unknown): EventKeyCounter {
  const counter = createEventKeyCounter();
  if (!Array.isArray(cursor)) return counter;
  for (const entry of cursor) {
    if (Array.isArray(entry) && typeof entry[0] === "string" && typeof entry[1] === "number") counter.set(entry[0], entry[1]);
  }
  return counter;
}

/**
 * Step `financial-events:<window>[:n]`: pages of listFinancialEvents from `token` (none = the start of
 * the window) until the chain ends or the step budget is spent. `offset` numbers the events.
 */
export async function financialEventsUnit(ctx: UnitContext, taskId: string, token: string | undefined, offset: number): Promise<UnitResult> {
  const task = await loadTask(taskId);
  const done = finished(task);
  if (done) return done;
  const window = { postedAfter: task.windowStart!.toISOString(), postedBefore: task.windowEnd!.toISOString() };
  if (!token) {
    if (!(await claimTask(taskId, { startedAt: task.startedAt ?? new Date(), attempts: { increment: 1 } }))) return closedResult(undefined);
    await noteActivity(task.syncRunId, taskMessage("Downloading", task));
  }
  const closed = closedCheck(taskId);
  const deadline = Date.now() + ctx.budgetMs;
  const writer = await writerFor(ctx, task, `listFinancialEvents:${window.postedAfter}..${window.postedBefore}`);
  // Identical events are told apart by their count within the window's chain: a chain read over
  // several steps carries the counts in the task (only then: a one-step chain needs no copy).
  const counter = token ? chainCounterOf(task.cursor) : createEventKeyCounter();
  const handOver = async () => {
    await saveChainCounter(taskId, counter);
    if (rows > 0) await addTaskRows(taskId, rows, 0);
  };
  let rows = 0;
  let line = offset;
  let next = token;
  // One page is fetched ahead while the current one is stored, so Amazon's answer and our upsert
  // overlap; the chain still reads its pages in order, one request in flight at a time.
  const fetchPage = (at: string | undefined) => quiet(ctx.connector.financialEvents(window, at));
  let ahead = fetchPage(next);
  let tokenRetried = false;
  try {
    for (;;) {
      let page;
      try {
        page = await ahead;
      } catch (error) {
        if (next && pageTokenRefused(error)) {
          if (!tokenRetried) {
            // Amazon sometimes refuses a good NextToken and takes it on the next try (sp-api.md).
            tokenRetried = true;
            ahead = fetchPage(next);
            continue;
          }
          // Refused twice: a token Amazon no longer accepts (it lives minutes). Read the window again
          // from its start; the upserts make the re-read harmless.
          if (rows > 0) await addTaskRows(taskId, rows, 0);
          return { next: "continue", token: undefined, offset: 1 };
        }
        // The account may not read its finances at all: the first request says so for every window.
        if (!next && refusesSource(error)) return sourceRefused(taskId, rows, error);
        const wait = waitFor(error, ctx.time);
        if (wait) {
          await handOver();
          return { ...wait, token: next, offset: line };
        }
        throw error;
      }
      next = page.nextToken;
      tokenRetried = false;
      const handing = next !== undefined && Date.now() > deadline;
      if (next && !handing) ahead = fetchPage(next);
      const mapped = financialEventRows(page.items, counter, line);
      rows += await store(writer, taskId, mapped);
      line = mapped.nextLine;
      if (!next) break;
      if (handing) {
        await handOver();
        return { next: "continue", token: next, offset: line };
      }
      const stopped = await closed();
      if (stopped) {
        if (rows > 0) await addTaskRows(taskId, rows, 0);
        return closedResult(stopped, rows);
      }
    }
    await finishTask(taskId, { status: task.rows + rows > 0 ? "done" : "empty", rows });
    return { next: "done", status: "done", rows };
  } catch (error) {
    return failOrWait(ctx, taskId, error, rows);
  } finally {
    await writer.close();
  }
}

/** 403, or 400 to a window's first request: the account may not pull this source (Amazon's answer is the same for every window). */
function refusesSource(error: unknown): error is SpApiError {
  return isRefusal(error) && (error.status === 400 || error.status === 403);
}

async function sourceRefused(taskId: string, rows: number, error: SpApiError): Promise<UnitResult> {
  if (rows > 0) await addTaskRows(taskId, rows, 0);
  return { next: "source-refused", reason: reasonOf(error) };
}

/** Step `list-shipments:<window>`: every shipment updated in the window, stored; returns their ids. */
export async function inboundShipmentsUnit(ctx: UnitContext, taskId: string): Promise<UnitResult & { shipmentIds?: string[] }> {
  const task = await loadTask(taskId);
  const done = finished(task);
  if (done) return done;
  if (!(await claimTask(taskId, { startedAt: task.startedAt ?? new Date(), attempts: { increment: 1 } }))) return closedResult(undefined);
  await noteActivity(task.syncRunId, taskMessage("Downloading", task));
  const closed = closedCheck(taskId);
  const window = { updatedAfter: task.windowStart!.toISOString(), updatedBefore: task.windowEnd!.toISOString() };
  const writer = await writerFor(ctx, task, `getShipments:${window.updatedAfter}..${window.updatedBefore}`);
  const ids = new Set<string>();
  let rows = 0;
  try {
    let line = 1;
    for (const marketplaceId of ctx.connector.marketplaceIds) {
      let next: string | undefined;
      do {
        let page;
        try {
          page = await ctx.connector.inboundShipments(window, marketplaceId, next);
        } catch (error) {
          if (!next && refusesSource(error)) return sourceRefused(taskId, rows, error);
          throw error;
        }
        const mapped = inboundShipmentRows(page.items, line);
        rows += await store(writer, taskId, mapped);
        line = mapped.nextLine;
        for (const row of mapped.rows) ids.add(`${marketplaceId}|${String(row.data.shipmentId)}`);
        next = page.nextToken;
        const stopped = await closed();
        if (stopped) {
          if (rows > 0) await addTaskRows(taskId, rows, 0);
          return closedResult(stopped, rows);
        }
      } while (next);
    }
    if (rows > 0) await addTaskRows(taskId, rows, 0);
    return { next: "continue", offset: 0, shipmentIds: [...ids] };
  } catch (error) {
    // A wait lists the window again from its first page (the upserts make that harmless).
    return failOrWait(ctx, taskId, error, 0);
  } finally {
    await writer.close();
  }
}

/** Step `shipment-items:<window>[:n]`: the items of the listed shipments from `offset`, within the budget. */
export async function inboundItemsUnit(ctx: UnitContext, taskId: string, shipmentIds: readonly string[], offset: number): Promise<UnitResult> {
  const task = await loadTask(taskId);
  const done = finished(task);
  if (done) return done;
  const deadline = Date.now() + ctx.budgetMs;
  const writer = await openLedgerWriter({
    table: "InboundShipmentItem",
    sellerConnectionId: task.syncRun.sellerConnectionId,
    sourceReport: "getShipmentItemsByShipmentId",
    syncedAt: new Date(ctx.connector.now()),
    isSandbox: ctx.connector.isSandbox,
  });
  const closed = closedCheck(taskId);
  let rows = 0;
  let i = offset;
  try {
    for (; i < shipmentIds.length; i++) {
      const stopped = i > offset ? await closed() : undefined;
      if (stopped) {
        if (rows > 0) await addTaskRows(taskId, rows, 0);
        return closedResult(stopped, rows);
      }
      const [marketplaceId, shipmentId] = shipmentIds[i]!.split("|") as [string, string];
      const items = await ctx.connector.inboundShipmentItems(shipmentId, marketplaceId);
      rows += await store(writer, taskId, inboundShipmentItemRows(shipmentId, items, 1));
      if (Date.now() > deadline && i + 1 < shipmentIds.length) {
        await addTaskRows(taskId, rows, 0);
        return { next: "continue", offset: i + 1 };
      }
    }
    const total = task.rows + rows;
    await finishTask(taskId, { status: total > 0 ? "done" : "empty", rows });
    return { next: "done", status: "done", rows };
  } catch (error) {
    const wait = waitFor(error, ctx.time);
    if (wait) {
      if (rows > 0) await addTaskRows(taskId, rows, 0);
      return { ...wait, offset: i };
    }
    return failOrWait(ctx, taskId, error, rows);
  } finally {
    await writer.close();
  }
}

/** How many times one marketplace's chain is read again from its first page after Amazon refused a nextToken twice. */
const INVENTORY_CHAIN_RESTARTS = 3;

/**
 * Step `inventory-summaries:<day>`: every page for every marketplace in one step. A nextToken lives
 * 30 s, so the next page is asked for as soon as a page arrives, while that page is stored. Amazon
 * sometimes refuses a good token (400 InvalidInput that passes on retry, sp-api.md): the same token is
 * sent once more, and if it is refused again (it went stale), the marketplace's chain starts again from
 * its first page, a bounded number of times (snapshot rows are upserts: a page read twice adds nothing).
 */
export async function inventorySummariesUnit(ctx: UnitContext, taskId: string): Promise<UnitResult> {
  const task = await loadTask(taskId);
  const done = finished(task);
  if (done) return done;
  if (!(await claimTask(taskId, { startedAt: task.startedAt ?? new Date(), attempts: { increment: 1 } }))) return closedResult(undefined);
  await noteActivity(task.syncRunId, taskMessage("Downloading", task));
  const closed = closedCheck(taskId);
  const day = utcDay(task.windowEnd!.getTime());
  const writer = await writerFor(ctx, task, `getInventorySummaries:${day}`, day);
  const ask = (marketplaceId: string, nextToken?: string) => quiet(ctx.connector.inventorySummaries(marketplaceId, nextToken));
  let rows = 0;
  try {
    let line = 1;
    for (const marketplaceId of ctx.connector.marketplaceIds) {
      const chainStart = { line, rows };
      let restarts = 0;
      let token: string | undefined;
      let tokenRetried = false;
      let pending: Promise<InventoryPage> | undefined = ask(marketplaceId);
      while (pending) {
        let page: InventoryPage;
        try {
          page = await pending;
        } catch (error) {
          const tokenRefused = token !== undefined && pageTokenRefused(error);
          if (tokenRefused && !tokenRetried) {
            tokenRetried = true;
            pending = ask(marketplaceId, token);
          } else if (tokenRefused && restarts < INVENTORY_CHAIN_RESTARTS) {
            restarts += 1;
            ({ line, rows } = chainStart);
            token = undefined;
            pending = ask(marketplaceId);
          } else {
            throw error;
          }
          continue;
        }
        token = page.nextToken;
        tokenRetried = false;
        pending = token === undefined ? undefined : ask(marketplaceId, token);
        const mapped = inventorySummaryRows(page.items, marketplaceId, line);
        rows += await store(writer, taskId, mapped);
        line = mapped.nextLine;
        const stopped = await closed();
        if (stopped) {
          if (rows > 0) await addTaskRows(taskId, rows, 0);
          return closedResult(stopped, rows);
        }
      }
    }
    await finishTask(taskId, { status: rows > 0 ? "done" : "empty", rows });
    return { next: "done", status: "done", rows };
  } catch (error) {
    // A wait restarts the chain from its first page later (rows already stored are upserted again).
    return failOrWait(ctx, taskId, error, 0);
  } finally {
    await writer.close();
  }
}

type InventoryPage = Awaited<ReturnType<UnitContext["connector"]["inventorySummaries"]>>;

/** A request fetched ahead, whose answer may be dropped (the step stopped first), must not surface as an unhandled rejection. */
function quiet<T>(request: Promise<T>): Promise<T> {
  request.catch(() => undefined);
  return request;
}

/** Amazon's 400 to a request that carried a page token: a stale token, or one refused now and then (sp-api.md). */
function pageTokenRefused(error: unknown): boolean {
  return isRefusal(error) && error.status === 400;
}

/**
 * Step `list-reports:<TYPE>`: the reports Amazon generated (settlements) in the listable period; each
 * one not yet stored by an earlier sync becomes a task of this run (download only, no request).
 */
export async function listGeneratedReportsUnit(ctx: UnitContext, taskId: string): Promise<UnitResult> {
  const task = await loadTask(taskId);
  const done = finished(task);
  if (done) return done;
  const entry = planEntry(task.source);
  if (entry.kind !== "listed-report") throw new TypeError(`${task.source} is not a listed report source`);
  await noteActivity(task.syncRunId, taskMessage("Looking for", task));
  let listed;
  try {
    listed = await ctx.connector.listGeneratedReports(entry.reportType, new Date(task.windowEnd!.getTime() - entry.listableDays * DAY_MS).toISOString());
  } catch (error) {
    const wait = waitFor(error, ctx.time);
    if (wait) return wait;
    if (isRefusal(error)) return { next: "source-refused", reason: reasonOf(error) };
    throw error;
  }
  const stored = await db.syncTask.findMany({
    where: { source: task.source, status: "done", reportId: { in: listed.map((r) => r.reportId) }, syncRun: { sellerConnectionId: task.syncRun.sellerConnectionId } },
    select: { reportId: true },
  });
  const known = new Set(stored.map((s) => s.reportId));
  const fresh = listed.filter((r) => !known.has(r.reportId));
  const ids = await addTasks(
    task.syncRunId,
    fresh.map((r) => ({ source: task.source, windowStart: r.dataStartTime ?? r.createdTime, windowEnd: r.dataEndTime ?? r.createdTime })),
    fresh.map((r) => ({ reportId: r.reportId, reportDocumentId: r.documentId })),
  );
  await finishTask(taskId, { status: listed.length > 0 ? "done" : "empty" });
  return { next: "tasks", taskIds: ids };
}
