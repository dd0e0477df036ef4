// Health of the app's dependencies, for GET /api/health. Each check is bounded in time so a hung
// dependency makes the answer "unhealthy", never a hung request.
import { readFileSync } from "node:fs";
import path from "node:path";
import { db } from "./db";

export type ServiceStatus = { status: "up" | "down"; latencyMs: number; error?: string };

export interface HealthReport {
  status: "ok" | "degraded";
  services: Record<string, ServiceStatus>;
  version: string;
}

export type HealthCheck = () => Promise<void>;

async function timed(check: HealthCheck, timeoutMs: number): Promise<ServiceStatus> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: "up", latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    // Only the error's message: connection strings and stacks stay in the server log.
    const message = error instanceof Error ? error.message.split("\n")[0]!.replace(/postgres(ql)?:\/\/\S+/g, "<url>") : "unavailable";
    return { status: "down", latencyMs: Math.round(performance.now() - started), error: message };
  } finally {
    clearTimeout(timer);
  }
}

let version: string | undefined;
export function appVersion(): string {
  version ??= (JSON.parse(readFileSync(path.join(process.cwd(), "package.json"), "utf8")) as { version: string }).version;
  return version;
}

export const defaultChecks: Record<string, HealthCheck> = {
  database: async () => {
    await db.$queryRaw`SELECT 1`;
  },
};

export async function checkHealth(checks: Record<string, HealthCheck> = defaultChecks, timeoutMs = 3000): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await timed(check, timeoutMs)] as const),
  );
  const services = Object.fromEntries(entries);
  const healthy = entries.every(([, service]) => service.status === "up");
  return { status: healthy ? "ok" : "degraded", services, version: appVersion() };
}
