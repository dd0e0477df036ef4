// The ledger writer builds its SQL from lib/sync/ledger-tables.ts: every table declared there must be
// the migrated table, column for column (name, type, nullability), with the declared unique key, so a
// schema change the declaration misses (or the reverse) fails here.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { LEDGER_TABLES, type LedgerColumnKind } from "@/lib/sync/ledger-tables";

const SQL_TYPE: Record<LedgerColumnKind, string> = {
  text: "text",
  int: "integer",
  money: "bigint",
  decimal: "numeric",
  bool: "boolean",
  date: "date",
  dateTime: "timestamp with time zone",
};

interface DbColumn {
  table: string;
  column: string;
  type: string;
  nullable: boolean;
}

describe("ledger table declarations", () => {
  it("match the migrated tables column for column, bookkeeping columns included", async () => {
    const rows = await db.$queryRaw<DbColumn[]>`
      SELECT table_name::text AS "table", column_name::text AS "column", data_type::text AS "type", (is_nullable = 'YES') AS "nullable"
      FROM information_schema.columns
      WHERE table_schema = current_schema()
      ORDER BY table_name, ordinal_position`;
    for (const t of LEDGER_TABLES) {
      const actual = rows.filter((r) => r.table === t.table).map(({ column, type, nullable }) => ({ column, type, nullable }));
      expect(actual.length, `${t.table} exists`).toBeGreaterThan(0);
      const expected = [
        { column: "id", type: "bigint", nullable: false },
        { column: "sellerConnectionId", type: "text", nullable: false },
        ...(t.hasSnapshotDate ? [{ column: "snapshotDate", type: "date", nullable: false }] : []),
        ...(t.hasOccurrence ? [{ column: "occurrence", type: "integer", nullable: false }] : []),
        ...t.columns.map((c) => ({ column: c.name, type: SQL_TYPE[c.kind], nullable: !c.inKey })),
        { column: "raw", type: "jsonb", nullable: false },
        { column: "sourceReport", type: "text", nullable: false },
        { column: "sourceLine", type: "integer", nullable: false },
        { column: "syncedAt", type: "timestamp with time zone", nullable: false },
        { column: "isSandbox", type: "boolean", nullable: false },
      ];
      const byName = (a: { column: string }, b: { column: string }) => a.column.localeCompare(b.column);
      expect([...actual].sort(byName), t.table).toEqual([...expected].sort(byName));
    }
  });

  it("declare each table's unique key, every key column a declared or bookkeeping column", async () => {
    const keys = await db.$queryRaw<{ table: string; columns: string[] }[]>`
      SELECT t.relname::text AS "table", array_agg(a.attname::text ORDER BY k.ord) AS "columns"
      FROM pg_index i
      JOIN pg_class t ON t.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
      CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE i.indisunique AND NOT i.indisprimary
      GROUP BY i.indexrelid, t.relname`;
    for (const t of LEDGER_TABLES) {
      expect(keys.filter((k) => k.table === t.table).map((k) => k.columns), t.table).toEqual([["sellerConnectionId", ...t.keyColumns]]);
      const known = new Set([...t.columns.map((c) => c.name), ...(t.hasOccurrence ? ["occurrence"] : []), ...(t.hasSnapshotDate ? ["snapshotDate"] : [])]);
      for (const k of t.keyColumns) expect(known.has(k), `${t.table}.${k}`).toBe(true);
    }
  });

  it("cover every ledger table of the schema", async () => {
    const tables = await db.$queryRaw<{ table: string }[]>`
      SELECT DISTINCT table_name::text AS "table" FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_name = 'sourceReport'`;
    expect(tables.map((t) => t.table).sort()).toEqual(LEDGER_TABLES.map((t) => t.table).sort());
  });
});
