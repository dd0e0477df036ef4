// Turns a flat-file report's decoded text (tab-separated, header row) into validated, normalised rows
// in batches. Reads chunk by chunk, so memory stays flat however long the report is. Bad rows are
// counted and sampled, never fatal; a header lacking required columns is.
import { z } from "zod";
import { ReportHeaderError } from "./errors";
import { currencyExponent } from "./report-values";
import { REPORT_DEFINITIONS, type ReportDefinition, type ReportRow, type ReportType } from "./report-types";

export interface ParsedRow<T> {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  data: T;
  /** The cells by header name exactly as the file had them: evidence for a claim. */
  raw: Record<string, string>;
}

export interface MalformedRow {
  line: number;
  reason: string;
  /** The line as read, cut to 500 characters. */
  text: string;
}

export interface RowBatch<T> {
  rows: ParsedRow<T>[];
  /** Malformed rows met since the previous batch (only those kept as samples). */
  malformed: MalformedRow[];
}

export interface ReportParseSummary {
  reportType: string;
  headers: string[];
  /** Headers in the file the definition does not know (kept in `raw`). */
  unknownHeaders: string[];
  /** Optional columns the file lacks (their fields are null). */
  absentColumns: string[];
  rowCount: number;
  malformedCount: number;
  /** The first `maxMalformedSamples` malformed rows. */
  malformedSamples: MalformedRow[];
  linesRead: number;
}

export interface ParseOptions {
  /** Rows per yielded batch. Default 1,000. */
  batchSize?: number;
  /** Malformed rows kept with their reason (all are counted). Default 100. */
  maxMalformedSamples?: number;
}

/** An async iterable of row batches whose `summary` is complete once iteration ends. */
export interface ReportRowStream<T> extends AsyncIterable<RowBatch<T>> {
  readonly summary: ReportParseSummary;
}

/** Matching ignores case, spaces, '-', '_' and '/': `Event Type` = `EventType` = `event-type`. */
export function normaliseHeader(h: string): string {
  return h.replace(/^\uFEFF/, "").trim().replace(/^"|"$/g, "").toLowerCase().replace(/[\s\-_/]+/g, "");
}

export function parseReportRows<T extends ReportType>(
  text: AsyncIterable<string>,
  reportType: T,
  options: ParseOptions = {},
): ReportRowStream<ReportRow<T>> {
  const definition = REPORT_DEFINITIONS[reportType] as unknown as ReportDefinition;
  return parseWithDefinition<ReportRow<T>>(text, definition, options);
}

/** Same engine for any definition (tests, new report types not yet in the table). */
export function parseWithDefinition<Row>(
  text: AsyncIterable<string>,
  definition: ReportDefinition,
  options: ParseOptions = {},
): ReportRowStream<Row> {
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  const maxSamples = Math.max(0, options.maxMalformedSamples ?? 100);
  const summary: ReportParseSummary = {
    reportType: definition.reportType,
    headers: [],
    unknownHeaders: [],
    absentColumns: [],
    rowCount: 0,
    malformedCount: 0,
    malformedSamples: [],
    linesRead: 0,
  };

  async function* run(): AsyncGenerator<RowBatch<Row>> {
    let headers: string[] | null = null;
    let layout: Layout | null = null;
    let rows: ParsedRow<Row>[] = [];
    let malformed: MalformedRow[] = [];
    let lineNo = 0;

    const reject = (line: number, reason: string, textLine: string) => {
      summary.malformedCount++;
      if (summary.malformedSamples.length < maxSamples) {
        const m = { line, reason, text: textLine.slice(0, 500) };
        summary.malformedSamples.push(m);
        malformed.push(m);
      }
    };

    for await (const lines of splitLines(text)) {
      for (const line of lines) {
        lineNo++;
        summary.linesRead = lineNo;
        if (line.trim() === "") continue; // blank lines (often the last) are not rows
        if (!headers) {
          headers = line.split("\t").map((h) => unquote(h.replace(/^\uFEFF/, "").trim()));
          layout = planLayout(definition, headers);
          summary.headers = headers;
          summary.unknownHeaders = layout.unknownHeaders;
          summary.absentColumns = layout.absentColumns;
          continue;
        }
        const cells = line.split("\t");
        if (cells.length !== headers.length) {
          reject(lineNo, `expected ${headers.length} columns, got ${cells.length}`, line);
          continue;
        }
        for (let i = 0; i < cells.length; i++) cells[i] = unquote(cells[i]!);
        const result = parseCells(layout!, cells);
        if (!result.success) {
          reject(lineNo, describeIssues(result.error, definition), line);
          continue;
        }
        const raw: Record<string, string> = {};
        for (let i = 0; i < headers.length; i++) raw[headers[i]!] = cells[i]!;
        rows.push({ line: lineNo, data: result.data as Row, raw });
        summary.rowCount++;
        if (rows.length >= batchSize) {
          yield { rows, malformed };
          rows = [];
          malformed = [];
        }
      }
    }
    if (rows.length > 0 || malformed.length > 0) yield { rows, malformed };
  }

  return {
    summary,
    [Symbol.asyncIterator]: () => run(),
  };
}

