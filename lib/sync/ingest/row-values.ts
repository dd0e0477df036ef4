// One ledger row's values checked and put in the one form both write paths send (COPY text and the
// JSON of the insert path are made from it), so both store the same thing. Strings lose what PostgreSQL
// cannot hold: NUL characters and unpaired UTF-16 surrogates become U+FFFD, in typed text and in raw.
import type { LedgerColumnKind, LedgerTable } from "../ledger-tables";
import { LedgerRowError } from "./errors";

/** A value as sent: money as a decimal string (int8), dates and date-times as ISO strings. */
export type CellValue = string | number | boolean | null;

export interface PreparedRow {
  line: number;
  /** In the order of the table's `columns`. */
  values: CellValue[];
  /** `raw` as JSON text. */
  raw: string;
  /** `raw` as the value that text encodes (the row's own, or its cleaned copy). */
  rawValue: unknown;
}

const INT4_MIN = -2147483648;
const INT4_MAX = 2147483647;
const INT8_MIN = -9223372036854775808n;
const INT8_MAX = 9223372036854775807n;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const INTEGER_TEXT = /^-?\d{1,19}$/;

const NEEDS_CLEANING = /[\u0000\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The string with NUL and unpaired surrogates replaced by U+FFFD (PostgreSQL text holds neither). */
export function cleanText(value: string): string {
  if (!NEEDS_CLEANING.test(value)) return value;
  return value.replace(/\u0000/g, "\ufffd").replace(LONE_SURROGATE, "\ufffd");
}

function cleanDeep(value: unknown): unknown {
  if (typeof value === "string") return cleanText(value);
  if (Array.isArray(value)) return value.map(cleanDeep);
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[cleanText(k)] = cleanDeep(v);
    return out;
  }
  return value;
}

// JSON.stringify writes NUL as \u0000 and an unpaired surrogate as \udXXX; jsonb refuses both. A
// literal backslash followed by such text also matches: cleaning it changes nothing.
const JSON_NEEDS_CLEANING = /\\u0000|\\ud[89a-f][0-9a-f]{2}/i;

/** The raw evidence as JSON text jsonb accepts, and the value it encodes; undefined when it is not JSON. */
export function rawJson(raw: unknown): { text: string; value: unknown } | undefined {
  try {
    const text = JSON.stringify(raw);
    if (text === undefined) return undefined;
    if (!JSON_NEEDS_CLEANING.test(text)) return { text, value: raw };
    const value = cleanDeep(raw);
    return { text: JSON.stringify(value), value };
  } catch {
    return undefined; // a BigInt or a cycle: not JSON
  }
}

type Encoder = (value: unknown) => CellValue | typeof INVALID;
const INVALID = Symbol("invalid");

const PROBLEM: Record<LedgerColumnKind, string> = {
  text: "is not text",
  int: "is not a 32-bit integer",
  money: "is not an integer amount of minor units (int8)",
  decimal: "is not a decimal number",
  bool: "is not a boolean",
  date: "is not a YYYY-MM-DD date",
  dateTime: "is not an ISO date-time with a time zone",
};

function validDate(y: string, m: string, d: string): boolean {
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(m) - 1, Number(d)); // not Date.UTC: it reads years 0-99 as 1900-1999
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
}

const ENCODERS: Record<LedgerColumnKind, Encoder> = {
  text: (v) => (typeof v === "string" ? cleanText(v) : INVALID),
  int: (v) => (typeof v === "number" && Number.isInteger(v) && v >= INT4_MIN && v <= INT4_MAX ? v : INVALID),
  money: (v) => {
    if (typeof v === "number") return Number.isSafeInteger(v) ? String(v) : INVALID;
    if (typeof v === "bigint") return v >= INT8_MIN && v <= INT8_MAX ? v.toString() : INVALID;
    if (typeof v === "string" && INTEGER_TEXT.test(v)) {
      const n = BigInt(v);
      return n >= INT8_MIN && n <= INT8_MAX ? n.toString() : INVALID;
    }
    return INVALID;
  },
  decimal: (v) => {
    if (typeof v === "string") return DECIMAL.test(v) ? v : INVALID;
    if (typeof v === "number" && Number.isFinite(v)) {
      const s = String(v);
      return DECIMAL.test(s) ? s : INVALID;
    }
    return INVALID;
  },
  bool: (v) => (typeof v === "boolean" ? v : INVALID),
  date: (v) => {
    if (v instanceof Date) return Number.isFinite(v.getTime()) ? v.toISOString().slice(0, 10) : INVALID;
    if (typeof v !== "string") return INVALID;
    const m = DATE.exec(v);
    return m && validDate(m[1]!, m[2]!, m[3]!) ? v : INVALID;
  },
  dateTime: (v) => {
    if (v instanceof Date) return Number.isFinite(v.getTime()) ? v.toISOString() : INVALID;
    if (typeof v !== "string" || !DATE_TIME.test(v) || !Number.isFinite(Date.parse(v))) return INVALID;
    const m = DATE.exec(v.slice(0, 10));
    return m && validDate(m[1]!, m[2]!, m[3]!) ? v : INVALID;
  },
};

