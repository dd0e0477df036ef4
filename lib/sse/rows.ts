// Reading the progress stream: the ProgressEvent rows after a cursor, per sync run or per seller
// connection, in one query for everything a process is watching. The rows are the truth the SSE
// streams send (NOTIFY only says "look again"), so any app instance serves any sync.
import { db } from "../db";
import type { ProgressRow } from "./format";

/** A stream's position: its sync run (or seller connection) and the last event id it has. */
export interface Cursor {
  key: string;
  after: bigint;
}

export interface WatchedCursors {
  runs?: Cursor[];
  sellers?: Cursor[];
}

/** A row with the topic it was read for ("run" or "seller", and that id). */
export interface TopicRow extends ProgressRow {
  topic: "run" | "seller";
  key: string;
}

/** At most this many rows per read; the caller reads again from where the last one ended. */
export const READ_LIMIT = 2000;

/**
 * The rows after each cursor, oldest first. A run's rows are written while its SyncRun row is locked
 * (lib/sync/run-store.ts), so they commit in id order: a cursor per run or seller never skips one.
 */
export async function progressRowsAfter(watched: WatchedCursors, limit = READ_LIMIT): Promise<TopicRow[]> {
  const runs = watched.runs ?? [];
  const sellers = watched.sellers ?? [];
  if (runs.length === 0 && sellers.length === 0) return [];
  const rows = await db.$queryRaw<
    { topic: "run" | "seller"; key: string; id: bigint; syncRunId: string; sellerConnectionId: string; status: string; progress: number; message: string; claimsDetected: number; at: Date }[]
  >`
    SELECT 'run' AS "topic", t.key, pe."id", pe."syncRunId", sr."sellerConnectionId", pe."status", pe."progress", pe."message", sr."claimsDetected", pe."at"
    FROM unnest(${runs.map((c) => c.key)}::text[], ${runs.map((c) => c.after.toString())}::text[]) AS t(key, after)
    JOIN "ProgressEvent" pe ON pe."syncRunId" = t.key AND pe."id" > t.after::bigint
    JOIN "SyncRun" sr ON sr."id" = pe."syncRunId"
    UNION ALL
    SELECT 'seller' AS "topic", t.key, pe."id", pe."syncRunId", sr."sellerConnectionId", pe."status", pe."progress", pe."message", sr."claimsDetected", pe."at"
    FROM unnest(${sellers.map((c) => c.key)}::text[], ${sellers.map((c) => c.after.toString())}::text[]) AS t(key, after)
    JOIN "SyncRun" sr ON sr."sellerConnectionId" = t.key
    JOIN "ProgressEvent" pe ON pe."syncRunId" = sr."id" AND pe."id" > t.after::bigint
    ORDER BY "id"
    LIMIT ${limit}`;
  return rows.map((row) => ({ ...row, id: BigInt(row.id), progress: Number(row.progress), claimsDetected: Number(row.claimsDetected) }));
}

/** Every row of one run after `after`, oldest first (a replay; a run has at most a few thousand). */
export async function runRowsAfter(syncRunId: string, after: bigint): Promise<ProgressRow[]> {
  const all: ProgressRow[] = [];
  let cursor = after;
  for (;;) {
    const rows = await progressRowsAfter({ runs: [{ key: syncRunId, after: cursor }] });
    all.push(...rows);
    if (rows.length < READ_LIMIT) return all;
    cursor = rows[rows.length - 1]!.id;
  }
}

/** The newest event id of the whole stream (0 when there is none): where a fresh status stream starts. */
export async function latestEventId(): Promise<bigint> {
  const rows = await db.$queryRaw<{ id: bigint | null }[]>`SELECT max("id") AS "id" FROM "ProgressEvent"`;
  return rows[0]?.id == null ? 0n : BigInt(rows[0].id);
}

/** The latest event of each running sync of these sellers: what a dashboard opened mid-sync shows at once. */
export async function runningSnapshot(sellerConnectionIds: string[]): Promise<ProgressRow[]> {
  if (sellerConnectionIds.length === 0) return [];
  const rows = await db.$queryRaw<
    { id: bigint; syncRunId: string; sellerConnectionId: string; status: string; progress: number; message: string; claimsDetected: number; at: Date }[]
  >`
    SELECT last."id", sr."id" AS "syncRunId", sr."sellerConnectionId", last."status", last."progress", last."message", sr."claimsDetected", last."at"
    FROM "SyncRun" sr
    CROSS JOIN LATERAL (
      SELECT pe."id", pe."status", pe."progress", pe."message", pe."at" FROM "ProgressEvent" pe
      WHERE pe."syncRunId" = sr."id" ORDER BY pe."id" DESC LIMIT 1
    ) last
    WHERE sr."sellerConnectionId" = ANY(${sellerConnectionIds}::text[]) AND sr."status" = 'running'
    ORDER BY last."id"`;
  return rows.map((row) => ({ ...row, id: BigInt(row.id), progress: Number(row.progress), claimsDetected: Number(row.claimsDetected) }));
}
