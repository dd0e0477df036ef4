// kill -9 the app mid-sync, then the runner, start each again: the sync finishes and its ledger equals
// a clean run's over the same windows, row for row (count and checksum per table). The app and the
// runner are processes of their own here; the sandbox and the database stay up, as they would.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../../sandbox/server";
import { startSandbox } from "../../../sandbox/server";
import { WORLD_END } from "../../../sandbox/test-support/harness";
import { useOwnDatabase, type OwnDatabase } from "../../support/own-database";
import { connectSandboxSeller, sandboxAppEnv } from "../../support/sandbox-app-env";
import { startSyncProcesses, type SyncProcesses } from "../../support/sync-processes";

let database: OwnDatabase;
let sandbox: Sandbox;
let procs: SyncProcesses;
let db: typeof import("../../../lib/db").db;
let tables: string[];

const iso = (ms: number) => new Date(ms).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Amazon's clock moves inbound shipments on between two syncs: those tables are compared by count only. */
const MOVING = new Set(["InboundShipment", "InboundShipmentItem"]);

async function connect(): Promise<string> {
  return (await connectSandboxSeller(sandbox, 0, "crash")).sellerConnectionId;
}

async function requestSync(sellerConnectionId: string, id: string, asOf: string): Promise<string> {
  const res = await fetch(`${procs.runnerUrl}/e/test`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "sync/requested", id, data: { sellerConnectionId, kind: "historical", asOf } }),
  });
  expect(res.status).toBe(200);
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(200)) {
    const run = await db.syncRun.findFirst({ where: { sellerConnectionId }, select: { id: true } });
    if (run) return run.id;
  }
  throw new Error("the sync did not start");
}

async function runState(syncRunId: string) {
  return db.syncRun.findUniqueOrThrow({ where: { id: syncRunId }, select: { status: true, unitsDone: true, unitsPlanned: true } });
}

async function waitUntil(syncRunId: string, done: (run: Awaited<ReturnType<typeof runState>>) => boolean, timeoutMs = 240_000) {
  for (const deadline = Date.now() + timeoutMs; ; await sleep(200)) {
    const run = await runState(syncRunId);
    if (done(run)) return run;
    if (Date.now() > deadline) throw new Error(`sync ${syncRunId}: ${JSON.stringify(run)} after ${timeoutMs} ms`);
  }
}

/** Per table: row count and a checksum of the rows' content, without what differs by run (ids, when, which report). */
async function ledger(sellerConnectionId: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of tables) {
    const [row] = await db.$queryRawUnsafe<{ n: bigint; sum: string | null }[]>(
      `SELECT count(*) AS n, md5(string_agg(h, '' ORDER BY h)) AS sum FROM (
         SELECT md5((to_jsonb(t) - 'id' - 'sellerConnectionId' - 'syncedAt' - 'sourceReport')::text) AS h
         FROM "${table}" t WHERE "sellerConnectionId" = $1) x`,
      sellerConnectionId,
    );
    out[table] = MOVING.has(table) ? `${row!.n}` : `${row!.n}:${row!.sum}`;
  }
  return out;
}

beforeAll(async () => {
  database = await useOwnDatabase();
  // Regeneration cooldowns off: two syncs of one seller back to back, as two accounts would be.
  sandbox = await startSandbox({ port: 0, seed: 23, sellers: 1, size: "small", timeScale: 600, startTime: WORLD_END, reportCooldown: "off" });
  const env = { ...process.env, ...sandboxAppEnv(sandbox) };
  Object.assign(process.env, env);
  ({ db } = await import("../../../lib/db"));
  tables = [...new Set((await import("../../../lib/sync/plan")).SYNC_PLAN.map((e) => e.table)), "InboundShipmentItem"];
  procs = await startSyncProcesses(env);
}, 180_000);

afterAll(async () => {
  await procs?.close();
  await sandbox?.close();
  await database?.close();
});

describe("a sync survives kill -9", () => {
  it("of the app and then of the runner, and stores what a clean run stores", async () => {
    const asOf = iso(sandbox.clock.nowMs());

    const clean = await connect();
    const cleanRun = await requestSync(clean, `crash-test-clean:${clean}`, asOf);
    expect((await waitUntil(cleanRun, (r) => r.status !== "running")).status).toBe("completed");

    const crashed = await connect();
    const callsBefore = sandbox.calls().length;
    const run = await requestSync(crashed, `crash-test-killed:${crashed}`, asOf);
    const atAppKill = await waitUntil(run, (r) => r.unitsDone >= 3 || r.status !== "running");
    expect(atAppKill.status).toBe("running");
    await procs.app.kill();
    await sleep(2_000);
    await procs.app.start();

    const atRunnerKill = await waitUntil(run, (r) => r.unitsDone >= atAppKill.unitsDone + 5 || r.status !== "running");
    expect(atRunnerKill.status).toBe("running");
    await procs.runner.kill();
    await sleep(1_000);
    await procs.runner.start();

    const finished = await waitUntil(run, (r) => r.status !== "running");
    expect(finished.status).toBe("completed");
    const tasks = await db.syncTask.findMany({ where: { syncRunId: run }, select: { source: true, status: true, error: true } });
    expect(tasks.filter((t) => t.status !== "done" && t.status !== "empty")).toEqual([]);
    expect(await ledger(crashed)).toEqual(await ledger(clean));
    // The restarts asked Amazon for no report twice: one createReport per requested window.
    const created = sandbox.calls().slice(callsBefore).filter((c) => c.operation === "createReport" && c.status === 202).length;
    const requested = await db.syncTask.count({ where: { syncRunId: run, reportRequestedAt: { not: null } } });
    expect(created).toBe(requested);
  }, 600_000);
});
