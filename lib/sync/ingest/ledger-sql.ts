// The SQL of one ledger table's writes, built once per writer from the table's declaration. Both paths
// end in the same INSERT ... SELECT ... ON CONFLICT, reading the batch either from a TEMP staging
// table filled by COPY or from json_to_recordset over one JSON parameter; the staged columns are
// c0..cN (the typed columns in order), r (raw), l (source line) and o (occurrence, where counted).
import type { LedgerColumnKind, LedgerTable } from "../ledger-tables";

const SQL_TYPE: Record<LedgerColumnKind, string> = {
  text: "text",
  int: "int4",
  money: "int8",
  decimal: "numeric",
  bool: "boolean",
  date: "date",
  dateTime: "timestamptz",
};

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface LedgerSql {
  /** Creates this session's staging table if it is not there yet (rows vanish at commit). */
  createStage: string;
  /** Empties the staging table within the transaction (between the statements of one large batch). */
  clearStage: string;
  /** COPY into the staging table. */
  copyStage: string;
  /** Stores the staged batch: $1 seller, $2 sourceReport, $3 syncedAt, $4 isSandbox[, $5 snapshotDate]. Returns one row {inserted, updated}. */
  upsertFromStage: string;
  /** Same from json_to_recordset over the last parameter ($5, or $6 with a snapshot date). */
  upsertFromJson: string;
}

export function ledgerSql(table: LedgerTable): LedgerSql {
  const stage = q(`ledger_stage_${table.table}`);
  const staged = [
    ...table.columns.map((c, i) => `c${i} ${SQL_TYPE[c.kind]}`),
    "r jsonb",
    "l int4",
    ...(table.hasOccurrence ? ["o int4"] : []),
  ];
  const stagedNames = staged.map((s) => s.split(" ")[0]!);

  const target = [
    "sellerConnectionId",
    ...(table.hasSnapshotDate ? ["snapshotDate"] : []),
    ...(table.hasOccurrence ? ["occurrence"] : []),
    ...table.columns.map((c) => c.name),
    "raw",
    "sourceReport",
    "sourceLine",
    "syncedAt",
    "isSandbox",
  ];
  const source = [
    "$1::text",
    ...(table.hasSnapshotDate ? ["$5::date"] : []),
    ...(table.hasOccurrence ? ["s.o"] : []),
    ...table.columns.map((_, i) => `s.c${i}`),
    "s.r",
    "$2::text",
    "s.l",
    "$3::timestamptz",
    "$4::boolean",
  ];
  // A row that is already stored as it is (same raw evidence) is left alone: no new syncedAt either.
  const updated = [...table.columns.filter((c) => !c.inKey).map((c) => c.name), "raw", "sourceReport", "sourceLine", "syncedAt", "isSandbox"];
  const upsert = (from: string) =>
    `WITH w AS (
  INSERT INTO ${q(table.table)} AS t (${target.map(q).join(", ")})
  SELECT ${source.join(", ")} FROM ${from}
  ON CONFLICT (${["sellerConnectionId", ...table.keyColumns].map(q).join(", ")}) DO UPDATE SET
    ${updated.map((c) => `${q(c)} = EXCLUDED.${q(c)}`).join(", ")}
  WHERE t."raw" IS DISTINCT FROM EXCLUDED."raw"
  RETURNING (t.xmax = 0) AS fresh
)
SELECT (count(*) FILTER (WHERE fresh))::int AS inserted, (count(*) FILTER (WHERE NOT fresh))::int AS updated FROM w`;

  const jsonParam = table.hasSnapshotDate ? "$6" : "$5";
  return {
    createStage: `CREATE TEMP TABLE IF NOT EXISTS ${stage} (${staged.join(", ")}) ON COMMIT DELETE ROWS`,
    clearStage: `TRUNCATE ${stage}`,
    copyStage: `COPY ${stage} (${stagedNames.join(", ")}) FROM STDIN`,
    upsertFromStage: upsert(`${stage} AS s`),
    upsertFromJson: upsert(`json_to_recordset(${jsonParam}::json) AS s(${staged.join(", ")})`),
  };
}
