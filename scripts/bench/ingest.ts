// Benchmark: a synthetic GET_LEDGER_DETAIL_VIEW_DATA report (default 1M rows) through the product's
// parse-and-store path (parseReportRows over a text stream → openLedgerWriter().writeAll →
// LedgerDetail), side by side with a plain COPY of the same rows, already parsed and encoded, into a
// table of the same shape (LIKE "LedgerDetail" INCLUDING ALL: same columns, unique key and indexes) on
// the same server. Then the writer's insert path on an embedded PGlite started here (plain COPY cannot
// run there: its wire front carries no COPY FROM STDIN). Prints rows/s, the ratio and peak RSS.
//
//   npm run bench:ingest -- [--rows N] [--database-url postgresql://...] [--heap-mb M]
//
// --database-url (default DATABASE_URL): a real server; the bench creates a throwaway database there
// and drops it afterwards. Without one only the embedded run happens. --heap-mb runs the writer's
// process with --max-old-space-size=M: V8 lets garbage pile up far above the live heap (~35 MB here)
// when it may, so the peak RSS says more about V8's policy than about the writer without a cap.
//
// Each measured phase runs in a fresh child process, whose peak RSS (VmHWM) is the figure printed; so
// do migrations and the embedded database (as in `npm run dev`, where PGlite lives in the launcher and
// the app in another process). The synthetic rows are all distinct: the occurrence table holds one
// entry per row, its largest.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { parseReportRows } from "../../lib/amazon/parse-report-rows";
import { env } from "../../lib/env";
import { copyField } from "../../lib/sync/ingest/batch-encoding";
import { closeLedgerPools } from "../../lib/sync/ingest/ledger-pool";
import { LEDGER_BATCH_ROWS, openLedgerWriter } from "../../lib/sync/ingest/ledger-writer";
import { hashKey, OccurrenceCounter } from "../../lib/sync/ingest/occurrence-counter";
import { RowPreparer } from "../../lib/sync/ingest/row-values";
import { ledgerTable } from "../../lib/sync/ledger-tables";
import { redactUrl } from "../db/redact-url";
import { ledgerReportLines } from "./amazon-reports";

const REPORT = "GET_LEDGER_DETAIL_VIEW_DATA";
const TABLE = ledgerTable("LedgerDetail");
const SELF = fileURLToPath(import.meta.url);

function parseArgs(argv: string[]): { rows: number; databaseUrl: string | undefined; heapMb: number | undefined } {
  let rows = 1_000_000;
  let databaseUrl = env().DATABASE_URL;
  let heapMb: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--rows") rows = Number(value().replace(/[_,]/g, ""));
    else if (arg === "--database-url") databaseUrl = value();
    else if (arg === "--heap-mb") heapMb = Number(value());
    else throw new Error(`unknown argument ${arg} (use --rows N, --database-url URL, --heap-mb M)`);
  }
  if (!Number.isInteger(rows) || rows < 1) throw new Error("--rows must be a positive integer");
  if (heapMb !== undefined && (!Number.isInteger(heapMb) || heapMb < 32)) throw new Error("--heap-mb must be an integer >= 32");
  return { rows, databaseUrl, heapMb };
}

// ---- parent: orchestration ----------------------------------------------------------------------

interface Figures {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** Peak RSS of the process that did it (VmHWM). */
  peakRssMb: number;
  path?: string;
}

/** Runs this script in a helper mode in a child process (tsx's loader flags passed on). */
function child(args: string[], nodeFlags: string[] = []) {
  return spawn(process.execPath, [...nodeFlags, ...process.execArgv, SELF, ...args], { stdio: ["pipe", "pipe", "inherit"] });
}

/** Node flags of the writer's process (--heap-mb). */
let writerFlags: string[] = [];

/** A child whose last stdout line is its JSON answer. */
async function inChild<T>(args: string[], nodeFlags: string[] = []): Promise<T> {
  const proc = child(args, nodeFlags);
  proc.stdin.end();
  let out = "";
  proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => proc.on("exit", resolve));
  if (code !== 0) throw new Error(`${args[0]} exited with ${code}`);
  return JSON.parse(out.trim().split("\n").at(-1) ?? "null") as T;
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function createSeller(url: string): Promise<string> {
  const id = `bench-${randomBytes(6).toString("hex")}`;
  await withClient(url, async (c) => {
    await c.query(`INSERT INTO "User" (id, email, "passwordHash", "updatedAt") VALUES ($1, $2, 'x', now())`, [id, `${id}@bench.test`]);
    await c.query(`INSERT INTO "SellerConnection" (id, "userId", "sellingPartnerId", region, "marketplaceIds", "updatedAt") VALUES ($1, $1, 'ABENCH', 'NA', '{ATVPDKIKX0DER}', now())`, [id]);
  });
  return id;
}

