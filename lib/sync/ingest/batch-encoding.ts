// A batch of prepared rows in the two forms the write paths send: COPY's text format (tab-separated,
// backslash escapes, \N for NULL) and the JSON array the insert path reads with json_to_recordset.
// Both carry, per row: the typed columns c0..cN, the raw JSON, the source line and (where the table
// counts them) the occurrence, as the staging columns in ledger-sql.ts declare them.
import type { CellValue, PreparedRow } from "./row-values";

export interface StagedRow extends PreparedRow {
  /** Set on tables whose key counts identical rows. */
  occurrence?: number;
}

const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_SPECIAL_ALL = /[\\\n\r\t]/g;
const COPY_ESCAPE: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** One field of COPY text format. */
export function copyField(value: CellValue): string {
  if (value === null) return "\\N";
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "number") return String(value);
  return COPY_SPECIAL.test(value) ? value.replace(COPY_SPECIAL_ALL, (c) => COPY_ESCAPE[c]!) : value;
}

/** The rows as COPY text, in chunks of about `chunkChars` characters (one or more whole lines each). */
export function* copyText(rows: Iterable<StagedRow>, withOccurrence: boolean, chunkChars = 256 * 1024): Generator<string> {
  let chunk = "";
  for (const row of rows) {
    let line = "";
    for (const v of row.values) line += copyField(v) + "\t";
    line += copyField(row.raw) + "\t" + row.line;
    if (withOccurrence) line += "\t" + row.occurrence!;
    chunk += line + "\n";
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

/**
 * The rows as a JSON array of objects keyed c0..cN, r (raw, as JSON, not as a string), l (line) and o
 * (occurrence). One JSON.stringify of plain objects: far faster than assembling the text piece by piece.
 */
export function recordsetJson(rows: readonly StagedRow[], withOccurrence: boolean): string {
  const width = rows[0]?.values.length ?? 0;
  const keys = Array.from({ length: width }, (_, i) => `c${i}`);
  const records: Record<string, unknown>[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const record: Record<string, unknown> = {};
    for (let i = 0; i < width; i++) record[keys[i]!] = row.values[i];
    record.r = row.rawValue;
    record.l = row.line;
    if (withOccurrence) record.o = row.occurrence;
    records[r] = record;
  }
  return JSON.stringify(records);
}
