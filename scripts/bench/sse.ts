// `npm run bench:sse [-- --clients 1000 --events 50 --interval-ms 200 --database-url URL]`: 1,000
// browsers following one sync's progress (GET /api/sse/sync-progress/:syncId) on ONE production app
// instance (`next start` of the existing build, the embedded stack as in the e2e tests; the embedded
// PGlite unless --database-url names a PostgreSQL server, where a throwaway database is made), and in
// the same run the same number of clients on a bare node:http server that fans the same frames out
// from memory: the floor of SSE fan-out on this machine. Prints publish-to-delivery p50/p95/max of
// each, their ratio (goal: the app's p95 within 2x the bare server's and under 250 ms) and each
// server's RSS.
//
// Publish-to-delivery: from just before the sync's write (the SyncRun change and its ProgressEvent in
// one transaction, lib/sync/run-store.ts, with its NOTIFY) to the frame's arrival at a client. For
// the bare server: from just before the frame is handed to it. Clients run in a process of their own
// (`--role clients`), as does the bare server (`--role bare`); all clock readings are this machine's
// wall clock in milliseconds with sub-millisecond precision.
import { fork, execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    role: { type: "string", default: "main" },
    clients: { type: "string", default: "1000" },
    events: { type: "string", default: "50" },
    "interval-ms": { type: "string", default: "200" },
    warmup: { type: "string", default: "5" },
    "database-url": { type: "string" },
    url: { type: "string" },
    cookie: { type: "string" },
  },
});
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SELF = fileURLToPath(import.meta.url);
const MESSAGE = /^bench event (\d+)$/;

// ---------------------------------------------------------------------------------------------
// Role: clients. Opens N SSE connections, records when each bench event arrives on each.

