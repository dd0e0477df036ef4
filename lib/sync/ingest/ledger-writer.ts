// Stores the rows of one document (a report or an API window) in its typed ledger table, idempotently:
// an upsert by the table's natural key that leaves a row alone when its raw evidence is unchanged, so
// a re-run of the same document adds and changes nothing. Each write() is one transaction: on any
// failure nothing of that batch is stored. Two paths, same SQL at the end, same table contents:
//   copy   — COPY the batch into a TEMP staging table, then INSERT ... SELECT ... ON CONFLICT (a real
//            PostgreSQL server; the fast path);
//   insert — INSERT ... SELECT FROM json_to_recordset(<one JSON parameter>) ... ON CONFLICT (the
//            embedded database, whose wire front cannot carry COPY; or LEDGER_COPY=off).
// On tables whose key has `occurrence` (the ledger detail), the nth row of the document with the same
// key values gets occurrence n, counted in line order across every write() and skip() of the writer.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { MalformedRow } from "../../amazon/parse-report-rows";
import { db } from "../../db";
import { env } from "../../env";
import { ledgerTable, type LedgerTable } from "../ledger-tables";
import { copyText, recordsetJson, type StagedRow } from "./batch-encoding";
import { describeDatabaseError, LedgerIngestError, LedgerWriteError } from "./errors";
import { ledgerPool, type LedgerPool } from "./ledger-pool";
import { ledgerSql, type LedgerSql } from "./ledger-sql";
import { hashKey, OccurrenceCounter } from "./occurrence-counter";
import { cleanText, RowPreparer } from "./row-values";

/**
 * Rows per write() the callers should send, and the most one statement carries (a larger write() is
 * one transaction of several statements). Measured on PostgreSQL 15 and PGlite: 10-20k is fastest;
 * 5k pays more per-statement overhead, 50k slows the upsert (larger sorts and JSON documents).
 */
export const LEDGER_BATCH_ROWS = 10_000;

export interface LedgerRow {
  /** Line in the document (reports: the header is line 1); the order occurrences are counted in. */
  line: number;
  /** Values keyed by the table's column names (lib/sync/ledger-tables.ts), normalised as parse-report-rows gives them. */
  data: Record<string, unknown>;
  /** The evidence as received (cells by header, or the API object); stored as jsonb. */
  raw: unknown;
}

export type LedgerPath = "copy" | "insert";

export interface LedgerWriterOptions {
  table: string;
  sellerConnectionId: string;
  /** Where the rows came from: the reportId, or the API call. */
  sourceReport: string;
  syncedAt: Date;
  isSandbox: boolean;
  /** YYYY-MM-DD, required for snapshot tables (and refused for the others). */
  snapshotDate?: string;
  /** Forces a path (tests, benchmarks). Default: LEDGER_COPY (auto = COPY unless the server is the embedded PGlite). */
  path?: LedgerPath;
  /** Default: DATABASE_URL. */
  databaseUrl?: string;
}

export interface LedgerWriteResult {
  /** Rows that were not stored before. */
  inserted: number;
  /** Stored rows whose raw evidence differed and was replaced. */
  updated: number;
}

export interface LedgerWriter {
  /** Stores rows (upsert by the natural key); returns how many were new and how many changed. */
  write(rows: LedgerRow[]): Promise<LedgerWriteResult>;
  /** Feeds rows already stored by an earlier step (lines before the resume line) to the occurrence counter without writing them. */
  skip(rows: LedgerRow[]): void;
  close(): Promise<void>;
  readonly path: LedgerPath;
}

const SNAPSHOT_DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function openLedgerWriter(options: LedgerWriterOptions): Promise<LedgerWriter> {
  const table = ledgerTable(options.table);
  if (typeof options.sellerConnectionId !== "string" || options.sellerConnectionId === "") throw new LedgerIngestError("sellerConnectionId is required");
  if (typeof options.sourceReport !== "string") throw new LedgerIngestError("sourceReport must be a string");
  if (!(options.syncedAt instanceof Date) || !Number.isFinite(options.syncedAt.getTime())) throw new LedgerIngestError("syncedAt must be a valid Date");
  if (table.hasSnapshotDate) {
    const d = options.snapshotDate;
    if (!d || !SNAPSHOT_DATE.test(d) || new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) !== d) {
      throw new LedgerIngestError(`${table.table} is a snapshot table: snapshotDate (YYYY-MM-DD) is required`);
    }
  } else if (options.snapshotDate !== undefined) {
    throw new LedgerIngestError(`${table.table} is not a snapshot table: it takes no snapshotDate`);
  }
  const databaseUrl = options.databaseUrl ?? env().DATABASE_URL;
  if (!databaseUrl) throw new LedgerIngestError("DATABASE_URL is not set");
  const pool = ledgerPool(databaseUrl);
  const path = options.path ?? (await choosePath(pool));
  return new TableWriter(table, options, pool.pool, path);
}

