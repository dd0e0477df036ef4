// Stores the rows of one document (a report or an API window) in its typed ledger table, idempotently:
// an upsert by the table's natural key that leaves a row alone when its raw evidence is unchanged, so
// a re-run of the same document adds and changes nothing. Each batch is one transaction: on any
// failure nothing of that batch is stored. Two paths, same SQL at the end, same table contents:
//   copy   — COPY the batch into a TEMP staging table, then INSERT ... SELECT ... ON CONFLICT (a real
//            PostgreSQL server; the fast path);
//   insert — INSERT ... SELECT FROM json_to_recordset(<one JSON parameter>) ... ON CONFLICT (the
//            embedded database, whose wire front cannot carry COPY; or LEDGER_COPY=off).
// On tables whose key has `occurrence` (the ledger detail), the nth row of the document with the same
// key values gets occurrence n, counted in line order across every write and skip of the writer.
//
// A batch goes in two stages: staged (rows checked, counted and encoded; on the COPY path also copied
// into the staging table, in an open transaction) and stored (the upsert, the commit). writeAll()
// overlaps them: batch n+1 is parsed, checked and staged while batch n is being stored, on a second
// connection, so JavaScript and PostgreSQL work at the same time; commits stay in batch order.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { env } from "../../env";
import { ledgerTable, type LedgerTable } from "../ledger-tables";
import { copyText, recordsetJson, type StagedRow } from "./batch-encoding";
import { describeDatabaseError, LedgerIngestError, LedgerRowError, LedgerWriteError } from "./errors";
import { ledgerPool, type LedgerPool } from "./ledger-pool";
import { ledgerSql, type LedgerSql } from "./ledger-sql";
import { hashKey, OccurrenceCounter } from "./occurrence-counter";
import { readAhead } from "./read-ahead";
import { cleanText, RowPreparer } from "./row-values";
import { Stager } from "./stager";

export { keepRejectedRows } from "./rejected-rows";

/**
 * Rows per batch the callers should send (parseReportRows' batchSize). Each batch is one transaction.
 * Measured (200k ledger rows, PostgreSQL 15, writeAll): 5k and 10k store equally fast (21.4k and 20.8k
 * rows/s), 5k holds half as many rows in memory; without the overlap of writeAll, 10-20k was fastest
 * and 50k slower (bigger sorts and JSON documents).
 */
export const LEDGER_BATCH_ROWS = 5_000;

/** Rows per INSERT on the insert path (one JSON parameter each, a few MB). */
const INSERT_STATEMENT_ROWS = 2_000;

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

export interface WriteAllOptions<B> {
  /** Rows with a lower line were stored by an earlier step: fed to the occurrence counter only. */
  resumeLine?: number;
  /** After each batch's commit (the batch as the source gave it, rows before resumeLine included). Return false to stop. */
  onStored?: (batch: B, result: LedgerWriteResult) => unknown;
}