interface Layout {
  /** field → index in the row (-1 when the file lacks the column). */
  fields: Array<{ field: string; index: number }>;
  currencyIndex: number;
  schemaFor(exponent: number): z.ZodType;
  unknownHeaders: string[];
  absentColumns: string[];
}

function planLayout(definition: ReportDefinition, headers: string[]): Layout {
  const byName = new Map<string, number>();
  headers.forEach((h, i) => {
    const key = normaliseHeader(h);
    if (!byName.has(key)) byName.set(key, i);
  });
  const used = new Set<number>();
  const fields: Layout["fields"] = [];
  const missingRequired: string[] = [];
  const absentColumns: string[] = [];
  for (const [field, spec] of Object.entries(definition.columns)) {
    const index = [spec.header, ...spec.aliases].map((n) => byName.get(normaliseHeader(n))).find((i) => i !== undefined) ?? -1;
    if (index >= 0) used.add(index);
    else if (spec.required) missingRequired.push(spec.header);
    else absentColumns.push(spec.header);
    fields.push({ field, index });
  }
  if (missingRequired.length > 0) throw new ReportHeaderError(definition.reportType, missingRequired, headers);
  const currencyIndex = definition.currencyField ? (fields.find((f) => f.field === definition.currencyField)?.index ?? -1) : -1;
  const schemas = new Map<number, z.ZodType>();
  return {
    fields,
    currencyIndex,
    schemaFor(exponent) {
      let s = schemas.get(exponent);
      if (!s) {
        const shape: Record<string, z.ZodType> = {};
        for (const [field, spec] of Object.entries(definition.columns)) shape[field] = spec.schema({ currencyExponent: exponent });
        s = z.object(shape);
        schemas.set(exponent, s);
      }
      return s;
    },
    unknownHeaders: headers.filter((_, i) => !used.has(i)),
    absentColumns,
  };
}

function parseCells(layout: Layout, cells: string[]) {
  const input: Record<string, string | undefined> = {};
  for (const { field, index } of layout.fields) input[field] = index >= 0 ? cells[index] : undefined;
  const currency = layout.currencyIndex >= 0 ? cells[layout.currencyIndex] : undefined;
  return layout.schemaFor(currencyExponent(currency)).safeParse(input);
}

function describeIssues(error: z.ZodError, definition: ReportDefinition): string {
  return error.issues
    .slice(0, 3)
    .map((i) => {
      const field = String(i.path[0] ?? "");
      const header = definition.columns[field]?.header;
      return i.code === "custom" || !header ? i.message : `${header}: ${i.message}`;
    })
    .join("; ");
}

/** Amazon sometimes quotes cells; a cell wrapped in quotes loses them (and "" becomes "). */
function unquote(cell: string): string {
  if (cell.length >= 2 && cell.charCodeAt(0) === 34 && cell.charCodeAt(cell.length - 1) === 34) {
    return cell.slice(1, -1).replace(/""/g, '"');
  }
  return cell;
}

/** Splits text chunks into lines (LF or CRLF), yielding the complete lines of each chunk together. */
export async function* splitLines(chunks: AsyncIterable<string>): AsyncGenerator<string[]> {
  let carry = "";
  for await (const chunk of chunks) {
    if (chunk === "") continue;
    const text = carry + chunk;
    const parts = text.split("\n");
    carry = parts.pop() ?? "";
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (p.endsWith("\r")) parts[i] = p.slice(0, -1);
    }
    if (parts.length > 0) yield parts;
  }
  if (carry !== "") yield [carry.endsWith("\r") ? carry.slice(0, -1) : carry];
}