async function checkpoint(url: string): Promise<void> {
  // So one phase does not pay for the other's dirty pages (needs superuser; skipped otherwise).
  await withClient(url, (c) => c.query("CHECKPOINT")).catch(() => undefined);
}

const COPY_COLUMNS = ["sellerConnectionId", "occurrence", ...TABLE.columns.map((c) => c.name), "raw", "sourceReport", "sourceLine", "syncedAt", "isSandbox"];

/** The same rows parsed and encoded ahead of time (not timed): COPY text of every column. */
async function encodeForCopy(file: string, seller: string, out: string): Promise<void> {
  const preparer = new RowPreparer(TABLE);
  const counter = new OccurrenceCounter();
  const syncedAt = new Date().toISOString();
  const stream = parseReportRows(createReadStream(file, { encoding: "utf8", highWaterMark: 256 * 1024 }) as AsyncIterable<string>, REPORT, { batchSize: LEDGER_BATCH_ROWS });
  async function* lines(): AsyncGenerator<string> {
    for await (const batch of stream) {
      let chunk = "";
      for (const row of batch.rows) {
        const p = preparer.prepare(row);
        const { hi, lo } = hashKey(preparer.keyOf(p.values));
        chunk += [seller, counter.next(hi, lo), ...p.values, p.raw, "bench-copy", p.line, syncedAt, true].map(copyField).join("\t") + "\n";
      }
      yield chunk;
    }
  }
  await pipeline(Readable.from(lines()), createWriteStream(out));
}

async function serverRun(serverUrl: string, file: string, dir: string, rows: number) {
  const name = `fba_bench_${randomBytes(5).toString("hex")}`;
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const parsed = new URL(serverUrl);
  parsed.pathname = `/${name}`;
  const url = parsed.toString();
  try {
    await inChild(["--child-migrate", url]);
    const version = await withClient(url, async (c) => (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v);
    console.error(`[bench] ${redactUrl(serverUrl)} (PostgreSQL ${version}), throwaway database ${name}`);
    const copyFile = join(dir, "ledger.copy");
    await encodeForCopy(file, await createSeller(url), copyFile);
    await withClient(url, (c) => c.query(`CREATE TABLE "BenchCopyLedgerDetail" (LIKE "LedgerDetail" INCLUDING ALL)`));
    await checkpoint(url);
    console.error(`[bench] plain COPY of the ${rows.toLocaleString("en-US")} rows, parsed and encoded beforehand (${Math.round(statSync(copyFile).size / 1024 / 1024)} MB) ...`);
    const plainCopy = await inChild<Figures>(["--child-copy", url, copyFile, String(rows)]);
    rmSync(copyFile);
    await withClient(url, (c) => c.query(`DROP TABLE "BenchCopyLedgerDetail"`));
    await checkpoint(url);
    console.error(`[bench] parse + ledger writer ...`);
    const writer = await inChild<Figures>(["--child-writer", url, file, String(rows), await createSeller(url)], writerFlags);
    return { server: `PostgreSQL ${version}`, writer, plainCopy, ratio: +(writer.rowsPerSecond / plainCopy.rowsPerSecond).toFixed(2) };
  } finally {
    await withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
}

async function embeddedRun(file: string, dir: string, rows: number) {
  // On disk, not memory://: an in-memory PGlite would hold the whole table in memory.
  const proc = child(["--child-embedded", join(dir, "pgdata")]);
  const lines = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
  try {
    const ready = (await lines.next()).value as string | undefined;
    if (!ready?.startsWith("READY ")) throw new Error("the embedded database did not start");
    const url = ready.slice("READY ".length);
    console.error(`[bench] embedded PGlite (child process ${proc.pid}): parse + ledger writer ...`);
    const writer = await inChild<Figures>(["--child-writer", url, file, String(rows), await createSeller(url)], writerFlags);
    proc.stdin.end(); // asks the database child to stop; it answers with its own peak RSS
    const hwm = (await lines.next()).value as string | undefined;
    const databasePeakRssMb = hwm?.startsWith("HWM ") ? Math.round(Number(hwm.slice(4)) / 1024) : undefined;
    return { server: "PGlite (embedded, in its own process)", writer, databaseProcessPeakRssMb: databasePeakRssMb, plainCopy: "not possible: the embedded wire front carries no COPY FROM STDIN" };
  } finally {
    proc.stdin.end();
    if (proc.exitCode === null) await new Promise((resolve) => proc.on("exit", resolve));
  }
}

// ---- children: the measured phases --------------------------------------------------------------

function peakRssMb(): number {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
  return Math.round((hwm ? Number(hwm) * 1024 : process.resourceUsage().maxRSS * 1024) / 1024 / 1024);
}

function figures(rows: number, ms: number, extra: Partial<Figures> = {}): Figures {
  return { rows, seconds: +(ms / 1000).toFixed(1), rowsPerSecond: Math.round(rows / (ms / 1000)), peakRssMb: peakRssMb(), ...extra };
}

/** The product's path: the report's text, streamed from the file, parsed and stored by the writer. */
async function writerPhase(url: string, file: string, expected: number, seller: string): Promise<Figures> {
  const t0 = performance.now();
  const writer = await openLedgerWriter({ table: TABLE.table, sellerConnectionId: seller, sourceReport: "bench-report", syncedAt: new Date(), isSandbox: true, databaseUrl: url });
  const text = createReadStream(file, { encoding: "utf8", highWaterMark: 256 * 1024 }) as AsyncIterable<string>;
  const { inserted } = await writer.writeAll(parseReportRows(text, REPORT, { batchSize: LEDGER_BATCH_ROWS }));
  await writer.close();
  const ms = performance.now() - t0;
  await closeLedgerPools();
  const stored = await withClient(url, async (c) => (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM "LedgerDetail" WHERE "sellerConnectionId" = $1`, [seller])).rows[0]!.n);
  if (inserted !== expected || stored !== expected) throw new Error(`writer stored ${stored} rows (inserted ${inserted}), expected ${expected}`);
  return figures(expected, ms, { path: writer.path });
}

/** Plain COPY of the encoded rows into the table of LedgerDetail's shape. */
async function copyPhase(url: string, copyFile: string, expected: number): Promise<Figures> {
  return withClient(url, async (c) => {
    const t0 = performance.now();
    await pipeline(
      createReadStream(copyFile, { highWaterMark: 256 * 1024 }),
      c.query(copyFrom(`COPY "BenchCopyLedgerDetail" (${COPY_COLUMNS.map((n) => `"${n}"`).join(", ")}) FROM STDIN`)),
    );
    const ms = performance.now() - t0;
    const stored = (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM "BenchCopyLedgerDetail"`)).rows[0]!.n;
    if (stored !== expected) throw new Error(`plain COPY stored ${stored} rows, expected ${expected}`);
    return figures(expected, ms);
  });
}

