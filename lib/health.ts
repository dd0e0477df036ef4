// Health of the app's dependencies, for GET /api/health. Each check is bounded in time so a hung
// dependency makes the answer "unhealthy", never a hung request.
import { readFileSync } from "node:fs";
import path from "node:path";
import { db } from "./db";
import { env, isInngestDevMode } from "./env";
import { globalSyncMetrics, type GlobalSyncMetrics } from "./sync/api/views";
import { withTimeout } from "./util/with-timeout";

export type ServiceStatus = { status: "up" | "down"; latencyMs: number; error?: string };

export interface HealthReport {
  status: "ok" | "degraded";
  services: Record<string, ServiceStatus>;
  /**
   * Seed 003's sync counts over every tenant (no tenant data, no ids): runs running now, runs ever, the
   * end of the newest completed run, discrepancies found. Null when they could not be read in time
   * (the database check says why).
   */
  metrics: GlobalSyncMetrics | null;
  version: string;
}

export type MetricsSource = () => Promise<GlobalSyncMetrics>;

export type HealthCheck = () => Promise<void>;

async function timed(check: HealthCheck, timeoutMs: number): Promise<ServiceStatus> {
  const started = performance.now();
  try {
    await withTimeout(check(), timeoutMs);
    return { status: "up", latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    // Only the error's message: connection strings and stacks stay in the server log.
    const message = error instanceof Error ? error.message.split("\n")[0]!.replace(/postgres(ql)?:\/\/\S+/g, "<url>") : "unavailable";
    return { status: "down", latencyMs: Math.round(performance.now() - started), error: message };
  }
}

let version: string | undefined;
export function appVersion(): string {
  version ??= (JSON.parse(readFileSync(path.join(process.cwd(), "package.json"), "utf8")) as { version: string }).version;
  return version;
}

export async function reachable(url: string, init?: RequestInit): Promise<void> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(2500), cache: "no-store" });
  await response.body?.cancel();
  if (response.status >= 500) throw new Error(`answered HTTP ${response.status}`);
}

/** A result kept for a while, so a busy health probe does not hit an outside service on every call. */
function cached(check: HealthCheck, ttlMs: number): HealthCheck {
  let last: { at: number; result: Promise<void> } | undefined;
  return () => {
    if (!last || Date.now() - last.at > ttlMs) last = { at: Date.now(), result: check() };
    return last.result;
  };
}

/** The URL of the Inngest server the SDK talks to, when it is one we can probe (runner or self-hosted). */
function inngestServerUrl(): string | undefined {
  const e = env();
  if (e.INNGEST_BASE_URL) return e.INNGEST_BASE_URL;
  if (e.INNGEST_DEV && /^https?:\/\//.test(e.INNGEST_DEV)) return e.INNGEST_DEV;
  if (isInngestDevMode(e.INNGEST_DEV)) return "http://localhost:8288";
  return undefined; // Inngest Cloud: its health is Inngest's to report.
}

function buildDefaultChecks(): Record<string, HealthCheck> {
  const checks: Record<string, HealthCheck> = {
    database: async () => {
      await db.$queryRaw`SELECT 1`;
    },
  };
  const inngestUrl = inngestServerUrl();
  if (inngestUrl) checks.inngest = () => reachable(new URL("/health", inngestUrl).toString());
  const e = env();
  if (e.AMAZON_CLIENT_ID) {
    // An empty POST to the LWA token endpoint answers 400 when the service is up; no credential is sent.
    const lwa = e.AMAZON_LWA_ENDPOINT ?? "https://api.amazon.com/auth/o2/token";
    checks.amazon = cached(() => reachable(lwa, { method: "POST" }), 60_000);
  }
  return checks;
}

let defaults: Record<string, HealthCheck> | undefined;
export function defaultChecks(): Record<string, HealthCheck> {
  defaults ??= buildDefaultChecks();
  return defaults;
}

/** The sync metrics, or null when they fail or take longer than `timeoutMs` (never a hung request). */
async function readMetrics(metrics: MetricsSource | null, timeoutMs: number): Promise<GlobalSyncMetrics | null> {
  if (!metrics) return null;
  try {
    return await withTimeout(metrics(), timeoutMs);
  } catch {
    return null;
  }
}

export async function checkHealth(
  checks: Record<string, HealthCheck> = defaultChecks(),
  timeoutMs = 3000,
  metrics: MetricsSource | null = () => globalSyncMetrics(),
): Promise<HealthReport> {
  const [entries, syncMetrics] = await Promise.all([
    Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await timed(check, timeoutMs)] as const)),
    readMetrics(metrics, timeoutMs),
  ]);
  const services = Object.fromEntries(entries);
  const healthy = entries.every(([, service]) => service.status === "up");
  return { status: healthy ? "ok" : "degraded", services, metrics: syncMetrics, version: appVersion() };
}
