// Prometheus metrics (prom-client), served at GET /api/metrics. One registry of our own (not
// prom-client's global default), with Node's process metrics on it. Counters and histograms count
// what this process did (every app instance reports its own; Prometheus sums them); the sync_runs
// gauges are read from the database at scrape time, so every instance reports the same truth.
//
// SP-API calls are counted by lib/amazon (recordSpApiCall, recordRateLimitWait); the sync calls
// recordRowsIngested and recordSyncRunFinished.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { db } from "../db";
import { log } from "./logger";

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const spApiCalls = new Counter({
    name: "spapi_calls_total",
    help: "HTTP exchanges with the SP-API (and LWA, operation=lwa; report documents, operation=reportDownload), by operation and answer status (network-error when none came).",
    labelNames: ["operation", "status"] as const,
    registers,
  });
  const spApiThrottled = new Counter({
    name: "spapi_throttled_total",
    help: "SP-API answers 429 (QuotaExceeded), by operation.",
    labelNames: ["operation"] as const,
    registers,
  });
  const rateLimitWaits = new Counter({
    name: "spapi_rate_limit_waits_total",
    help: "Calls that waited for a usage-plan token before being sent, by operation.",
    labelNames: ["operation"] as const,
    registers,
  });
  const rateLimitWaitSeconds = new Histogram({
    name: "spapi_rate_limit_wait_seconds",
    help: "How long a call waited for a usage-plan token (on the client's clock; calls that did not wait are not observed).",
    labelNames: ["operation"] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
    registers,
  });
  const rateLimitDeferrals = new Counter({
    name: "spapi_rate_limit_deferrals_total",
    help: "Calls not sent because the usage-plan wait was longer than the caller may wait (RateLimitWaitError: a durable step sleeps and retries instead), by operation.",
    labelNames: ["operation"] as const,
    registers,
  });
  const rowsIngested = new Counter({
    name: "sync_rows_ingested_total",
    help: "Rows the sync stored in the ledger, by source.",
    labelNames: ["source"] as const,
    registers,
  });
  const syncRunDuration = new Histogram({
    name: "sync_run_duration_seconds",
    help: "Duration of finished sync runs, by kind and final status.",
    labelNames: ["kind", "status"] as const,
    buckets: [10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14_400, 28_800, 86_400],
    registers,
  });

  new Gauge({
    name: "sync_runs",
    help: "Sync runs in the database, by status and kind (read at scrape time).",
    labelNames: ["status", "kind"] as const,
    registers,
    async collect() {
      this.reset();
      try {
        const groups = await db.syncRun.groupBy({ by: ["status", "kind"], _count: { _all: true } });
        for (const group of groups) this.set({ status: group.status, kind: group.kind }, group._count._all);
      } catch (error) {
        log.warn({ errorClass: error instanceof Error ? error.name : "unknown" }, "metrics: could not count sync runs");
      }
    },
  });
  new Gauge({
    name: "sync_runs_running",
    help: "Sync runs running now, across every app instance (read from the database at scrape time).",
    registers,
    async collect() {
      this.reset();
      try {
        this.set(await db.syncRun.count({ where: { status: "running" } }));
      } catch (error) {
        log.warn({ errorClass: error instanceof Error ? error.name : "unknown" }, "metrics: could not count running sync runs");
      }
    },
  });

  return { registry, spApiCalls, spApiThrottled, rateLimitWaits, rateLimitWaitSeconds, rateLimitDeferrals, rowsIngested, syncRunDuration };
}

// One registry per process, even when a bundler loads this module more than once (Next.js routes):
// the counters the SP-API client bumps are the ones /api/metrics reads.
const METRICS = Symbol.for("fba-recovery.metrics");
const holder = globalThis as unknown as { [METRICS]?: ReturnType<typeof createMetrics> };
const metrics = (holder[METRICS] ??= createMetrics());

/** The registry /api/metrics serves. */
export const registry: Registry = metrics.registry;

/** The metrics in Prometheus' text format, the database gauges read now. */
export function metricsText(): Promise<string> {
  return metrics.registry.metrics();
}

/** One HTTP exchange with Amazon finished: its status, or `network-error` when no answer came. */
export function recordSpApiCall(operation: string, status: number | "network-error"): void {
  metrics.spApiCalls.inc({ operation, status: String(status) });
  if (status === 429) metrics.spApiThrottled.inc({ operation });
}

/** A call waited `seconds` for a usage-plan token (call it only when it did wait). */
export function recordRateLimitWait(operation: string, seconds: number): void {
  if (!(seconds > 0) || !Number.isFinite(seconds)) return;
  metrics.rateLimitWaits.inc({ operation });
  metrics.rateLimitWaitSeconds.observe({ operation }, seconds);
}

/** A call was not sent: its usage-plan wait was longer than the caller allows. */
export function recordRateLimitDeferral(operation: string): void {
  metrics.rateLimitDeferrals.inc({ operation });
}

/** `rows` rows of `source` (a plan source, e.g. `ledger-detail`) reached the ledger. */
export function recordRowsIngested(source: string, rows: number): void {
  if (!(rows > 0) || !Number.isFinite(rows)) return;
  metrics.rowsIngested.inc({ source }, rows);
}

/** A sync run ended (`completed`, `failed`, `cancelled`) after `durationSeconds`. */
export function recordSyncRunFinished(kind: string, status: string, durationSeconds: number): void {
  if (!(durationSeconds >= 0) || !Number.isFinite(durationSeconds)) return;
  metrics.syncRunDuration.observe({ kind, status }, durationSeconds);
}
