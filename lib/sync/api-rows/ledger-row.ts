// The row shape shared with the report parser (lib/amazon/parse-report-rows.ts), so one writer stores
// report rows and API rows alike, and the lenient field readers the API mappers share. A field of the
// wrong type makes its item malformed: the mapper rejects that item (line, reason, text), never throws.
import type { MalformedRow } from "../../amazon/parse-report-rows";
import { parseCalendarDate, parseDateTime, parseInteger } from "../../amazon/report-values";

/**
 * One ledger row. `data` is keyed by the target table's Prisma field names (without id,
 * sellerConnectionId, raw, sourceReport, sourceLine, syncedAt, isSandbox: the writer adds those).
 */
export interface LedgerRow {
  /** 1-based position of the item in the whole window or chain being mapped. */
  line: number;
  data: Record<string, unknown>;
  /** The item exactly as received: the evidence. */
  raw: unknown;
}

/** A malformed item: same shape as the report parser's malformed rows (`text` is the item's JSON, cut to 500). */
export type RejectedItem = MalformedRow;

export interface ApiRows {
  rows: LedgerRow[];
  rejected: RejectedItem[];
  /** The line the next page's first item takes (startLine + items read, kept or rejected). */
  nextLine: number;
}

/** Thrown by the readers below; the mappers turn it into a rejection of the item. */
export class FieldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FieldError";
  }
}

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `obj[name]`, else the value of a key spelled the same in another case (`postedDate` for `PostedDate`). */
export function fieldOf(obj: JsonObject, name: string): unknown {
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(obj)) if (key.toLowerCase() === lower) return obj[key];
  return undefined;
}

/** The first of `names` present (not null or undefined) in `obj`, with the name it was found under. */
function firstPresent(obj: JsonObject, names: readonly string[]): { name: string; value: unknown } | null {
  for (const name of names) {
    const value = fieldOf(obj, name);
    if (value !== undefined && value !== null) return { name, value };
  }
  return null;
}

/** A string field; "" and absence are null. */
export function stringField(obj: JsonObject, ...names: string[]): string | null {
  const hit = firstPresent(obj, names);
  if (!hit) return null;
  if (typeof hit.value !== "string") throw new FieldError(`${hit.name} is not a string: ${preview(hit.value)}`);
  return hit.value === "" ? null : hit.value;
}

export function booleanField(obj: JsonObject, ...names: string[]): boolean | null {
  const hit = firstPresent(obj, names);
  if (!hit) return null;
  if (typeof hit.value === "boolean") return hit.value;
  if (hit.value === "true" || hit.value === "false") return hit.value === "true";
  throw new FieldError(`${hit.name} is not a boolean: ${preview(hit.value)}`);
}

/** An integer field: a JSON integer or an integer string (AdjustmentItem.Quantity is a string). */
export function intField(obj: JsonObject, ...names: string[]): number | null {
  const hit = firstPresent(obj, names);
  if (!hit) return null;
  return toInt(hit.value, hit.name);
}

export function toInt(value: unknown, name: string): number {
  if (typeof value === "number" && Number.isSafeInteger(value)) return Object.is(value, -0) ? 0 : value;
  if (typeof value === "string") {
    const n = parseInteger(value);
    if (n !== null) return n;
  }
  throw new FieldError(`${name} is not an integer: ${preview(value)}`);
}

/** A date-time field → UTC ISO string (a spelling without a zone is read as UTC). "" is null. */
export function dateTimeField(obj: JsonObject, ...names: string[]): string | null {
  const hit = firstPresent(obj, names);
  if (!hit || hit.value === "") return null;
  if (typeof hit.value === "string") {
    const iso = parseDateTime(hit.value) ?? (Number.isNaN(Date.parse(hit.value)) ? null : new Date(hit.value).toISOString());
    if (iso) return iso;
  }
  throw new FieldError(`${hit.name} is not a date-time: ${preview(hit.value)}`);
}

/** A calendar-date field → `YYYY-MM-DD`, the day as sent (no zone shift). "" is null. */
export function calendarDateField(obj: JsonObject, ...names: string[]): string | null {
  const hit = firstPresent(obj, names);
  if (!hit || hit.value === "") return null;
  if (typeof hit.value === "string") {
    const day = parseCalendarDate(hit.value);
    if (day) return day;
  }
  throw new FieldError(`${hit.name} is not a date: ${preview(hit.value)}`);
}

/** The item's JSON for a rejection, cut to 500 characters like a malformed report line. */
export function itemText(item: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(item);
  } catch {
    text = undefined;
  }
  return (text ?? String(item)).slice(0, 500);
}

function preview(v: unknown): string {
  return itemText(v).slice(0, 60);
}

/**
 * Maps `items` to rows from `startLine` on: `map` returns an item's `data` or throws; whatever it
 * throws rejects that item alone.
 */
export function mapItems(items: readonly unknown[] | null | undefined, startLine: number, map: (item: JsonObject) => JsonObject): ApiRows {
  const out: ApiRows = { rows: [], rejected: [], nextLine: startLine };
  for (const item of items ?? []) {
    const line = out.nextLine++;
    try {
      if (!isObject(item)) throw new FieldError(`not an object: ${preview(item)}`);
      out.rows.push({ line, data: map(item), raw: item });
    } catch (err) {
      out.rejected.push({ line, reason: err instanceof Error ? err.message : String(err), text: itemText(item) });
    }
  }
  return out;
}
