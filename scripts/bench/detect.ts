// `npm run bench:detect [-- --database-url URL --size large --phase all]`: the whole detection catalogue
// over a synced sandbox seller. Prints, beside their anchors:
// - full run on a PostgreSQL server (the large seller, about 2M ledger rows): wall time (goal < 20 s),
//   per rule, and the peak RSS of the process that ran it;
// - incremental run after a small incremental sync (the world one day on): rows new vs time (goal:
//   proportional to the new rows, far under the full run);
// - the embedded figure: the same full run on PGlite (in-memory, in the measuring process, so its RSS
//   includes the database), on the seller size --embedded-size (default small: loading 2M rows into
//   PGlite is a sync of its own).
//
// Data: the seller is loaded by the app's real historical sync (sandbox over HTTP, the app and the
// runner as processes, as bench:sync does) into a database of its own on the server (--database,
// default fba_bench_detect), kept between runs: a later run reuses it (--resync to load it again). The
// large seller's sync takes 30+ minutes; there is no shortcut that would still be the app's own path.
//
// Phases: setup (create, migrate, sync if needed), full, incremental, embedded; --phase picks one or
// "all". Each measured run is a child process of its own (clean heap, its own VmHWM). Run it under
// `flock /tmp/heavy.lock` on a shared machine.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";

const { values } = parseArgs({
  options: {
    "database-url": { type: "string", default: process.env.BENCH_DATABASE_URL ?? "postgresql://postgres:postgres@127.0.0.1:5432/postgres" },
    database: { type: "string", default: "fba_bench_detect" },
    size: { type: "string", default: "large" },
    seed: { type: "string", default: "5" },
    "time-scale": { type: "string", default: "60" },
    "embedded-size": { type: "string", default: "small" },
    phase: { type: "string", default: "all" },
    resync: { type: "boolean", default: false },
    // Internal: a measured run in a child process.
    child: { type: "string" },
    seller: { type: "string" },
    now: { type: "string" },
    since: { type: "string" },
  },
});

/** The world's end of the loaded seller (a fixed instant: the same data every day); the incremental sync sees one day more. */
const WORLD_END = "2026-06-15T12:00:00.000Z";
const NEXT_DAY = "2026-06-16T12:00:00.000Z";
const SELF = fileURLToPath(import.meta.url);

function benchUrl(): string {
  const url = new URL(values["database-url"]!);
  url.pathname = `/${values.database}`;
  return url.toString();
}
const redact = (u: string) => u.replace(/\/\/[^@/]*@/, "//");

function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 1048576;
}

interface Measured {
  totalMs: number;
  peakRssMb: number;
  byRule: { rule: string; ms: number; candidates: number; found: number; skipped?: string }[];
  findings: number;
}

/** Child: the catalogue rule by rule (as the Inngest function runs it: one step per rule), timed. */
async function measure(mode: "full" | "incremental"): Promise<Measured> {
  const { runDetectionRule } = await import("../../lib/detection/run-detection");
  const { supportedRules } = await import("../../lib/detection/rules");
  const { incrementalScope } = await import("../../lib/detection/plan");
  const { db } = await import("../../lib/db");
  const now = new Date(values.now!);
  const byRule: Measured["byRule"] = [];
  const started = performance.now();
  // As the detect-discrepancies function plans it: the touched keys once, a full run past the bound.
  let scope: Awaited<ReturnType<typeof incrementalScope>>["scope"] = null;
  let runMode = mode;
  if (mode === "incremental") {
    const t = performance.now();
    const planned = await incrementalScope(db, values.seller!, new Date(values.since!), now);
    scope = planned.scope;
    const keys = planned.keys;
    if (!scope) runMode = "full";
    byRule.push({ rule: `plan (${keys.toLocaleString()} touched keys${runMode === "full" ? ": a full run" : ""})`, ms: performance.now() - t, candidates: 0, found: 0 });
  }
  for (const rule of supportedRules()) {
    const t = performance.now();
    const run = await runDetectionRule({ sellerConnectionId: values.seller!, mode: runMode, now, ruleId: rule.id, scope, ...(values.since && runMode === "incremental" ? { since: new Date(values.since) } : {}) });
    byRule.push({ rule: rule.id, ms: performance.now() - t, candidates: run.ran ? run.candidates : 0, found: run.ran ? run.found + run.updated : 0, ...(run.ran ? {} : { skipped: run.skipped }) });
  }
  const totalMs = performance.now() - started;
  const findings = await db.detection.count({ where: { sellerConnectionId: values.seller! } });
  await db.$disconnect();
  return { totalMs, peakRssMb: peakRssMb(), byRule, findings };
}

function runChild(args: string[], env: NodeJS.ProcessEnv): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", SELF, ...args], { env, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.once("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("RESULT "));
      if (code !== 0 || !line) reject(new Error(`measured run exited ${code}: ${out.slice(-2000)}`));
      else resolve(JSON.parse(line.slice(7)) as Measured);
    });
  });
}