async function clientsRole(): Promise<void> {
  const url = new URL(values.url!);
  const count = Number(values.clients);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const received = new Map<number, number[]>();
  const requests: http.ClientRequest[] = [];
  let errors = 0;
  const connectOne = () =>
    new Promise<void>((resolve, reject) => {
      const request = http.get(url, { agent, headers: { accept: "text/event-stream", ...(values.cookie ? { cookie: values.cookie } : {}) } }, (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`answered ${response.statusCode}`));
          response.resume();
          return;
        }
        response.setEncoding("utf8");
        let buffer = "";
        let opened = false;
        response.on("data", (chunk: string) => {
          const at = now();
          buffer += chunk;
          if (!opened) {
            opened = true;
            resolve();
          }
          let end: number;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = frame.split("\n").find((line) => line.startsWith("data: "));
            if (!data) continue;
            const match = MESSAGE.exec((JSON.parse(data.slice(6)) as { message?: string }).message ?? "");
            if (!match) continue;
            const seq = Number(match[1]);
            const list = received.get(seq) ?? [];
            list.push(at);
            received.set(seq, list);
          }
        });
        response.on("error", () => errors++);
      });
      request.on("error", (error) => {
        errors++;
        reject(error);
      });
      requests.push(request);
    });
  const started = now();
  const batch = 50;
  for (let i = 0; i < count; i += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, count - i) }, connectOne));
  }
  process.send!({ type: "connected", ms: now() - started });
  process.on("message", (message: { type: string }) => {
    if (message.type === "report") {
      process.send!({ type: "report", received: Object.fromEntries(received), errors });
    } else if (message.type === "close") {
      for (const request of requests) request.destroy();
      agent.destroy();
      process.exit(0);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Role: bare. A node:http server holding every client's response, writing each frame to all of them.

async function bareRole(): Promise<void> {
  const clients = new Set<http.ServerResponse>();
  const server = http.createServer((request, response) => {
    response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" });
    response.write("retry: 3000\n: connected\n\n");
    clients.add(response);
    request.on("close", () => clients.delete(response));
  });
  server.maxConnections = 100_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.send!({ type: "listening", port: (server.address() as { port: number }).port });
  process.on("message", (message: { type: string; frame?: string }) => {
    if (message.type === "publish") for (const response of clients) response.write(message.frame!);
    else if (message.type === "close") process.exit(0);
  });
}

// ---------------------------------------------------------------------------------------------
// Role: main.

interface Phase {
  name: string;
  latencies: number[];
  missed: number;
  connectMs: number;
  rssIdleMb: number;
  rssPeakMb: number;
  errors: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** RSS in MB of every process in `pid`'s process group (next start and its server process). */
function groupRssMb(pid: number): number {
  const out = execFileSync("ps", ["-eo", "pgid=,rss="], { encoding: "utf8" });
  let kb = 0;
  for (const line of out.trim().split("\n")) {
    const [pgid, rss] = line.trim().split(/\s+/).map(Number);
    if (pgid === pid) kb += rss ?? 0;
  }
  return kb / 1024;
}

function processRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function startChild(role: string, args: string[]): ChildProcess {
  return fork(SELF, ["--role", role, ...args], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
}

function nextMessage<T>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} from the ${type === "listening" ? "bare server" : "clients"} within ${timeoutMs / 1000} s`)), timeoutMs);
    const onMessage = (message: { type: string }) => {
      if (message.type !== type) return;
      clearTimeout(timer);
      child.off("message", onMessage);
      resolve(message as T);
    };
    child.on("message", onMessage);
    child.once("exit", (code) => reject(new Error(`child exited (${code}) before ${type}`)));
  });
}

/** Connects the clients, publishes warm-up then measured events, collects the deliveries. */
async function runPhase(
  name: string,
  url: string,
  cookie: string | undefined,
  publish: (seq: number) => Promise<void>,
  rss: () => number,
): Promise<Phase> {
  const count = Number(values.clients);
  const events = Number(values.events);
  const warmup = Number(values.warmup);
  const interval = Number(values["interval-ms"]);
  const rssIdleMb = rss();
  const clients = startChild("clients", ["--url", url, "--clients", String(count), ...(cookie ? ["--cookie", cookie] : [])]);
  const { ms: connectMs } = await nextMessage<{ ms: number }>(clients, "connected", 600_000);
  let rssPeakMb = rss();
  const sampler = setInterval(() => (rssPeakMb = Math.max(rssPeakMb, rss())), 250);
  const publishedAt = new Map<number, number>();
  try {
    for (let seq = 1; seq <= warmup + events; seq++) {
      const at = now();
      await publish(seq);
      publishedAt.set(seq, at);
      await sleep(interval);
    }
    await sleep(3000);
  } finally {
    clearInterval(sampler);
  }
  rssPeakMb = Math.max(rssPeakMb, rss());
  clients.send({ type: "report" });
  const report = await nextMessage<{ received: Record<string, number[]>; errors: number }>(clients, "report", 60_000);
  clients.send({ type: "close" });
  const latencies: number[] = [];
  let missed = 0;
  for (let seq = warmup + 1; seq <= warmup + events; seq++) {
    const arrivals = report.received[String(seq)] ?? [];
    missed += count - arrivals.length;
    for (const at of arrivals) latencies.push(at - publishedAt.get(seq)!);
  }
  latencies.sort((a, b) => a - b);
  return { name, latencies, missed, connectMs, rssIdleMb, rssPeakMb, errors: report.errors };
}

async function main(): Promise<void> {
  if (!existsSync(".next/BUILD_ID") || !existsSync(".next/server/app/api/sse/sync-progress/[syncId]/route.js")) {
    console.error("No production build with the SSE routes in .next: run `flock /tmp/build.lock npx next build` first.");
    process.exit(1);
  }
  const { startStack } = await import("../stack");
  const serverUrl = values["database-url"] ?? process.env.BENCH_DATABASE_URL;
  let database: { url: string; close(): Promise<void> } | undefined;
  if (serverUrl) {
    const { createServerDatabase } = await import("../../tests/support/own-database");
    database = await createServerDatabase(serverUrl);
  }
  const kind = serverUrl ? "PostgreSQL server" : "embedded PGlite";
  let hubMode = "unknown";
  const stack = await startStack({
    mode: "start",
    appPort: 3190,
    runnerPort: 8488,
    sandboxPort: 8490,
    dbPort: 54439,
    embeddedRunner: true,
    env: {
      NODE_ENV: "production",
      DATA_DIR: mkdtempSync(path.join(tmpdir(), "fba-bench-sse-")),
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      TOKEN_ENCRYPTION_KEYS: `bench1:${randomBytes(32).toString("base64")}`,
      INNGEST_SIGNING_KEY: `signkey-test-${randomBytes(32).toString("hex")}`,
      INNGEST_EVENT_KEY: "bench-event-key",
      INNGEST_DEV: "0",
      // 1,000 connections from one address and one user: the per-address and per-user limits are off.
      API_RATE_LIMIT_MAX: "0",
      ...(database ? { DATABASE_URL: database.url } : {}),
    },
    log: (line) => {
      const mode = /progress hub: how new progress events are found/.test(line) ? /"mode":"(\w+)"/.exec(line)?.[1] : undefined;
      if (mode) hubMode = mode;
      if (/error|fail/i.test(line) && !/progress hub/.test(line)) console.log(line);
    },
  });
  let bare: ChildProcess | undefined;
  try {
    process.env.DATABASE_URL = stack.databaseUrl;
    const { db } = await import("../../lib/db");
    const { writeProgressEvent } = await import("../../lib/sync/run-store");

    // A seller signed in through the app's own sign-up and next-auth's credentials sign-in.
    const email = `bench-sse-${randomBytes(4).toString("hex")}@bench.test`;
    const password = `Bench-${randomBytes(12).toString("hex")}`;
    const signup = await fetch(`${stack.appUrl}/api/auth/signup`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
    if (signup.status !== 201) throw new Error(`sign-up answered ${signup.status}: ${await signup.text()}`);
    const cookies = new Map<string, string>();
    const keep = (response: Response) => {
      for (const header of response.headers.getSetCookie()) {
        const [pair] = header.split(";");
        const at = pair!.indexOf("=");
        cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
      }
    };
    const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const csrf = await fetch(`${stack.appUrl}/api/auth/csrf`);
    keep(csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const signin = await fetch(`${stack.appUrl}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader() },
      body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
    });
    keep(signin);
    const cookie = cookieHeader();
    if (![...cookies.keys()].some((name) => name.endsWith("next-auth.session-token"))) throw new Error(`sign-in gave no session cookie (${signin.status})`);

    const user = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
    const seller = await db.sellerConnection.create({
      data: { userId: user.id, sellingPartnerId: `BENCH${randomBytes(5).toString("hex").toUpperCase()}`, region: "NA", marketplaceIds: ["ATVPDKIKX0DER"], status: "connected" },
    });
    const run = await db.syncRun.create({
      data: { sellerConnectionId: seller.id, kind: "historical", trigger: "fallback", status: "running", activeFor: seller.id, message: "Starting your 18-month history sync" },
    });
    await db.$transaction((tx) => writeProgressEvent(tx, run.id, { phase: "started" }));
    const probe = await fetch(`${stack.appUrl}/api/sync/status/${run.id}`, { headers: { cookie } });
    if (probe.status !== 200) throw new Error(`the signed-in session cannot see its sync (${probe.status})`);

    const count = Number(values.clients);
    const events = Number(values.events);
    console.log(`bench:sse: ${count} clients on one sync, ${events} events ${values["interval-ms"]} ms apart (after ${values.warmup} warm-up), ${kind}`);

    const nextPid = stack.pid("next");
    if (!nextPid) throw new Error("the app is not running");
    const app = await runPhase(
      "app (next start)",
      `${stack.appUrl}/api/sse/sync-progress/${run.id}`,
      cookie,
      async (seq) => {
        const t = now();
        await db.$transaction(async (tx) => {
          await tx.syncRun.update({ where: { id: run.id }, data: { progress: seq % 90, message: `bench event ${seq}` } });
          await writeProgressEvent(tx, run.id, { bench: seq });
        }, { maxWait: 10_000, timeout: 10_000 });
        if (process.env.BENCH_SSE_VERBOSE) console.log(`published ${seq} in ${(now() - t).toFixed(1)} ms`);
      },
      () => groupRssMb(nextPid),
    );

    bare = startChild("bare", []);
    const { port } = await nextMessage<{ port: number }>(bare, "listening", 60_000);
    const barePid = bare.pid!;
    let bareId = 1_000_000;
    const baseline = await runPhase(
      "bare node:http",
      `http://127.0.0.1:${port}/`,
      undefined,
      async (seq) => {
        const frame = `id: ${bareId++}\ndata: ${JSON.stringify({ type: "sync_progress", syncId: run.id, progress: seq % 90, status: "running", message: `bench event ${seq}` })}\n\n`;
        bare!.send({ type: "publish", frame });
      },
      () => processRssMb(barePid),
    );

    const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "n/a");
    console.log("");
    console.log(`progress hub mode in the app: ${hubMode}`);
    console.log("server               p50 ms   p95 ms   max ms   missed  connect s  RSS idle MB  RSS peak MB");
    for (const phase of [app, baseline]) {
      console.log(
        `${phase.name.padEnd(20)} ${fmt(percentile(phase.latencies, 50)).padStart(6)}   ${fmt(percentile(phase.latencies, 95)).padStart(6)}   ${fmt(phase.latencies.at(-1) ?? NaN).padStart(6)}   ${String(phase.missed).padStart(6)}  ${(phase.connectMs / 1000).toFixed(1).padStart(9)}  ${phase.rssIdleMb.toFixed(0).padStart(11)}  ${phase.rssPeakMb.toFixed(0).padStart(11)}${phase.errors ? `  (${phase.errors} client errors)` : ""}`,
      );
    }
    const appP95 = percentile(app.latencies, 95);
    const bareP95 = percentile(baseline.latencies, 95);
    const ratio = appP95 / bareP95;
    console.log("");
    console.log(`p95 ratio app / bare: ${ratio.toFixed(2)}x (goal <= 2x)   app p95: ${fmt(appP95)} ms (goal < 250 ms)   missed deliveries: ${app.missed} (goal 0)`);
    console.log(`goal ${ratio <= 2 && appP95 < 250 && app.missed === 0 ? "met" : "NOT met"}`);
  } finally {
    bare?.send({ type: "close" });
    await stack.stop();
    await database?.close();
  }
}

if (values.role === "clients") await clientsRole();
else if (values.role === "bare") await bareRole();
else {
  await main();
  process.exit(0);
}
