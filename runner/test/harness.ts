// Test harness: a real serve() app (inngest/node on node:http, port 0) pointed at a runner started
// in-process, and helpers to wait for runs in the runner's tables.
import http from "node:http";
import { PassThrough } from "node:stream";
import type { AddressInfo } from "node:net";
import { Inngest, type InngestFunction } from "inngest";
import { serve } from "inngest/node";
import type { PrismaClient } from "../../lib/generated/prisma/client";
import { startRunner, type RunnerOptions, type RunningRunner } from "../index";

export const databaseUrl = (): string => {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run through vitest (tests/setup/global-db.ts)");
  return url;
};

/**
 * Tests read through the current runner's client: its single connection keeps their queries from
 * interleaving with the runner's on the embedded PGlite socket server.
 */
let current: RunningRunner | undefined;
export const db = new Proxy({} as PrismaClient, {
  get(_t, property) {
    if (!current) throw new Error("No runner started");
    const value = Reflect.get(current.db, property, current.db) as unknown;
    return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(current.db) : value;
  },
});

/** Fast retries for tests: ms-scale backoff, tiny jitter. */
export const FAST: Partial<RunnerOptions> = { backoffMs: [50, 100, 200], jitterMs: 10, pollMs: 200, leaseMs: 5_000 };

export async function runner(options: Partial<RunnerOptions> = {}): Promise<RunningRunner> {
  current = await startRunner({ databaseUrl: databaseUrl(), port: 0, log: () => undefined, ...FAST, ...options });
  return current;
}

export interface TestApp {
  url: string;
  port: number;
  client: Inngest.Any;
  /** Serving stops (connection refused) until resume(); the port stays reserved. */
  close(): Promise<void>;
}

type AnyFunction = InngestFunction.Any;

export async function startApp(
  client: Inngest.Any,
  functions: AnyFunction[],
  options: { port?: number; signingKey?: string; record?: (call: { url: string; body: string }) => void } = {},
): Promise<TestApp> {
  const handler = serve({ client, functions, ...(options.signingKey ? { signingKey: options.signingKey } : {}) });
  const server = http.createServer((req, res) => {
    if (!req.url?.startsWith("/api/inngest")) return void res.writeHead(404).end();
    const record = options.record;
    if (!record || req.method !== "POST") return void handler(req, res);
    // Read the call's body for the test, then hand serve() a replay of the same request.
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      record({ url: req.url ?? "", body });
      const replay = Object.assign(new PassThrough(), { headers: req.headers, method: req.method, url: req.url, socket: req.socket });
      replay.end(body);
      void handler(replay as unknown as http.IncomingMessage, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/inngest`,
    port,
    client,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

export function devClient(id: string, runnerUrl: string): Inngest {
  return new Inngest({ id, isDev: true, baseUrl: runnerUrl, logger: quietLogger });
}

export const quietLogger = { info() {}, warn() {}, error() {}, debug() {} };

export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const FINAL = ["completed", "failed", "cancelled", "skipped"];

/** Waits until the function has `count` finished runs and returns them oldest first. */
export async function finishedRuns(functionId: string, count = 1, timeoutMs = 20_000) {
  return waitFor(`${count} finished run(s) of ${functionId}`, async () => {
    const runs = await db.runnerRun.findMany({ where: { functionId, status: { in: FINAL } }, orderBy: { createdAt: "asc" } });
    return runs.length >= count ? runs : undefined;
  }, timeoutMs);
}

export async function runsOf(functionId: string) {
  return db.runnerRun.findMany({ where: { functionId }, orderBy: { createdAt: "asc" } });
}

export async function stepsOf(runId: string) {
  return db.runnerStep.findMany({ where: { runId }, orderBy: [{ seq: "asc" }, { createdAt: "asc" }] });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