async function childMode(argv: string[]): Promise<boolean> {
  const [mode, ...args] = argv;
  const answer = (value: unknown) => process.stdout.write(JSON.stringify(value) + "\n");
  switch (mode) {
    case "--child-migrate": {
      // Imported here, not at the top: the wasm schema engine and PGlite would weigh on every child's RSS.
      const { applyMigrations } = await import("../db/schema-engine");
      await applyMigrations(args[0]!);
      answer(null);
      return true;
    }
    case "--child-writer":
      answer(await writerPhase(args[0]!, args[1]!, Number(args[2]), args[3]!));
      return true;
    case "--child-copy":
      answer(await copyPhase(args[0]!, args[1]!, Number(args[2])));
      return true;
    case "--child-embedded": {
      const { applyMigrations } = await import("../db/schema-engine");
      const { startEmbeddedPostgres } = await import("../db/embedded-postgres");
      const embedded = await startEmbeddedPostgres({ dataDir: args[0]!, maxConnections: 10 });
      await applyMigrations(embedded.url);
      process.stdout.write(`READY ${embedded.url}\n`);
      process.stdin.resume();
      await new Promise((resolve) => process.stdin.on("end", resolve));
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
      await embedded.stop();
      process.stdout.write(`HWM ${hwm ?? ""}\n`);
      return true;
    }
    default:
      return false;
  }
}

async function main(): Promise<void> {
  if (await childMode(process.argv.slice(2))) return;
  const { rows, databaseUrl, heapMb } = parseArgs(process.argv.slice(2));
  if (heapMb) writerFlags = [`--max-old-space-size=${heapMb}`];
  const dir = mkdtempSync(join(tmpdir(), "ingest-bench-"));
  try {
    const file = join(dir, "ledger.tsv");
    await pipeline(Readable.from(ledgerReportLines(rows)), createWriteStream(file));
    console.error(`[bench] ${rows.toLocaleString("en-US")}-row ${REPORT} report: ${Math.round(statSync(file).size / 1024 / 1024)} MB of TSV; batches of ${LEDGER_BATCH_ROWS.toLocaleString("en-US")} rows`);
    const result: Record<string, unknown> = { rows, batchRows: LEDGER_BATCH_ROWS, writerNodeFlags: writerFlags.join(" ") || "(none)" };
    result.realServer = databaseUrl ? await serverRun(databaseUrl, file, dir, rows) : "skipped: no --database-url and no DATABASE_URL";
    result.embedded = await embeddedRun(file, dir, rows);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