async function choosePath(pool: LedgerPool): Promise<LedgerPath> {
  const setting = env().LEDGER_COPY;
  if (setting === "on") return "copy";
  if (setting === "off") return "insert";
  return (await pool.embedded()) ? "insert" : "copy";
}

class TableWriter implements LedgerWriter {
  private readonly preparer: RowPreparer;
  private readonly sql: LedgerSql;
  private readonly params: unknown[];
  private counter: OccurrenceCounter | undefined;
  /** Occurrence tables: the last line counted (lines must grow, or the numbering would drift). */
  private lastLine = 0;
  private busy = false;
  private closed = false;

  constructor(
    private readonly table: LedgerTable,
    options: LedgerWriterOptions,
    private readonly pool: pg.Pool,
    readonly path: LedgerPath,
  ) {
    this.preparer = new RowPreparer(table);
    this.sql = ledgerSql(table);
    this.params = [cleanText(options.sellerConnectionId), cleanText(options.sourceReport), options.syncedAt.toISOString(), options.isSandbox === true];
    if (table.hasSnapshotDate) this.params.push(options.snapshotDate);
    this.counter = table.hasOccurrence ? new OccurrenceCounter() : undefined;
  }

  async write(rows: LedgerRow[]): Promise<LedgerWriteResult> {
    this.enter("write");
    try {
      if (rows.length === 0) return { inserted: 0, updated: 0 };
      const prepared: StagedRow[] = rows.map((row) => this.preparer.prepare(row));
      const counter = this.counter;
      if (!counter) return await this.store(dedupeLastWins(prepared, this.preparer));
      // Occurrences are counted now and taken back if the batch fails, so a retried batch numbers the same.
      prepared.sort((a, b) => a.line - b.line);
      this.checkLines(prepared);
      const his = new Uint32Array(prepared.length);
      const los = new Uint32Array(prepared.length);
      for (let i = 0; i < prepared.length; i++) {
        const row = prepared[i]!;
        const { hi, lo } = hashKey(this.preparer.keyOf(row.values));
        his[i] = hi;
        los[i] = lo;
        row.occurrence = counter.next(hi, lo);
      }
      const lastLineBefore = this.lastLine;
      this.lastLine = prepared[prepared.length - 1]!.line;
      try {
        return await this.store(prepared);
      } catch (error) {
        for (let i = 0; i < prepared.length; i++) counter.undo(his[i]!, los[i]!);
        this.lastLine = lastLineBefore;
        throw error;
      }
    } finally {
      this.busy = false;
    }
  }

