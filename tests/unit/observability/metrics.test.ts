// The small functions the sync and the SP-API client call (lib/observability/metrics.ts): each moves
// its own series by what it was given, and nonsense (negative, NaN) moves nothing. Read from the
// metrics themselves: the database gauges are the integration test's (tests/integration/observability).
import { describe, expect, it } from "vitest";
import {
  recordRateLimitDeferral,
  recordRateLimitWait,
  recordRowsIngested,
  recordSpApiCall,
  recordSyncRunFinished,
  registry,
} from "@/lib/observability/metrics";

type Sample = { labels: Record<string, string | number>; value: number; metricName?: string };

async function sample(name: string, labels: Record<string, string | number>, metricName = name): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = (await metric.get()) as { values: Sample[] };
  const found = values.filter((v) => (v.metricName ?? name) === metricName && Object.entries(labels).every(([k, value]) => v.labels[k] === value));
  return found.reduce((sum, v) => sum + v.value, 0);
}

describe("the recording functions", () => {
  it("count rows ingested per source, ignoring nothing-rows", async () => {
    const source = `test-source-${Math.random().toString(36).slice(2)}`;
    recordRowsIngested(source, 120);
    recordRowsIngested(source, 5);
    recordRowsIngested(source, 0);
    recordRowsIngested(source, -3);
    recordRowsIngested(source, Number.NaN);
    expect(await sample("sync_rows_ingested_total", { source })).toBe(125);
    expect(await sample("sync_rows_ingested_total", { source: `${source}-other` })).toBe(0);
  });

  it("observe finished sync runs by kind and status", async () => {
    const kind = `kind-${Math.random().toString(36).slice(2)}`;
    recordSyncRunFinished(kind, "completed", 90);
    recordSyncRunFinished(kind, "completed", 4000);
    recordSyncRunFinished(kind, "failed", 12);
    recordSyncRunFinished(kind, "failed", -1);
    const completed = { kind, status: "completed" };
    expect(await sample("sync_run_duration_seconds", completed, "sync_run_duration_seconds_count")).toBe(2);
    expect(await sample("sync_run_duration_seconds", completed, "sync_run_duration_seconds_sum")).toBe(4090);
    // 90 s falls in the 120 s bucket, 4000 s above 3600 s.
    expect(await sample("sync_run_duration_seconds", { ...completed, le: 120 }, "sync_run_duration_seconds_bucket")).toBe(1);
    expect(await sample("sync_run_duration_seconds", { ...completed, le: 3600 }, "sync_run_duration_seconds_bucket")).toBe(1);
    expect(await sample("sync_run_duration_seconds", { ...completed, le: 7200 }, "sync_run_duration_seconds_bucket")).toBe(2);
    expect(await sample("sync_run_duration_seconds", { kind, status: "failed" }, "sync_run_duration_seconds_count")).toBe(1);
  });

  it("count SP-API calls by operation and status, 429s also as throttled", async () => {
    const operation = `op${Math.random().toString(36).slice(2)}`;
    recordSpApiCall(operation, 200);
    recordSpApiCall(operation, 429);
    recordSpApiCall(operation, 429);
    recordSpApiCall(operation, "network-error");
    expect(await sample("spapi_calls_total", { operation, status: "200" })).toBe(1);
    expect(await sample("spapi_calls_total", { operation, status: "429" })).toBe(2);
    expect(await sample("spapi_calls_total", { operation, status: "network-error" })).toBe(1);
    expect(await sample("spapi_throttled_total", { operation })).toBe(2);
  });

  it("count rate-limit waits only when there was one, and deferrals", async () => {
    const operation = `op${Math.random().toString(36).slice(2)}`;
    recordRateLimitWait(operation, 0);
    recordRateLimitWait(operation, 2.5);
    recordRateLimitDeferral(operation);
    expect(await sample("spapi_rate_limit_waits_total", { operation })).toBe(1);
    expect(await sample("spapi_rate_limit_wait_seconds", { operation }, "spapi_rate_limit_wait_seconds_sum")).toBe(2.5);
    expect(await sample("spapi_rate_limit_deferrals_total", { operation })).toBe(1);
  });
});
