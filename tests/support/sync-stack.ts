// The whole sync stack in one process for tests: the SP-API sandbox over HTTP, the app's Inngest
// functions served by inngest/node, the embedded runner driving them, all on the test database.
// The environment is set before the app's modules load (lib/env.ts reads it once).
import net from "node:net";
import type { Sandbox, SandboxOptions } from "../../sandbox/server";
import { startSandbox } from "../../sandbox/server";

export interface SyncStack {
  sandbox: Sandbox;
  runnerUrl: string;
  /** Connects sandbox seller `index` for a new user; returns the seller connection id. */
  connectSeller(index?: number): Promise<{ sellerConnectionId: string; userId: string; sellingPartnerId: string }>;
  /** Sends sync/requested and waits until the run it creates has finished. */
  requestSync(sellerConnectionId: string, eventId: string, options?: { timeoutMs?: number; kind?: "historical" | "incremental" }): Promise<string>;
  waitForRun(syncRunId: string, timeoutMs?: number): Promise<{ status: string }>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export interface SyncStackOptions {
  sandbox?: SandboxOptions;
  /** Extra environment for the app (set before its modules load). */
  env?: Record<string, string>;
}

export async function startSyncStack(options: SyncStackOptions = {}): Promise<SyncStack> {
  const sandbox = await startSandbox({ port: 0, sellers: 1, size: "small", timeScale: 600, ...options.sandbox });
  const runnerPort = await freePort();
  const runnerUrl = `http://127.0.0.1:${runnerPort}`;
  const iso = (ms: number) => new Date(ms).toISOString();
  Object.assign(process.env, {
    AMAZON_SPAPI_ENDPOINT: sandbox.url,
    AMAZON_LWA_ENDPOINT: sandbox.lwaTokenUrl,
    AMAZON_CONSENT_URL: sandbox.consentUrl,
    AMAZON_APP_ID: "amzn1.sp.solution.sandbox",
    AMAZON_CLIENT_ID: "amzn1.application-oa2-client.sandbox",
    AMAZON_CLIENT_SECRET: "sandbox-secret",
    AMAZON_TIME_SCALE: String(sandbox.clock.scale),
    AMAZON_TIME_ANCHOR: `${iso(sandbox.clock.nowMs())}@${iso(Date.now())}`,
    INNGEST_DEV: runnerUrl,
    ...options.env,
  });

  const { inngest, syncRequested } = await import("../../inngest/client");
  const { functions } = await import("../../inngest/functions");
  const { startApp } = await import("../../runner/test/harness");
  const { startRunner } = await import("../../runner");
  const { db } = await import("../../lib/db");
  const { encrypt } = await import("../../lib/crypto/token-cipher");
  const { tokenKeyring } = await import("../../lib/sellers/amazon-app");
  const { createUser } = await import("./factories");

  const app = await startApp(inngest, functions);
  const runner = await startRunner({
    databaseUrl: process.env.DATABASE_URL!,
    port: runnerPort,
    appUrl: app.url,
    log: () => undefined,
    backoffMs: [200, 500, 1000],
    jitterMs: 50,
    pollMs: 100,
  });
  await runner.sync();

  const waitForRun = async (syncRunId: string, timeoutMs = 180_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await db.syncRun.findUnique({ where: { id: syncRunId }, select: { status: true } });
      if (run && run.status !== "running") return run;
      if (Date.now() > deadline) throw new Error(`sync ${syncRunId} still ${run?.status ?? "not started"} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  return {
    sandbox,
    runnerUrl,
    async connectSeller(index = 0) {
      const seller = sandbox.sellers[index]!;
      const user = await createUser("sync");
      const { refreshToken } = sandbox.grant(seller.sellingPartnerId);
      const connection = await db.sellerConnection.create({
        data: {
          userId: user.id,
          sellingPartnerId: seller.sellingPartnerId,
          region: "NA",
          marketplaceIds: seller.marketplaceIds,
          refreshTokenEncrypted: encrypt(refreshToken, tokenKeyring()),
        },
      });
      return { sellerConnectionId: connection.id, userId: user.id, sellingPartnerId: seller.sellingPartnerId };
    },
    async requestSync(sellerConnectionId, eventId, opts = {}) {
      const before = await db.syncRun.findMany({ where: { sellerConnectionId }, select: { id: true } });
      await inngest.send(syncRequested.create({ sellerConnectionId, kind: opts.kind ?? "historical" }, { id: eventId }));
      const deadline = Date.now() + 30_000;
      let syncRunId: string | undefined;
      while (!syncRunId) {
        const run = await db.syncRun.findFirst({ where: { sellerConnectionId, id: { notIn: before.map((r) => r.id) } }, select: { id: true } });
        syncRunId = run?.id;
        if (!syncRunId && Date.now() > deadline) throw new Error("the sync did not start");
        if (!syncRunId) await new Promise((r) => setTimeout(r, 100));
      }
      await waitForRun(syncRunId, opts.timeoutMs);
      return syncRunId;
    },
    waitForRun,
    async close() {
      await runner.close();
      await app.close();
      await sandbox.close();
    },
  };
}