  skip(rows: LedgerRow[]): void {
    this.enter("skip");
    try {
      const counter = this.counter;
      if (!counter || rows.length === 0) return;
      const sorted = [...rows].sort((a, b) => a.line - b.line);
      this.checkLines(sorted);
      // Every key first, so a bad row counts none of them.
      const hashes = sorted.map((row) => hashKey(this.preparer.keyOfRow(row)));
      for (const { hi, lo } of hashes) counter.next(hi, lo);
      this.lastLine = sorted[sorted.length - 1]!.line;
    } finally {
      this.busy = false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.counter = undefined;
  }

  private enter(what: string): void {
    if (this.closed) throw new LedgerIngestError(`${what}() on a closed ledger writer`);
    if (this.busy) throw new LedgerIngestError(`${what}() while a write() of the same writer is in progress: await each write`);
    this.busy = true;
  }

  /** Rows sorted by line: each line after the last one counted, none twice. */
  private checkLines(rows: readonly { line: number }[]): void {
    for (const { line } of rows) {
      if (!Number.isInteger(line) || line < 1) throw new LedgerIngestError(`${this.table.table}: line ${String(line)} is not a positive integer`);
    }
    const first = rows[0]!.line;
    if (first <= this.lastLine) {
      throw new LedgerIngestError(`${this.table.table}: line ${first} comes after line ${this.lastLine}; occurrences are counted in line order, each line once`);
    }
    for (let i = 1; i < rows.length; i++) {
      if (rows[i]!.line === rows[i - 1]!.line) throw new LedgerIngestError(`${this.table.table}: line ${rows[i]!.line} appears twice`);
    }
  }

  /** One transaction: every chunk of the batch, or nothing. */
  private async store(rows: StagedRow[]): Promise<LedgerWriteResult> {
    const firstLine = rows.reduce((m, r) => Math.min(m, r.line), Infinity);
    const lastLine = rows.reduce((m, r) => Math.max(m, r.line), 0);
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.failure(error, firstLine, lastLine);
    }
    let discard = false;
    try {
      await client.query("BEGIN");
      const total = { inserted: 0, updated: 0 };
      for (let start = 0; start < rows.length; start += LEDGER_BATCH_ROWS) {
        const chunk = rows.slice(start, start + LEDGER_BATCH_ROWS);
        const counts = this.path === "copy" ? await this.viaCopy(client, chunk, start > 0) : await this.viaInsert(client, chunk);
        total.inserted += counts.inserted;
        total.updated += counts.updated;
      }
      await client.query("COMMIT");
      return total;
    } catch (error) {
      try {
        await client.query("ROLLBACK");
      } catch {
        discard = true; // the connection is gone or unusable: do not hand it out again
      }
      throw this.failure(error, firstLine, lastLine);
    } finally {
      client.release(discard);
    }
  }

  private async viaCopy(client: pg.PoolClient, rows: StagedRow[], clearFirst: boolean): Promise<LedgerWriteResult> {
    await client.query(this.sql.createStage);
    if (clearFirst) await client.query(this.sql.clearStage);
    await pipeline(Readable.from(copyText(rows, this.table.hasOccurrence)), client.query(copyFrom(this.sql.copyStage)));
    const result = await client.query<LedgerWriteResult>(this.sql.upsertFromStage, this.params);
    return result.rows[0]!;
  }

  private async viaInsert(client: pg.PoolClient, rows: StagedRow[]): Promise<LedgerWriteResult> {
    const result = await client.query<LedgerWriteResult>(this.sql.upsertFromJson, [...this.params, recordsetJson(rows, this.table.hasOccurrence)]);
    return result.rows[0]!;
  }

  private failure(error: unknown, firstLine: number, lastLine: number): LedgerWriteError {
    const { code, constraint, column, what } = describeDatabaseError(error);
    return new LedgerWriteError(this.table.table, this.path, firstLine, lastLine, code, constraint, stagedColumnName(this.table, column), what);
  }
}

/** c3 (a staging column) → the table's column name; other names pass through. */
function stagedColumnName(table: LedgerTable, column: string | undefined): string | undefined {
  const m = column ? /^c(\d+)$/.exec(column) : null;
  if (m) return table.columns[Number(m[1])]?.name ?? column;
  return column === "r" ? "raw" : column === "l" ? "sourceLine" : column === "o" ? "occurrence" : column;
}

/** One row per key (the last one of the batch wins), so one INSERT never meets the same key twice. */
function dedupeLastWins(rows: StagedRow[], preparer: RowPreparer): StagedRow[] {
  const last = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) last.set(preparer.keyOf(rows[i]!.values), i);
  if (last.size === rows.length) return rows;
  const keep = new Set(last.values());
  return rows.filter((_, i) => keep.has(i));
}

/**
 * Keeps a document's malformed rows (SyncRejectedRow), once per task and line however often it runs;
 * returns how many were new.
 */
export async function keepRejectedRows(syncTaskId: string, rows: MalformedRow[]): Promise<number> {
  let kept = 0;
  for (let start = 0; start < rows.length; start += 5_000) {
    const data = rows.slice(start, start + 5_000).map((r) => ({
      syncTaskId,
      line: r.line,
      reason: cleanText(String(r.reason)).slice(0, 2_000),
      text: cleanText(String(r.text)),
    }));
    const result = await db.syncRejectedRow.createMany({ data, skipDuplicates: true });
    kept += result.count;
  }
  return kept;
}