export interface LedgerWriter {
  /** Stores rows (upsert by the natural key) in one transaction; returns how many were new and how many changed. */
  write(rows: LedgerRow[]): Promise<LedgerWriteResult>;
  /**
   * Stores a stream of batches, each as write() would, in order, staging the next batch while the
   * previous one is being stored (the fast way: JavaScript and PostgreSQL work at the same time).
   * Rows before `resumeLine` are skipped (counted for occurrences, not written). `onStored` runs after
   * each batch's commit, before the next commits (persist the resume line there); returning false
   * stops: the batch staged meanwhile is rolled back and the source closed. A failure rolls back the
   * failing batch and the one staged after it, then throws; every batch before them stays stored.
   * Returns the totals of the batches stored.
   */
  writeAll<B extends { rows: LedgerRow[] }>(batches: AsyncIterable<B>, options?: WriteAllOptions<B>): Promise<LedgerWriteResult>;
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

/** A batch once staged: its rows counted and encoded; on the COPY path, copied in an open transaction. */
interface Staged {
  stager: Stager;
  firstLine: number;
  lastLine: number;
  /** The writer's last counted line before this batch (restored if it is not stored). */
  lastLineBefore: number;
  /** COPY path: the connection holding the batch's transaction. */
  client?: pg.PoolClient;
  /** Insert path: the staged rows (sent as JSON, INSERT_STATEMENT_ROWS a statement). */
  rows?: StagedRow[];
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
      return await this.store(await this.stage(rows));
    } finally {
      this.busy = false;
    }
  }

  async writeAll<B extends { rows: LedgerRow[] }>(batches: AsyncIterable<B>, options: WriteAllOptions<B> = {}): Promise<LedgerWriteResult> {
    this.enter("writeAll");
    const { resumeLine = 0, onStored } = options;
    const total: LedgerWriteResult = { inserted: 0, updated: 0 };
    /** The previous batch being stored, then reported: resolves to whether to go on. */
    let storing: Promise<boolean> | undefined;
    let staged: Staged | undefined;
    try {
      for await (const batch of readAhead(batches)) {
        let rows = batch.rows;
        if (rows.some((r) => r.line < resumeLine)) {
          this.count(rows.filter((r) => r.line < resumeLine));
          rows = rows.filter((r) => r.line >= resumeLine);
        }
        staged = await this.stage(rows);
        if (storing) {
          const goOn = await storing;
          storing = undefined;
          if (!goOn) break;
        }
        const current = staged;
        staged = undefined;
        storing = this.store(current).then(async (result) => {
          total.inserted += result.inserted;
          total.updated += result.updated;
          return (await onStored?.(batch, result)) !== false;
        });
        // Its failure is awaited below; until then this keeps Node from calling it unhandled.
        storing.catch(() => undefined);
      }
      if (storing) await storing;
      storing = undefined;
      return total;
    } catch (error) {
      await storing?.catch(() => undefined);
      throw error;
    } finally {
      if (staged) await this.abandon(staged);
      this.busy = false;
    }
  }

  skip(rows: LedgerRow[]): void {
    this.enter("skip");
    try {
      this.count(rows);
    } finally {
      this.busy = false;
    }
  }

  /** Counts rows' occurrences without writing them. */
  private count(rows: LedgerRow[]): void {
    const counter = this.counter;
    if (!counter || rows.length === 0) return;
    const sorted = [...rows].sort((a, b) => a.line - b.line);
    this.checkLines(sorted);
    // Every key first, so a bad row counts none of them.
    const hashes = sorted.map((row) => hashKey(this.preparer.keyOfRow(row)));
    for (const { hi, lo } of hashes) counter.next(hi, lo);
    this.lastLine = sorted[sorted.length - 1]!.line;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.counter = undefined;
  }

  private enter(what: string): void {
    if (this.closed) throw new LedgerIngestError(`${what}() on a closed ledger writer`);
    if (this.busy) throw new LedgerIngestError(`${what}() while a write of the same writer is in progress: await each write`);
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

  /** Checks, counts and encodes a batch; on the COPY path copies it into the staging table (transaction left open). */
  private async stage(rows: LedgerRow[]): Promise<Staged> {
    const counter = this.counter;
    const ordered = counter ? [...rows].sort((a, b) => a.line - b.line) : rows;
    if (counter && ordered.length > 0) this.checkLines(ordered);
    let firstLine = Infinity;
    let lastLine = 0;
    for (const r of rows) {
      if (r.line < firstLine) firstLine = r.line;
      if (r.line > lastLine) lastLine = r.line;
    }
    const staged: Staged = { stager: new Stager(this.preparer, counter), firstLine, lastLine, lastLineBefore: this.lastLine };
    if (ordered.length === 0) return staged;
    if (counter) this.lastLine = lastLine;
    try {
      if (this.path === "insert") {
        staged.rows = [...staged.stager.stage(ordered)];
        return staged;
      }
      staged.client = await this.connect(staged);
      await staged.client.query("BEGIN");
      await staged.client.query(this.sql.createStage);
      await pipeline(Readable.from(copyText(staged.stager.stage(ordered), this.table.hasOccurrence)), staged.client.query(copyFrom(this.sql.copyStage)));
      return staged;
    } catch (error) {
      await this.abandon(staged);
      throw error instanceof LedgerIngestError ? error : this.failure(error, staged);
    }
  }

  /** Stores a staged batch and commits. */
  private async store(staged: Staged): Promise<LedgerWriteResult> {
    const total: LedgerWriteResult = { inserted: 0, updated: 0 };
    if (!staged.client && !staged.rows?.length) return total;
    try {
      if (staged.client) {
        const result = await staged.client.query<LedgerWriteResult>(this.sql.upsertFromStage, this.params);
        total.inserted += result.rows[0]!.inserted;
        total.updated += result.rows[0]!.updated;
      } else {
        staged.client = await this.connect(staged);
        await staged.client.query("BEGIN");
        const rows = staged.rows!;
        for (let start = 0; start < rows.length; start += INSERT_STATEMENT_ROWS) {
          // Built per statement, so one JSON document of a few MB exists at a time.
          const document = recordsetJson(rows.slice(start, start + INSERT_STATEMENT_ROWS), this.table.hasOccurrence);
          const result = await staged.client.query<LedgerWriteResult>(this.sql.upsertFromJson, [...this.params, document]);
          total.inserted += result.rows[0]!.inserted;
          total.updated += result.rows[0]!.updated;
        }
      }
      await staged.client.query("COMMIT");
      staged.client.release();
      staged.client = undefined;
      return total;
    } catch (error) {
      await this.abandon(staged);
      throw error instanceof LedgerIngestError ? error : this.failure(error, staged);
    }
  }

  /** A batch that will not be stored: its transaction rolled back, its occurrences taken back. */
  private async abandon(staged: Staged): Promise<void> {
    staged.stager.undo();
    // min: batches may be abandoned in any order (the one staged ahead, then the one that failed).
    this.lastLine = Math.min(this.lastLine, staged.lastLineBefore);
    const client = staged.client;
    staged.client = undefined;
    if (!client) return;
    let discard = false;
    try {
      await client.query("ROLLBACK");
    } catch {
      discard = true; // the connection is gone or unusable: do not hand it out again
    }
    client.release(discard);
  }

  private async connect(staged: Staged): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw this.failure(error, staged);
    }
  }

  private failure(error: unknown, staged: Staged): LedgerWriteError {
    const { code, constraint, column, what } = describeDatabaseError(error);
    return new LedgerWriteError(this.table.table, this.path, staged.firstLine, staged.lastLine, code, constraint, stagedColumnName(this.table, column), what);
  }
}

/** c3 (a staging column) → the table's column name; other names pass through. */
function stagedColumnName(table: LedgerTable, column: string | undefined): string | undefined {
  const m = column ? /^c(\d+)$/.exec(column) : null;
  if (m) return table.columns[Number(m[1])]?.name ?? column;
  return column === "r" ? "raw" : column === "l" ? "sourceLine" : column === "o" ? "occurrence" : column;
}
