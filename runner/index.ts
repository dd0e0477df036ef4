// startRunner(): the embedded Inngest runner in-process (tests, launcher); the CLI wraps it.
import type { AddressInfo } from "node:net";
import type { PrismaClient } from "../lib/generated/prisma/client";
import { resolveOptions, type RunnerOptions } from "./config";
import type { EngineContext } from "./engine/context";
import { createRunnerDb } from "./engine/db";
import { Registry, syncApp } from "./engine/registry";
import { Worker } from "./engine/worker";
import { createRunnerServer } from "./server";

export type { RunnerOptions } from "./config";
export { INNGEST_LIMITS, INNGEST_BACKOFF_MS } from "./config";
export { RunnerBusyError } from "./engine/worker";

export interface RunningRunner {
  /** Base URL of the runner, e.g. http://127.0.0.1:8288 (give it to the SDK as INNGEST_DEV or baseUrl). */
  url: string;
  port: number;
  /** The runner's own Prisma client (tests read the runner_* tables through it). */
  db: PrismaClient;
  /** Syncs the app now (PUT to its serve endpoint); resolves with the SDK's answer. */
  sync(appUrl?: string): Promise<{ status: number; message: string }>;
  /** Stops taking work, abandons calls in flight (they run again on the next start) and closes. */
  close(): Promise<void>;
}

export async function startRunner(input: RunnerOptions): Promise<RunningRunner> {
  const options = resolveOptions(input);
  const db = createRunnerDb(options.databaseUrl, options.dbConnections);
  const registry = new Registry(db, options.log);
  let worker: Worker | undefined;
  const ctx: EngineContext = {
    db,
    options,
    registry,
    wake: () => worker?.wake(),
    log: options.log,
  };
  worker = new Worker(ctx);
  const w = worker;
  registry.onChange = () => w.cronsChanged();
  try {
    await worker.acquire();
  } catch (error) {
    await db.$disconnect();
    throw error;
  }
  await registry.load();

  let closed = false;
  const serverKind = options.signingKey ? "cloud" : "dev";
  const sync = async (appUrl = options.appUrl) => {
    if (!appUrl) return { status: 400, message: "No app URL to sync" };
    const result = await syncApp(appUrl, serverKind);
    if (result.status !== 200) options.log(`sync of ${appUrl} answered ${result.status}: ${result.message}`, "warn");
    return result;
  };

  const server = createRunnerServer(ctx, () => sync());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host}:${port}`;
  worker.start();
  options.log(`listening on ${url} (${serverKind} mode)${options.appUrl ? `, app ${options.appUrl}` : ""}`);

  // Keep trying the app until it answers (it may start after us), backing off; then re-sync now and then.
  let syncTimer: NodeJS.Timeout | undefined;
  if (options.appUrl) {
    let failures = 0;
    const attempt = async () => {
      if (closed) return;
      let ok = false;
      try {
        ok = (await sync()).status === 200;
      } catch (error) {
        options.log(`app at ${options.appUrl} not reachable yet (${(error as Error).message})`);
      }
      if (closed) return;
      failures = ok ? 0 : failures + 1;
      // Capped at 5 s: events sent before the first sync would find no function to trigger.
      const delay = ok ? options.resyncMs : Math.min(5_000, 250 * 2 ** Math.min(failures, 5));
      if (delay > 0) syncTimer = setTimeout(() => void attempt(), delay);
    };
    void attempt();
  }

  return {
    url,
    port,
    db,
    sync,
    async close() {
      if (closed) return;
      closed = true;
      if (syncTimer) clearTimeout(syncTimer);
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await worker.stop();
      await serverClosed;
      await db.$disconnect();
      options.log("stopped");
    },
  };
}
