// Each ledger table's unique key in the migrated database is the sync plan's natural key, so a re-run
// of any source upserts instead of duplicating.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { SYNC_PLAN } from "@/lib/sync/plan";

describe("ledger natural keys", () => {
  it("holds every table's unique constraint to the plan's natural key, seller first", async () => {
    const rows = await db.$queryRaw<{ table: string; columns: string[] }[]>`
      SELECT t.relname::text AS "table", array_agg(a.attname::text ORDER BY k.ord) AS "columns"
      FROM pg_index i
      JOIN pg_class t ON t.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
      CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE i.indisunique AND NOT i.indisprimary
      GROUP BY i.indexrelid, t.relname`;
    for (const entry of SYNC_PLAN) {
      const keys = rows.filter((r) => r.table === entry.table).map((r) => r.columns);
      expect(keys, entry.table).toEqual([["sellerConnectionId", ...entry.naturalKey]]);
    }
  });
});
