// Events in: validation of what the SDK (or anyone) POSTs to /e/<key>, ids from the SDK's seed,
// and the processing of each stored event: resolve waiters, cancel runs (cancelOn), start runs.
import { z } from "zod";
import { eventIdFromSeed, newId } from "../protocol/event-ids";
import { matches } from "../protocol/expressions";
import { ACTIVE_RUN_STATUSES, byteLength, lockRun, type EngineContext } from "./context";
import { withTx } from "./db";
import { finishRun, maybeDiscover, memoStep, startRun, storeEvents, type RunnerEventPayload } from "./runs";

const incomingEventSchema = z
  .object({
    name: z.string().trim().min(1, "event name is required"),
    data: z.record(z.string(), z.unknown()).optional().nullable(),
    id: z.string().min(1).max(512).optional().nullable(),
    ts: z.number().int().nonnegative().optional().nullable(),
    v: z.string().optional().nullable(),
    user: z.unknown().optional(),
  })
  .loose();

const incomingBodySchema = z.union([incomingEventSchema, z.array(incomingEventSchema)]);

export class BadEventError extends Error {}

/** Parses a send body into stored-event payloads; throws BadEventError (400) on anything malformed. */
export function parseIncomingEvents(body: string, seed: string | undefined, maxEventBytes: number): RunnerEventPayload[] {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new BadEventError("Body is not JSON: send one event object or an array of them");
  }
  const parsed = incomingBodySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadEventError(`Malformed event: ${issue?.path.join(".") || "(root)"}: ${issue?.message}`);
  }
  const list = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  const now = Date.now();
  return list.map((e, index) => {
    if (e.name.startsWith("inngest/")) throw new BadEventError(`Event name "${e.name}" is reserved for Inngest's internal events`);
    const id = e.id ?? (seed ? eventIdFromSeed(seed, index) : null) ?? newId();
    const { v, ...rest } = e;
    const event: RunnerEventPayload = { ...rest, id, name: e.name, data: e.data ?? {}, ts: e.ts ?? now, ...(v ? { v } : {}) };
    const size = byteLength(event);
    if (size > maxEventBytes) throw new BadEventError(`Event "${e.name}" is ${size} bytes; Inngest's limit is ${maxEventBytes}`);
    return event;
  });
}

/** Stores a send atomically; returns the ids in the order sent (duplicates keep their first id). */
export async function ingestEvents(ctx: EngineContext, events: RunnerEventPayload[]): Promise<string[]> {
  const stored = await withTx(ctx.db, (tx) => storeEvents(tx, ctx, events));
  if (stored.length > 0) ctx.wake();
  const fresh = new Set(stored.map((e) => e.id));
  for (const e of events) if (!fresh.has(e.id)) ctx.log(`event ${e.id} (${e.name}) already received: dropped as a duplicate`);
  return events.map((e) => e.id);
}

/** Applies one stored event to waiters, cancellations and triggers, in one transaction. */
export async function processEvent(ctx: EngineContext, eventId: string, jobId: string): Promise<void> {
  await withTx(ctx.db, async (tx) => {
    const job = await tx.runnerJob.deleteMany({ where: { id: jobId } });
    if (job.count === 0) return;
    const row = await tx.runnerEvent.findUnique({ where: { id: eventId } });
    if (!row) return;
    const event = row.payload as unknown as RunnerEventPayload;
    const log = ctx.log;

    // waitForEvent: only waits that began before this event arrived may take it.
    const waiters = await tx.runnerWaiter.findMany({
      where: { eventName: event.name, createdAt: { lte: row.receivedAt } },
      orderBy: { createdAt: "asc" },
    });
    for (const waiter of waiters) {
      const run = await tx.runnerRun.findUnique({ where: { id: waiter.runId }, select: { event: true } });
      if (!run || !matches(waiter.expression, { event: run.event, async: event }, log)) continue;
      const taken = await tx.runnerWaiter.deleteMany({ where: { id: waiter.id } });
      if (taken.count === 0) continue;
      const locked = await lockRun(tx, waiter.runId);
      if (!locked || !ACTIVE_RUN_STATUSES.includes(locked.status as never)) continue;
      await tx.runnerJob.deleteMany({ where: { runId: waiter.runId, kind: "wait_timeout", target: waiter.stepId } });
      if (await memoStep(tx, ctx, locked, { id: waiter.stepId }, { data: event })) await maybeDiscover(tx, ctx, locked.id, locked.status);
      log(`run ${locked.id} waitForEvent matched ${event.name} ${event.id}`);
    }

    // cancelOn
    for (const fn of ctx.registry.all()) {
      const rules = fn.cancel.filter((c) => c.event === event.name);
      if (rules.length === 0) continue;
      const runs = await tx.runnerRun.findMany({
        where: { functionId: fn.id, status: { in: [...ACTIVE_RUN_STATUSES] }, createdAt: { lte: row.receivedAt } },
        select: { id: true, event: true, createdAt: true },
      });
      for (const candidate of runs) {
        const rule = rules.find(
          (c) =>
            (c.timeoutMs === undefined || candidate.createdAt.getTime() + c.timeoutMs >= row.receivedAt.getTime()) &&
            matches(c.if, { event: candidate.event, async: event }, log),
        );
        if (!rule) continue;
        const locked = await lockRun(tx, candidate.id);
        if (!locked) continue;
        await finishRun(tx, ctx, locked, "cancelled", {
          error: { name: "Cancelled", message: `Cancelled by event ${event.name} (${event.id})` },
        });
      }
    }

    // triggers
    for (const fn of ctx.registry.all()) {
      const trigger = fn.eventTriggers.find((t) => t.event === event.name && matches(t.expression, { event }, log));
      if (!trigger) continue;
      await startRun(tx, ctx, { fn, event, triggerKind: "event", dedupeKey: `event:${event.id}` });
    }
  });
  ctx.wake();
}
