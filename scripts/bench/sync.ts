// `npm run bench:sync [-- --size large --time-scale 60 --database-url URL]`: the historical sync of
// the sandbox's large seller (about 2M ledger rows) with Amazon's real usage plans under the sandbox's
// time scale. Prints the wall time beside the floor the usage plans imply for the calls the sync made
// (per operation: (calls - burst) / rate, the slowest operation bounds the run), their ratio (goal <=
// 1.15), and the calls made beside what fixed 3-month windows for every report (seed 000's approach)
// would need. The app and the runner run as processes of their own, as in production.
import { parseArgs } from "node:util";
import { startSandbox } from "../../sandbox/server";
import { USAGE_PLANS } from "../../sandbox/usage-plans";
import { startSyncProcesses } from "../../tests/support/sync-processes";
import { useOwnDatabase } from "../../tests/support/own-database";
import { connectSandboxSeller, sandboxAppEnv } from "../../tests/support/sandbox-app-env";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "large" },
    "time-scale": { type: "string", default: "60" },
    "database-url": { type: "string" },
    seed: { type: "string", default: "5" },
  },
});
const scale = Number(values["time-scale"]);
const serverUrl = values["database-url"] ?? process.env.DATABASE_URL;
if (serverUrl) {
  process.env.DATABASE_URL = serverUrl;
  process.env.TEST_DATABASE_KIND = "postgresql";
}
process.env.DATA_DIR ??= ".data/bench";
const database = await useOwnDatabase();
const kind = serverUrl ? "PostgreSQL server" : "embedded PGlite";

console.log(`generating the ${values.size} sandbox seller (seed ${values.seed}) ...`);
const sandbox = await startSandbox({ port: 0, seed: Number(values.seed), sellers: 1, size: values.size as "large" | "small", timeScale: scale, groundTruth: false });
const env = { ...process.env, ...sandboxAppEnv(sandbox) };
Object.assign(process.env, env);
const { db } = await import("../../lib/db");
const { SYNC_PLAN } = await import("../../lib/sync/plan");
const procs = await startSyncProcesses(env);

