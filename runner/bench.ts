// `npm run bench:runner [-- --runs 1000 --steps 10]`: drives N runs of a K-step function through a
// real serve() app and the runner (as its own process, so its RSS is its own), then prints runs/s,
// the per-step overhead (time between one step's code and the next, i.e. runner + HTTP + SDK
// replay) and the runner's peak RSS. Uses DATABASE_URL, else an in-memory embedded PostgreSQL.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { Inngest } from "inngest";
import { serve } from "inngest/node";
import pg from "pg";
import { startEmbeddedPostgres } from "../scripts/db/embedded-postgres";
import { applyMigrations } from "../scripts/db/schema-engine";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "1000" },
    steps: { type: "string", default: "10" },
    "latency-runs": { type: "string", default: "20" },
  },
});
const RUNS = Number(values.runs);
const STEPS = Number(values.steps);
const LATENCY_RUNS = Number(values["latency-runs"]);

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function peakRssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir: "memory://", maxConnections: 8 });
const databaseUrl = process.env.DATABASE_URL ?? embedded?.url ?? "";
await applyMigrations(databaseUrl);
const runnerPort = await freePort();
const runnerUrl = `http://127.0.0.1:${runnerPort}`;

// Step timestamps per run, recorded when each step's code runs (once per step: memoized after).
const stepTimes = new Map<string, number[]>();
// Resolved when a run's code gets past its last step (the final call, which answers 200).
const done = new Map<string, () => void>();
const whenDone = (key: string) => new Promise<void>((resolve) => done.set(key, resolve));

const inngest = new Inngest({ id: "bench", isDev: true, baseUrl: runnerUrl, logger: { info() {}, warn() {}, error() {}, debug() {} } });
const tenSteps = inngest.createFunction({ id: "ten-steps", triggers: [{ event: "bench/go" }] }, async ({ step, event }) => {
  const key = String(event.data.key);
  let total = 0;
  for (let s = 0; s < STEPS; s++) {
    total += await step.run(`step-${s}`, () => {
      const times = stepTimes.get(key) ?? [];
      times.push(performance.now());
      stepTimes.set(key, times);
      return s;
    });
  }
  done.get(key)?.();
  return total;
});
const handler = serve({ client: inngest, functions: [tenSteps] });
const app = http.createServer((req, res) => {
  if (!req.url?.startsWith("/api/inngest")) return void res.writeHead(404).end();
  handler(req, res);
});
await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", () => resolve()));
const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/api/inngest`;

const child = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []), "--import", "tsx", "runner/cli.ts", "--port", String(runnerPort), "--app-url", appUrl], {
  env: { ...process.env, DATABASE_URL: databaseUrl, RUNNER_RESYNC_MS: "0", RUNNER_LOG: "quiet" },
  stdio: ["ignore", "ignore", "inherit"],
});
const pid = child.pid ?? 0;
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, peakRssMb(pid))), 200);

// Wait for the runner to have synced the function.
const db = new pg.Client({ connectionString: databaseUrl });
await db.connect();
for (;;) {
  const { rows } = await db.query("SELECT count(*)::int AS n FROM runner_function WHERE id = 'bench-ten-steps'");
  if ((rows[0] as { n: number }).n === 1) break;
  await new Promise((r) => setTimeout(r, 100));
}
await db.end();

console.log(`bench: ${STEPS}-step function, runner pid ${pid}, database ${embedded ? "embedded PGlite" : "DATABASE_URL"}`);

function gapsOf(prefix: string): number[] {
  const gaps: number[] = [];
  for (const [key, times] of stepTimes) {
    if (!key.startsWith(prefix)) continue;
    for (let k = 1; k < times.length; k++) gaps.push((times[k] ?? 0) - (times[k - 1] ?? 0));
  }
  return gaps.sort((a, b) => a - b);
}

// 1. Latency: one run at a time, so a step gap is the runner's own overhead per step
//    (apply the answer, plan the next call, HTTP round trip, SDK replay), not queueing.
for (let i = 0; i < LATENCY_RUNS; i++) {
  const key = `lat-${i}`;
  const finished = whenDone(key);
  await inngest.send({ name: "bench/go", data: { key } });
  await finished;
}
const latency = gapsOf("lat-");

// 2. Throughput: every run sent at once.
const started = performance.now();
const all: Promise<void>[] = [];
for (let i = 0; i < RUNS; i++) all.push(whenDone(`tp-${i}`));
for (let i = 0; i < RUNS; i += 100) {
  await inngest.send(Array.from({ length: Math.min(100, RUNS - i) }, (_, k) => ({ name: "bench/go", data: { key: `tp-${i + k}` } })));
}
await Promise.all(all);
const elapsedS = (performance.now() - started) / 1000;
clearInterval(sampler);
peak = Math.max(peak, peakRssMb(pid));
const loaded = gapsOf("tp-");

console.log(`throughput:             ${(RUNS / elapsedS).toFixed(1)} runs/s, ${((RUNS * STEPS) / elapsedS).toFixed(0)} steps/s (${RUNS} runs x ${STEPS} steps in ${elapsedS.toFixed(1)} s)`);
console.log(`per-step overhead (ms): median ${percentile(latency, 50).toFixed(1)}, p95 ${percentile(latency, 95).toFixed(1)} (one run at a time, ${latency.length} step gaps)`);
console.log(`step gap under load:    median ${percentile(loaded, 50).toFixed(0)} ms, p95 ${percentile(loaded, 95).toFixed(0)} ms (${RUNS} runs queued at once)`);
console.log(`runner peak RSS:        ${peak.toFixed(0)} MB`);

child.kill("SIGTERM");
await new Promise((resolve) => child.once("exit", resolve));
await new Promise<void>((resolve) => app.close(() => resolve()));
await embedded?.stop();
process.exit(0);
