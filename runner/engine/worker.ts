// The work loop: claims due jobs with FOR UPDATE SKIP LOCKED and a lease, runs them (calls,
// timers, events), fires due cron ticks, renews leases while jobs are held, and makes sure only
// one runner works a database (a session advisory lock, plus a heartbeat row for PGlite where
// every connection shares one session).
import pg from "pg";
import { deterministicUlid, newId } from "../protocol/event-ids";
import { nextCronTick } from "../protocol/cron";
import { backoffDelayMs } from "../config";
import { type EngineContext } from "./context";
import { withTx } from "./db";
import { processCall, type ClaimedJob } from "./calls";
import { ConcurrencyLimiter } from "./concurrency";
import { processEvent } from "./events";
import { processTimer } from "./timers";
import { startRun, storeEvents, type RunnerEventPayload } from "./runs";

const ADVISORY_KEY = "fba-recovery:inngest-runner";

export class RunnerBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunnerBusyError";
  }
}

export class Worker {
  readonly id = `runner-${newId()}`;
  private readonly limiter = new ConcurrencyLimiter();
  private readonly held = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();
  private stopping = false;
  private loop: Promise<void> | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private lockClient: pg.Client | undefined;
  private woken = false;
  /** When the next cron tick is due; 0 = look now (start, or the crons changed at a sync). */
  private nextCronCheck = 0;
  private nextPrune = 0;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly ctx: EngineContext) {}

  /** Takes the database for this runner, or throws RunnerBusyError if another runner has it. */
  async acquire(): Promise<void> {
    const client = new pg.Client({ connectionString: this.ctx.options.databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS ok", [ADVISORY_KEY]);
    if (!rows[0]?.ok) {
      await client.end();
      throw new RunnerBusyError("Another runner already works this database (advisory lock held).");
    }
    this.lockClient = client;
    // A lease that is not renewed was left by a runner that died without stopping: wait for it to
    // lapse rather than refuse to start. A lease that moves belongs to a live runner (on PGlite the
    // advisory lock cannot tell, as every connection shares one session).
    if (!(await this.renewLease())) {
      const expiry = async () =>
        (await this.ctx.db.$queryRaw<{ expires_at: Date }[]>`SELECT expires_at FROM runner_lease WHERE id = 1`)[0]?.expires_at.getTime() ?? 0;
      const first = await expiry();
      if (first - Date.now() <= Math.max(this.ctx.options.leaseMs, 3_000) + 1_000) {
        this.ctx.log("a runner's lease is still held; waiting to see whether it lapses", "warn");
        while (Date.now() < first + 100) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          if ((await expiry()) !== first) break; // renewed: a live runner
        }
      }
    }
    if (!(await this.renewLease())) {
      await client.query("SELECT pg_advisory_unlock(hashtext($1))", [ADVISORY_KEY]);
      await client.end();
      this.lockClient = undefined;
      throw new RunnerBusyError("Another runner already works this database (its lease is live).");
    }
    // We are the only runner now: leases left by a previous, stopped runner are void.
    await this.ctx.db.$executeRaw`UPDATE runner_job SET locked_until = NULL, locked_by = NULL WHERE locked_by IS NOT NULL`;
  }

  private leaseExpiry(): Date {
    return new Date(Date.now() + Math.max(this.ctx.options.leaseMs, 3_000));
  }

  private async renewLease(): Promise<boolean> {
    const now = new Date();
    const rows = await this.ctx.db.$queryRaw<{ holder: string }[]>`
      INSERT INTO runner_lease (id, holder, expires_at) VALUES (1, ${this.id}, ${this.leaseExpiry()})
      ON CONFLICT (id) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
      WHERE runner_lease.expires_at < ${now} OR runner_lease.holder = EXCLUDED.holder
      RETURNING holder`;
    return rows.length === 1;
  }

  start(): void {
    const every = Math.max(500, Math.floor(this.ctx.options.leaseMs / 3));
    this.heartbeat = setInterval(() => {
      void this.renewHeld().catch((error: unknown) => this.ctx.log(`lease renewal failed: ${(error as Error).message}`, "error"));
    }, every);
    this.loop = this.work();
  }

  /** The crons may have changed (a sync): look at them on the next turn. */
  cronsChanged(): void {
    this.nextCronCheck = 0;
    this.wake();
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async renewHeld(): Promise<void> {
    if (!(await this.renewLease())) this.ctx.log("WARNING: the runner lease was taken by another instance", "warn");
    const ids = [...this.held.keys()];
    if (ids.length === 0) return;
    await this.ctx.db.runnerJob.updateMany({
      where: { id: { in: ids }, lockedBy: this.id },
      data: { lockedUntil: this.leaseExpiry() },
    });
  }

  private idle(ms: number): Promise<void> {
    if (this.woken || this.stopping) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.max(1, ms));
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    }).then(() => {
      this.wakeUp = undefined;
      this.woken = false;
    });
  }

  private async work(): Promise<void> {
    const { maxInflight, pollMs } = this.ctx.options;
    while (!this.stopping) {
      try {
        if (Date.now() >= this.nextCronCheck) await this.fireCrons();
        if (Date.now() >= this.nextPrune) await this.prune();
        const busy = this.held.size - this.limiter.waiting;
        const capacity = Math.min(maxInflight - busy, maxInflight * 8 - this.held.size);
        let claimed = 0;
        if (capacity > 0) {
          const jobs = await this.claim(capacity);
          claimed = jobs.length;
          for (const job of jobs) this.hold(job);
        }
        if (claimed > 0 && claimed === capacity) continue;
        if (this.stopping) break;
        await this.idle(Math.min(pollMs, await this.msUntilNextDue()));
      } catch (error) {
        if (this.stopping) break;
        this.ctx.log(`worker loop error: ${(error as Error).message}`, "error");
        await this.idle(pollMs);
      }
    }
  }

  private async claim(limit: number): Promise<ClaimedJob[]> {
    const now = new Date();
    const rows = await this.ctx.db.$queryRaw<
      { id: string; kind: string; run_id: string | null; target: string; attempt: number; failures: number }[]
    >`
      UPDATE runner_job SET locked_until = ${this.leaseExpiry()}, locked_by = ${this.id}
      WHERE id IN (
        SELECT id FROM runner_job
        WHERE due_at <= ${now} AND (locked_until IS NULL OR locked_until < ${now})
        ORDER BY due_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id, kind, run_id, target, attempt, failures`;
    return rows.map((r) => ({ id: r.id, kind: r.kind, runId: r.run_id, target: r.target, attempt: r.attempt, failures: r.failures, owner: this.id }));
  }

  private async msUntilNextDue(): Promise<number> {
    const now = new Date();
    const rows = await this.ctx.db.$queryRaw<{ next: Date | null }[]>`
      SELECT LEAST(
        (SELECT min(due_at) FROM runner_job WHERE locked_until IS NULL OR locked_until < ${now}),
        (SELECT min(next_at) FROM runner_cron)
      ) AS next`;
    const next = rows[0]?.next;
    return next ? Math.max(0, new Date(next).getTime() - Date.now()) : Number.POSITIVE_INFINITY;
  }

  private hold(job: ClaimedJob): void {
    const task = this.process(job)
      .catch(async (error: unknown) => {
        if (this.stopping) return;
        const delay = backoffDelayMs(this.ctx.options, job.failures + 1);
        this.ctx.log(`job ${job.kind} ${job.id} failed inside the runner: ${(error as Error).stack ?? String(error)}; retry in ${delay}ms`, "error");
        await this.ctx.db.runnerJob
          .updateMany({
            where: { id: job.id, lockedBy: this.id },
            data: { lockedUntil: null, lockedBy: null, failures: { increment: 1 }, dueAt: new Date(Date.now() + delay) },
          })
          .catch(() => undefined);
      })
      .finally(() => {
        this.held.delete(job.id);
        this.wake();
      });
    this.held.set(job.id, task);
  }

  private async process(job: ClaimedJob): Promise<void> {
    if (job.kind === "call") return processCall(this.ctx, job, this.limiter, this.abort.signal);
    if (job.kind === "event") return processEvent(this.ctx, job.target, job.id);
    return processTimer(this.ctx, job);
  }

  /** Deletes finished runs (with their steps and calls) and old events past the retention window. */
  private async prune(): Promise<void> {
    this.nextPrune = Date.now() + 60 * 60_000;
    const days = this.ctx.options.retentionDays;
    if (!days || days <= 0) return;
    const cutoff = new Date(Date.now() - days * 86_400_000);
    const runs = await this.ctx.db.runnerRun.deleteMany({
      where: { status: { in: ["completed", "failed", "cancelled", "skipped"] }, endedAt: { lt: cutoff } },
    });
    // Events still referenced by an unfinished run stay (its calls resend them).
    const events = await this.ctx.db.$executeRaw`
      DELETE FROM runner_event e WHERE e.received_at < ${cutoff}
        AND NOT EXISTS (SELECT 1 FROM runner_run r WHERE r.event_id = e.id AND r.status IN ('queued', 'running'))
        AND NOT EXISTS (SELECT 1 FROM runner_job j WHERE j.kind = 'event' AND j.target = e.id)`;
    if (runs.count > 0 || events > 0) this.ctx.log(`pruned ${runs.count} finished run(s) and ${events} event(s) older than ${days} days`);
  }

  /** Starts one run per due cron tick; a tick missed while the runner was down runs once, late. */
  private async fireCrons(): Promise<void> {
    const now = new Date();
    await withTx(this.ctx.db, async (tx) => {
      const due = await tx.$queryRaw<{ function_id: string; expression: string; next_at: Date }[]>`
        SELECT function_id, expression, next_at FROM runner_cron WHERE next_at <= ${now} FOR UPDATE SKIP LOCKED`;
      for (const cron of due) {
        const tick = new Date(cron.next_at);
        const fn = this.ctx.registry.get(cron.function_id);
        if (fn) {
          const event: RunnerEventPayload = {
            id: deterministicUlid(tick.getTime(), `${cron.function_id}|${cron.expression}`),
            name: "inngest/scheduled.timer",
            data: { cron: cron.expression },
            ts: tick.getTime(),
          };
          await storeEvents(tx, this.ctx, [event]);
          await startRun(tx, this.ctx, { fn, event, triggerKind: "cron", dedupeKey: `cron:${cron.expression}:${tick.toISOString()}` });
        }
        await tx.runnerCron.update({
          where: { functionId_expression: { functionId: cron.function_id, expression: cron.expression } },
          data: { nextAt: nextCronTick(cron.expression, now) },
        });
      }
      const next = await tx.runnerCron.aggregate({ _min: { nextAt: true } });
      this.nextCronCheck = next._min.nextAt ? next._min.nextAt.getTime() : Date.now() + this.ctx.options.pollMs;
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    this.abort.abort(new Error("runner stopping"));
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.loop;
    await Promise.allSettled([...this.held.values()]);
    await this.ctx.db.$executeRaw`UPDATE runner_job SET locked_until = NULL, locked_by = NULL WHERE locked_by = ${this.id}`;
    await this.ctx.db.$executeRaw`DELETE FROM runner_lease WHERE holder = ${this.id}`;
    if (this.lockClient) {
      await this.lockClient.query("SELECT pg_advisory_unlock(hashtext($1))", [ADVISORY_KEY]).catch(() => undefined);
      await this.lockClient.end().catch(() => undefined);
    }
  }
}