export interface RowInput {
  line: number;
  data: Record<string, unknown>;
  raw: unknown;
}

/** Checks and encodes rows of one table; builds the key text occurrence counting and dedupe use. */
export class RowPreparer {
  private readonly names: string[];
  private readonly encoders: Encoder[];
  private readonly inKey: boolean[];
  private readonly known: Set<string>;
  /** Indexes (into values) of the key columns that rows carry (not snapshotDate, not occurrence). */
  private readonly keyIndexes: number[];

  constructor(private readonly table: LedgerTable) {
    this.names = table.columns.map((c) => c.name);
    this.encoders = table.columns.map((c) => ENCODERS[c.kind]);
    this.inKey = table.columns.map((c) => c.inKey);
    this.known = new Set(this.names);
    this.keyIndexes = table.keyColumns.filter((k) => k !== "occurrence" && k !== "snapshotDate").map((k) => this.names.indexOf(k));
    if (this.keyIndexes.some((i) => i < 0)) throw new RangeError(`${table.table}: a key column is not a declared column`);
  }

  prepare(row: RowInput): PreparedRow {
    const { line, data } = row;
    if (!Number.isInteger(line) || line < 1 || line > INT4_MAX) throw new LedgerRowError(this.table.table, Number(line), "line", "is not a positive line number");
    if (data === null || typeof data !== "object") throw new LedgerRowError(this.table.table, line, "data", "is not an object");
    for (const key of Object.keys(data)) {
      if (!this.known.has(key)) throw new LedgerRowError(this.table.table, line, key, "is not a column of the table");
    }
    const values: CellValue[] = new Array(this.names.length);
    for (let i = 0; i < this.names.length; i++) values[i] = this.encode(i, data[this.names[i]!], line);
    // JSON null is refused too: the insert path's json_to_recordset would read it as SQL NULL.
    const raw = row.raw === null ? undefined : rawJson(row.raw);
    if (raw === undefined) throw new LedgerRowError(this.table.table, line, "raw", "is missing or not JSON");
    return { line, values, raw: raw.text, rawValue: raw.value };
  }

  /** The key text of a row, checking and encoding its key columns only (rows skipped on resume). */
  keyOfRow(row: RowInput): string {
    const values: CellValue[] = new Array(this.names.length);
    for (const i of this.keyIndexes) values[i] = this.encode(i, row.data?.[this.names[i]!], row.line);
    return this.keyOf(values);
  }

  private encode(i: number, value: unknown, line: number): CellValue {
    if (value === null || value === undefined) {
      if (!this.inKey[i]) return null;
      // Key columns are never NULL (NULLs are distinct in a unique index): empty key text is "", the schema's default.
      if (this.table.columns[i]!.kind === "text") return "";
      throw new LedgerRowError(this.table.table, line, this.names[i]!, "is empty but part of the key");
    }
    const encoded = this.encoders[i]!(value);
    if (encoded === INVALID) throw new LedgerRowError(this.table.table, line, this.names[i]!, PROBLEM[this.table.columns[i]!.kind]);
    return encoded;
  }

  /** The row's key values as one unambiguous string (length-prefixed, so no separator can collide). */
  keyOf(values: readonly CellValue[]): string {
    let key = "";
    for (const i of this.keyIndexes) {
      const s = String(values[i]);
      key += s.length + ":" + s + "|";
    }
    return key;
  }
}
