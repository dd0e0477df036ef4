// The whole sync stack in one process for tests: the SP-API sandbox over HTTP, the app's Inngest
// functions served by inngest/node, the embedded runner driving them, all on the test database.
// The environment is set before the app's modules load (lib/env.ts reads it once).
// With `amazon: { spApiUrl, lwaUrl }` no sandbox is started: the app talks to that host instead (e.g.
// tests/support/static-sp-api.ts, Amazon's static sandbox), on the real clock.
import net from "node:net";
import type { Sandbox, SandboxOptions } from "../../sandbox/server";
import { startSandbox } from "../../sandbox/server";
import { sandboxAppEnv } from "./sandbox-app-env";

export interface ConnectedSeller {
  sellerConnectionId: string;
  userId: string;
  sellingPartnerId: string;
}

interface StackBase {
  runnerUrl: string;
  /** Connects a seller for a new user with this refresh token and these marketplaces (stored encrypted, as Connect Amazon does). */
  connectSellerWithToken(input: { refreshToken: string; marketplaceIds: string[]; sellingPartnerId?: string }): Promise<ConnectedSeller>;
  /** Sends sync/requested and waits until the run it creates has finished. */
  /** `asOf` pins the instant the sync's windows end at (two syncs over the same span). */
  requestSync(sellerConnectionId: string, eventId: string, options?: { timeoutMs?: number; kind?: "historical" | "incremental"; asOf?: string }): Promise<string>;
  waitForRun(syncRunId: string, timeoutMs?: number): Promise<{ status: string }>;
  /** Waits until the runner has no queued or running run left (a sync's last steps run after its SyncRun is closed). */
  waitForRunnerIdle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface SyncStack extends StackBase {
  sandbox: Sandbox;
  /** Connects sandbox seller `index` for a new user; returns the seller connection id. */
  connectSeller(index?: number): Promise<ConnectedSeller>;
}

/** Another SP-API host than our sandbox. */
export interface AmazonEndpoints {
  spApiUrl: string;
  lwaUrl: string;
  consentUrl?: string;
}

export interface AmazonSyncStack extends StackBase {
  amazon: AmazonEndpoints;
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

export function startSyncStack(options: Omit<SyncStackOptions, "sandbox"> & { amazon: AmazonEndpoints }): Promise<AmazonSyncStack>;
export function startSyncStack(options?: SyncStackOptions): Promise<SyncStack>;
export async function startSyncStack(options: SyncStackOptions & { amazon?: AmazonEndpoints } = {}): Promise<SyncStack | AmazonSyncStack> {
  const amazon = options.amazon;
  const sandbox = amazon ? undefined : await startSandbox({ port: 0, sellers: 1, size: "small", timeScale: 600, ...options.sandbox });
  const runnerPort = await freePort();
  const runnerUrl = `http://127.0.0.1:${runnerPort}`;
  if (sandbox) {
    Object.assign(process.env, sandboxAppEnv(sandbox));
  } else {
    // Another host on Amazon's own clock (the real one): no time scale, no anchor.
    delete process.env.AMAZON_TIME_ANCHOR;
    delete process.env.AMAZON_CONSENT_URL;
    Object.assign(process.env, {
      AMAZON_SPAPI_ENDPOINT: amazon!.spApiUrl,
      AMAZON_LWA_ENDPOINT: amazon!.lwaUrl,
      ...(amazon!.consentUrl ? { AMAZON_CONSENT_URL: amazon!.consentUrl } : {}),
      AMAZON_APP_ID: "amzn1.sp.solution.test-app",
      AMAZON_CLIENT_ID: "amzn1.application-oa2-client.test-app",
      AMAZON_CLIENT_SECRET: "test-app-secret",
      AMAZON_TIME_SCALE: "1",
    });
  }
  Object.assign(process.env, { INNGEST_DEV: runnerUrl, ...options.env });

  const { inngest, syncRequested } = await import("../../inngest/client");
  const { functions } = await import("../../inngest/functions");
  const { startApp } = await import("../../runner/test/harness");
  const { startRunner } = await import("../../runner");
  const { db } = await import("../../lib/db");
  const { encrypt } = await import("../../lib/crypto/token-cipher");
  const { tokenKeyring } = await import("../../lib/sellers/amazon-app");
  const { createUser, sellingPartnerId: newSellingPartnerId } = await import("./factories");

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

  const waitForRunnerIdle = async (timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const open = await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "runner_run" WHERE "status" IN ('queued', 'running')`);
      if (Number(open[0]!.n) === 0) return;
      if (Date.now() > deadline) throw new Error(`the runner still has ${open[0]!.n} open run(s) after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  const connectSellerWithToken: StackBase["connectSellerWithToken"] = async ({ refreshToken, marketplaceIds, sellingPartnerId = newSellingPartnerId() }) => {
    const user = await createUser("sync");
    const connection = await db.sellerConnection.create({
      data: {
        userId: user.id,
        sellingPartnerId,
        region: "NA",
        marketplaceIds,
        refreshTokenEncrypted: encrypt(refreshToken, tokenKeyring()),
      },
    });
    return { sellerConnectionId: connection.id, userId: user.id, sellingPartnerId };
  };

  const base: StackBase = {
    runnerUrl,
    connectSellerWithToken,
    async requestSync(sellerConnectionId, eventId, opts = {}) {
      const before = await db.syncRun.findMany({ where: { sellerConnectionId }, select: { id: true } });
      await inngest.send(syncRequested.create({ sellerConnectionId, kind: opts.kind ?? "historical", ...(opts.asOf ? { asOf: opts.asOf } : {}) }, { id: eventId }));
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
    waitForRunnerIdle,
    async close() {
      await runner.close();
      await app.close();
      await sandbox?.close();
    },
  };
  if (!sandbox) return { ...base, amazon: amazon! };
  return {
    ...base,
    sandbox,
    async connectSeller(index = 0) {
      const seller = sandbox.sellers[index]!;
      const { refreshToken } = sandbox.grant(seller.sellingPartnerId);
      return connectSellerWithToken({ refreshToken, marketplaceIds: seller.marketplaceIds, sellingPartnerId: seller.sellingPartnerId });
    },
  };
}
