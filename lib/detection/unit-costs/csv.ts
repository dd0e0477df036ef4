// Reading a unit-cost CSV (header sku,unit_cost,currency[,has_invoice], any case and order, a UTF-8
// BOM allowed) line by line with csv-parse: each line either becomes a cost or is rejected with its
// line number and a reason a seller reads. The file as a whole is refused only when it is empty or its
// header is wrong (CsvFileError). Duplicate SKUs: every line of a SKU given twice is rejected and
// nothing is stored for it (which of two prices is right is the seller's call, not ours).
// Whether each SKU exists in the seller's data is checked by the caller (it needs the database).
import { CsvError, parse } from "csv-parse/sync";
import { hasControlCharacters } from "../../api/validation";
import { parseCurrency, parseUnitCost } from "./money";
import type { CostInput } from "./store";

/** The most data lines one file may hold. */
export const MAX_IMPORT_ROWS = 20_000;
export const MAX_SKU_LENGTH = 200;

export class CsvFileError extends Error {
  constructor(
    message: string,
    readonly tooLarge = false,
  ) {
    super(message);
    this.name = "CsvFileError";
  }
}

export interface RejectedLine {
  line: number;
  sku: string | null;
  reason: string;
}

export interface ParsedCostLine extends CostInput {
  line: number;
}

const COLUMNS = ["sku", "unit_cost", "currency", "has_invoice"] as const;
type Column = (typeof COLUMNS)[number];
const REQUIRED: readonly Column[] = ["sku", "unit_cost", "currency"];

/** "Unit Cost", "unit-cost", " UNIT_COST " → "unit_cost". */
const headerKey = (cell: string) => cell.trim().toLowerCase().replace(/[\s-]+/g, "_");

const TRUE = new Set(["true", "yes", "y", "1"]);
const FALSE = new Set(["false", "no", "n", "0", ""]);

const PARSE_ERRORS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: "a quoted cell is never closed (check the quotes on this line)",
  CSV_INVALID_CLOSING_QUOTE: "a quote inside a cell is not doubled (write \"\" for a quote inside quotes)",
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: "the line has a different number of cells than the header",
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: "there is text after a closing quote",
};

export function parseUnitCostCsv(text: string): { lines: ParsedCostLine[]; rejected: RejectedLine[] } {
  const rejected: RejectedLine[] = [];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      skip_records_with_error: true,
      on_skip: (error: CsvError | undefined) => {
        rejected.push({ line: Number(error?.lines ?? 0), sku: null, reason: (error && PARSE_ERRORS[error.code]) ?? "the line is not valid CSV" });
        return undefined;
      },
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (error instanceof CsvError) throw new CsvFileError(`The file is not valid CSV (line ${Number(error.lines)}).`);
    throw error;
  }
  const [header, ...rows] = records;
  if (!header || header.record.every((c) => c === "")) throw new CsvFileError("The file is empty: it needs a header line sku,unit_cost,currency[,has_invoice] and a line per SKU.");
  const keys = header.record.map(headerKey);
  const index = new Map<Column, number>();
  for (const [i, key] of keys.entries()) {
    if (!(COLUMNS as readonly string[]).includes(key)) throw new CsvFileError(`Unknown column "${header.record[i]!.slice(0, 40)}" in the header: the columns are sku, unit_cost, currency and optionally has_invoice.`);
    if (index.has(key as Column)) throw new CsvFileError(`The column ${key} appears twice in the header.`);
    index.set(key as Column, i);
  }
  const absent = REQUIRED.filter((c) => !index.has(c));
  if (absent.length > 0) throw new CsvFileError(`The header has no ${absent.join(", ")} column: the columns are sku, unit_cost, currency and optionally has_invoice.`);
  if (rows.length === 0) throw new CsvFileError("The file has a header but no lines: add a line per SKU.");
  if (rows.length > MAX_IMPORT_ROWS) throw new CsvFileError(`The file has ${rows.length} lines: at most ${MAX_IMPORT_ROWS} per import (split it).`, true);

  const lines: ParsedCostLine[] = [];
  for (const { record, info } of rows) {
    // csv-parse counts the line a record ends on; a quoted cell may span lines.
    const line = info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
    const cell = (c: Column) => {
      const i = index.get(c);
      return i === undefined ? "" : (record[i] ?? "");
    };
    const sku = cell("sku");
    const reject = (reason: string) => rejected.push({ line, sku: sku === "" ? null : sku.slice(0, MAX_SKU_LENGTH), reason });
    if (record.length !== keys.length) {
      reject(`the line has ${record.length} cell${record.length === 1 ? "" : "s"}, the header ${keys.length}`);
      continue;
    }
    if (sku === "") {
      reject("the SKU cell is blank");
      continue;
    }
    if (sku.length > MAX_SKU_LENGTH || hasControlCharacters(sku)) {
      reject(sku.length > MAX_SKU_LENGTH ? `the SKU is longer than ${MAX_SKU_LENGTH} characters` : "the SKU contains control characters");
      continue;
    }
    const currency = parseCurrency(cell("currency"));
    if (!currency.ok) {
      reject(currency.reason);
      continue;
    }
    const cost = parseUnitCost(cell("unit_cost"), currency.value);
    if (!cost.ok) {
      reject(cost.reason);
      continue;
    }
    const invoice = cell("has_invoice").toLowerCase();
    if (!TRUE.has(invoice) && !FALSE.has(invoice)) {
      reject(`has_invoice is "${invoice.slice(0, 20)}": write true or false (or leave it blank)`);
      continue;
    }
    lines.push({ line, sku, unitCostMinor: cost.value, currency: currency.value, hasInvoice: TRUE.has(invoice) });
  }

  // A SKU given twice: all its lines rejected, none stored.
  const bySku = new Map<string, number[]>();
  for (const l of lines) bySku.set(l.sku, [...(bySku.get(l.sku) ?? []), l.line]);
  const kept: ParsedCostLine[] = [];
  for (const l of lines) {
    const at = bySku.get(l.sku)!;
    if (at.length === 1) kept.push(l);
    else rejected.push({ line: l.line, sku: l.sku, reason: `SKU ${l.sku} is on lines ${at.join(", ")}: give each SKU once (none of them was stored)` });
  }
  rejected.sort((a, b) => a.line - b.line);
  return { lines: kept, rejected };
}