async function ledgerRowCounts(client: pg.Client, sellerConnectionId: string, after?: Date): Promise<Record<string, number>> {
  const { SYNC_PLAN } = await import("../../lib/sync/plan");
  const out: Record<string, number> = {};
  for (const table of [...new Set(SYNC_PLAN.map((e) => e.table))]) {
    const r = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}" WHERE "sellerConnectionId" = $1${after ? ` AND "syncedAt" > $2` : ""}`, after ? [sellerConnectionId, after] : [sellerConnectionId]);
    out[table] = Number(r.rows[0]!.n);
  }
  return out;
}

/** A sync of the sandbox seller into the bench database, the app and the runner as processes. */
async function syncSeller(url: string, opts: { startTime: string; kind: "historical" | "incremental"; sellerConnectionId?: string }): Promise<{ sellerConnectionId: string; wallMs: number; status: string }> {
  const { startSandbox } = await import("../../sandbox/server");
  const { startSyncProcesses } = await import("../../tests/support/sync-processes");
  const { sandboxAppEnv } = await import("../../tests/support/sandbox-app-env");
  const sandbox = await startSandbox({ port: 0, seed: Number(values.seed), sellers: 1, size: values.size as "large" | "small", timeScale: Number(values["time-scale"]), startTime: opts.startTime, groundTruth: false });
  const env = { ...process.env, ...sandboxAppEnv(sandbox), DATABASE_URL: url };
  const procs = await startSyncProcesses(env);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const seller = sandbox.sellers[0]!;
    let sellerConnectionId = opts.sellerConnectionId;
    if (!sellerConnectionId) {
      Object.assign(process.env, env);
      const { connectSandboxSeller } = await import("../../tests/support/sandbox-app-env");
      sellerConnectionId = (await connectSandboxSeller(sandbox, 0, "bench-detect")).sellerConnectionId;
    } else {
      // A new sandbox instance: the seller grants the app again (a new refresh token, stored encrypted).
      Object.assign(process.env, env);
      const { encrypt } = await import("../../lib/crypto/token-cipher");
      const { tokenKeyring } = await import("../../lib/sellers/amazon-app");
      const token = encrypt(sandbox.grant(seller.sellingPartnerId).refreshToken, tokenKeyring());
      await client.query(`UPDATE "SellerConnection" SET "refreshTokenEncrypted" = $1 WHERE id = $2`, [token, sellerConnectionId]);
    }
    const before = await client.query<{ id: string }>(`SELECT id FROM "SyncRun" WHERE "sellerConnectionId" = $1`, [sellerConnectionId]);
    const started = Date.now();
    const res = await fetch(`${procs.runnerUrl}/e/bench`, {
      method: "POST",
      body: JSON.stringify({ name: "sync/requested", id: `bench-detect:${opts.kind}:${sellerConnectionId}:${started}`, data: { sellerConnectionId, kind: opts.kind } }),
    });
    if (res.status !== 200) throw new Error(`event send answered ${res.status}`);
    let lastLog = 0;
    for (;;) {
      const r = await client.query<{ status: string; progress: number; message: string }>(
        `SELECT status, progress, message FROM "SyncRun" WHERE "sellerConnectionId" = $1 AND NOT (id = ANY($2::text[])) ORDER BY "startedAt" DESC LIMIT 1`,
        [sellerConnectionId, before.rows.map((x) => x.id)],
      );
      const run = r.rows[0];
      if (run && run.status !== "running") {
        // The sync's last steps (its detection) finish before the runner is idle.
        for (;;) {
          const open = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "runner_run" WHERE "status" IN ('queued', 'running')`);
          if (Number(open.rows[0]!.n) === 0) break;
          await new Promise((x) => setTimeout(x, 1000));
        }
        return { sellerConnectionId, wallMs: Date.now() - started, status: `${run.status}: ${run.message}` };
      }
      if (run && Date.now() - lastLog > 60_000) {
        lastLog = Date.now();
        console.log(`  ${Math.round((Date.now() - started) / 1000)} s: ${run.progress}% ${run.message}`);
      }
      await new Promise((x) => setTimeout(x, 2000));
    }
  } finally {
    await client.end();
    await procs.close();
    await sandbox.close();
  }
}

async function setup(): Promise<string> {
  const admin = new pg.Client({ connectionString: values["database-url"] });
  await admin.connect();
  const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [values.database])).rowCount! > 0;
  if (exists && values.resync) await admin.query(`DROP DATABASE "${values.database}" WITH (FORCE)`);
  if (!exists || values.resync) await admin.query(`CREATE DATABASE "${values.database}"`);
  await admin.end();
  const url = benchUrl();
  const { applyMigrations } = await import("../db/schema-engine");
  await applyMigrations(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const done = await client.query<{ id: string }>(
    `SELECT c.id FROM "SellerConnection" c JOIN "SyncRun" r ON r."sellerConnectionId" = c.id WHERE r.kind = 'historical' AND r.status = 'completed' ORDER BY r."startedAt" LIMIT 1`,
  );
  await client.end();
  if (done.rows[0]) return done.rows[0].id;
  console.log(`setup: syncing the ${values.size} sandbox seller (seed ${values.seed}, time scale ${values["time-scale"]}) into ${redact(url)} ...`);
  const synced = await syncSeller(url, { startTime: WORLD_END, kind: "historical" });
  console.log(`setup: ${synced.status} in ${(synced.wallMs / 1000).toFixed(0)} s`);
  return synced.sellerConnectionId;
}

function printMeasured(title: string, m: Measured, anchor: string) {
  console.log(`\n${title}`);
  for (const r of m.byRule) console.log(`  ${r.rule}  ${(r.ms / 1000).toFixed(2).padStart(7)} s  ${String(r.candidates).padStart(7)} candidates  ${String(r.found).padStart(6)} findings${r.skipped ? `  (skipped: ${r.skipped})` : ""}`);
  console.log(`  total ${(m.totalMs / 1000).toFixed(1)} s   ${anchor}`);
  console.log(`  peak RSS ${m.peakRssMb.toFixed(0)} MB (the measuring process)`);
}

if (values.child === "full" || values.child === "incremental") {
  const m = await measure(values.child);
  console.log(`RESULT ${JSON.stringify(m)}`);
  process.exit(0);
}
if (values.child === "embedded") {
  // PGlite in memory in this process; the small seller synced with the test stack, then the full run.
  const { useOwnDatabase } = await import("../../tests/support/own-database");
  process.env.TEST_DATABASE_KIND = "pglite";
  const database = await useOwnDatabase();
  const { startSyncStack } = await import("../../tests/support/sync-stack");
  const stack = await startSyncStack({ sandbox: { seed: Number(values.seed), size: values["embedded-size"] as "small" | "large", startTime: WORLD_END } });
  const seller = await stack.connectSeller(0);
  await stack.requestSync(seller.sellerConnectionId, `bench-detect-embedded:${seller.sellerConnectionId}`, { asOf: stack.sandbox.clock.now().toISOString(), timeoutMs: 3_600_000 });
  await stack.waitForRunnerIdle(600_000);
  await stack.close();
  values.seller = seller.sellerConnectionId;
  values.now = WORLD_END;
  const m = await measure("full");
  console.log(`RESULT ${JSON.stringify(m)}`);
  await database.close();
  process.exit(0);
}

const phase = values.phase!;
const url = benchUrl();
const sellerConnectionId = await setup();
const client = new pg.Client({ connectionString: url });
await client.connect();
const rows = await ledgerRowCounts(client, sellerConnectionId);
const ledgerTotal = Object.values(rows).reduce((a, b) => a + b, 0);
console.log(`\nbench:detect — ${values.size} seller (seed ${values.seed}) on a PostgreSQL server (${redact(url)}): ${rows.LedgerDetail?.toLocaleString()} ledger detail rows, ${ledgerTotal.toLocaleString()} rows in all`);
const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, AMAZON_TIME_SCALE: "1" };
delete childEnv.AMAZON_TIME_ANCHOR;

let full: Measured | undefined;
if (phase === "all" || phase === "full") {
  full = await runChild(["--child", "full", "--seller", sellerConnectionId, "--now", WORLD_END], childEnv);
  printMeasured("full run (PostgreSQL server)", full, `goal < 20 s: ${full.totalMs < 20_000 ? "met" : "NOT met"}`);
}

if (phase === "all" || phase === "incremental") {
  const before = await client.query<{ at: Date | null }>(`SELECT max("syncedAt") AS at FROM "LedgerDetail" WHERE "sellerConnectionId" = $1`, [sellerConnectionId]);
  const since = before.rows[0]!.at ?? new Date(0);
  console.log(`\nincremental: syncing the world one day on (${NEXT_DAY}) ...`);
  const synced = await syncSeller(url, { startTime: NEXT_DAY, kind: "incremental", sellerConnectionId });
  const fresh = await ledgerRowCounts(client, sellerConnectionId, since);
  const freshTotal = Object.values(fresh).reduce((a, b) => a + b, 0);
  console.log(`  sync ${synced.status} in ${(synced.wallMs / 1000).toFixed(0)} s; rows synced since: ${freshTotal.toLocaleString()} (${Object.entries(fresh).filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`).join(", ")})`);
  const inc = await runChild(["--child", "incremental", "--seller", sellerConnectionId, "--now", NEXT_DAY, "--since", new Date(since.getTime() + 1).toISOString()], childEnv);
  const share = freshTotal / Math.max(1, ledgerTotal);
  printMeasured("incremental run (PostgreSQL server)", inc, `rows new ${freshTotal.toLocaleString()} of ${ledgerTotal.toLocaleString()} (${(share * 100).toFixed(2)} %)`);
  if (full) console.log(`  time ${((inc.totalMs / full.totalMs) * 100).toFixed(1)} % of the full run for ${(share * 100).toFixed(2)} % of the rows (goal: proportional to the new rows)`);
}
await client.end();

if (phase === "all" || phase === "embedded") {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const emb = await runChild(["--child", "embedded", "--embedded-size", values["embedded-size"]!, "--seed", values.seed!], env);
  printMeasured(`full run (embedded PGlite, ${values["embedded-size"]} seller, database in the measuring process)`, emb, "(no anchor of its own; the 20 s goal is the server's)");
}