try {
  const seller = sandbox.sellers[0]!;
  const connection = { id: (await connectSandboxSeller(sandbox, 0, "bench")).sellerConnectionId };
  const callsBefore = sandbox.calls().length;
  const started = Date.now();
  const res = await fetch(`${procs.runnerUrl}/e/bench`, {
    method: "POST",
    body: JSON.stringify({ name: "sync/requested", id: `bench-sync:${connection.id}`, data: { sellerConnectionId: connection.id, kind: "historical" } }),
  });
  if (res.status !== 200) throw new Error(`event send answered ${res.status}`);
  let run;
  let lastLog = 0;
  /** When the first finding was stored (early detection runs a rule once the sources it needs are in). */
  let firstFindingMs: number | undefined;
  for (;;) {
    run = await db.syncRun.findFirst({ where: { sellerConnectionId: connection.id } });
    if (firstFindingMs === undefined && (await db.detection.findFirst({ where: { sellerConnectionId: connection.id }, select: { id: true } }))) {
      firstFindingMs = Date.now() - started;
      console.log(`  ${Math.round(firstFindingMs / 1000)} s: first finding stored (${run?.status === "running" ? `sync at ${run.progress}%` : "after the sync"})`);
    }
    if (run && run.status !== "running") break;
    if (Date.now() - lastLog > 30_000 && run) {
      lastLog = Date.now();
      console.log(`  ${Math.round((Date.now() - started) / 1000)} s: ${run.progress}% ${run.unitsDone}/${run.unitsPlanned} ${run.message}`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  const wallMs = Date.now() - started;
  const calls = sandbox.calls().slice(callsBefore).filter((c) => c.sellingPartnerId === seller.sellingPartnerId);

  // The floor: each operation's calls cannot go faster than its bucket allows (burst, then `rate`/s),
  // and the slowest operation bounds the whole run.
  const byOp = new Map<string, number>();
  for (const c of calls) byOp.set(c.operation, (byOp.get(c.operation) ?? 0) + 1);
  let floorMs = 0;
  let bound = "";
  const rows: string[] = [];
  for (const [op, n] of [...byOp].sort((a, b) => b[1] - a[1])) {
    const plan = (USAGE_PLANS as Record<string, { rate: number; burst: number }>)[op];
    const ms = plan ? (Math.max(0, n - plan.burst) / plan.rate / scale) * 1000 : 0;
    if (ms > floorMs) [floorMs, bound] = [ms, op];
    rows.push(`  ${op.padEnd(30)} ${String(n).padStart(7)} calls${plan ? `  floor ${(ms / 1000).toFixed(1)} s` : ""}`);
  }

  const tasks = await db.syncTask.findMany({ where: { syncRunId: run!.id } });
  const stored = run!.counts as Record<string, number>;
  // Seed 000: every requestable report type in fixed 3-month windows over the same 18 months.
  const DAYS = 548;
  const fixedCreates = SYNC_PLAN.reduce((sum, e) => sum + (e.kind === "report" ? Math.ceil(DAYS / 90) : e.kind === "snapshot-report" ? 1 : 0), 0);
  const ourCreates = byOp.get("createReport") ?? 0;
  const pollsPerReport = (byOp.get("getReport") ?? 0) / Math.max(1, ourCreates);

  console.log(`\nbench:sync — ${values.size} seller, time scale ${scale}, ${kind}`);
  const unfinished = tasks.filter((t) => t.status === "failed" || t.status === "skipped");
  console.log(`run ${run!.status}: ${tasks.length} tasks, ${unfinished.length} failed; rows ${Object.values(stored).reduce((a, b) => a + b, 0).toLocaleString()}`);
  for (const [source, n] of Object.entries(stored)) console.log(`  ${source.padEnd(22)} ${n.toLocaleString().padStart(10)} rows`);
  // Which tasks did not finish, and why (the operator's text: this is a local benchmark, not a response).
  for (const t of unfinished) {
    const window = t.windowStart ? ` ${t.windowStart.toISOString().slice(0, 10)}..${t.windowEnd?.toISOString().slice(0, 10) ?? ""}` : "";
    console.log(`  ${t.status}: ${t.source}${window} after ${t.attempts} attempts: ${(t.error ?? "no error recorded").slice(0, 300)}`);
  }
  console.log(`\ncalls made (per operation, with the time its usage plan needs for them at this scale):`);
  for (const line of rows) console.log(line);
  console.log(`\nwall time              ${(wallMs / 1000).toFixed(1)} s  (${((wallMs * scale) / 3_600_000).toFixed(1)} h of Amazon time)`);
  console.log(`usage-plan floor       ${(floorMs / 1000).toFixed(1)} s  (bound by ${bound})`);
  console.log(`ratio                  ${(wallMs / Math.max(1, floorMs)).toFixed(2)}  (goal <= 1.15)`);
  console.log(
    firstFindingMs === undefined
      ? `first finding          none stored during the sync`
      : `first finding          ${(firstFindingMs / 1000).toFixed(1)} s  (${((100 * firstFindingMs) / wallMs).toFixed(0)}% of the wall time; ${run!.claimsDetected ?? 0} open findings at the end)`,
  );
  console.log(`\nreports requested      ${ourCreates} createReport, ${byOp.get("getReportDocument") ?? 0} getReportDocument, ${byOp.get("getReport") ?? 0} getReport`);
  console.log(`fixed 3-month windows  ${fixedCreates} createReport, ${fixedCreates} getReportDocument, ~${Math.round(fixedCreates * pollsPerReport)} getReport (at our polls per report)`);
} finally {
  await procs.close();
  await sandbox.close();
  await db.$disconnect();
  await database.close();
}
