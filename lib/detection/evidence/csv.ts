// A claim's evidence as one CSV a spreadsheet opens: the claim (identifiers, value, window, status),
// the rule's title and explanation, the exact ledger rows it rests on (table, row id, role, source
// report and line, date, reference id, quantity, amount), the rule's facts and arithmetic, the
// valuation, the window, the documents cited and missing, and the case text. One fixed header; the
// `section` column says what a line is. Text cells that a spreadsheet would run as a formula (starting
// with = + - @, a tab or a carriage return) are neutralised with a leading apostrophe; plain numbers
// (a quantity of -3) stay numbers. UTF-8 with a byte-order mark, so Excel reads accents and symbols right.
import { stringify } from "csv-stringify/sync";
import { currencyExponent } from "../../amazon/report-values";
import { KIND_LABELS } from "../../documents/requirements";
import { caseText } from "./case-text";
import type { Claim } from "./claim";

export const CSV_HEADER = [
  "section",
  "name",
  "value",
  "table",
  "row_id",
  "role",
  "source_report",
  "source_line",
  "date",
  "reference_id",
  "quantity",
  "amount",
  "currency",
  "note",
] as const;

type Column = (typeof CSV_HEADER)[number];
export type CsvLine = Partial<Record<Column, string | number | boolean | null | undefined>>;

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/** A text cell made safe for spreadsheets (OWASP "CSV injection"). */
export function neutralise(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** Rows as CSV text with the neutralising cast (csv-stringify quotes what needs quoting). */
export function toCsv(header: readonly string[], rows: ReadonlyArray<Record<string, unknown>>): string {
  return stringify(
    rows.map((row) => header.map((column) => row[column])),
    {
      bom: true,
      header: true,
      columns: [...header],
      cast: {
        string: (value) => neutralise(value),
        boolean: (value) => (value ? "true" : "false"),
        object: (value) => neutralise(JSON.stringify(value)),
        date: (value) => value.toISOString(),
      },
    },
  );
}

/** Integer minor units as a plain decimal ("12.34"), for a spreadsheet to sum. */
export function decimal(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  return (minor / 10 ** exponent).toFixed(exponent);
}

/** The lines of a claim's CSV; `documentPath` names where a document sits in an evidence pack. */
export function claimCsvLines(c: Claim, documentPath?: (documentId: string) => string): CsvLine[] {
  const claim = (name: string, value: CsvLine["value"]): CsvLine => ({ section: "claim", name, value });
  const lines: CsvLine[] = [
    claim("claim_id", c.id),
    claim("rule_id", c.ruleId),
    claim("rule_slug", c.ruleSlug),
    claim("title", c.title),
    claim("explanation", c.explanation),
    claim("summary", c.summary),
    claim("claim_family", c.claimFamily),
    claim("marketplace_id", c.marketplaceId),
    claim("sku", c.sku),
    claim("fnsku", c.fnsku),
    claim("asin", c.asin),
    claim("shipment_id", c.shipmentId),
    claim("order_id", c.orderId),
    claim("removal_order_id", c.removalOrderId),
    claim("reference_id", c.referenceId),
    claim("reimbursement_id", c.reimbursementId),
    claim("units", c.units),
    { section: "claim", name: "estimated_value", value: decimal(c.estimatedValueMinor, c.currency), currency: c.currency },
    { section: "claim", name: "unit_value", value: decimal(c.unitValueMinor, c.currency), currency: c.currency },
    claim("value_basis", c.valueBasis),
    claim("confidence", c.confidence.toFixed(2)),
    claim("severity", c.severity),
    claim("status", c.status),
    claim("event_date", c.eventDate),
    claim("anchor_date", c.anchorDate),
    claim("opens_at", c.opensAt),
    claim("deadline", c.deadline),
    claim("file_by", c.fileBy),
    claim("window_verify", c.windowVerify),
  ];
  for (const row of c.evidence.rows) {
    lines.push({
      section: "row",
      table: row.table,
      row_id: row.id,
      role: row.role,
      source_report: row.source,
      source_line: row.line,
      date: row.date,
      reference_id: row.referenceId,
      quantity: row.quantity,
      amount: row.amountMinor === null || row.amountMinor === undefined ? null : decimal(row.amountMinor, c.currency),
      currency: row.amountMinor === null || row.amountMinor === undefined ? null : c.currency,
      note: row.note,
    });
  }
  for (const [name, value] of Object.entries(c.evidence.facts)) {
    if (name === "arithmetic") continue;
    lines.push({ section: "fact", name, value: value as CsvLine["value"] });
  }
  if (typeof c.evidence.facts.arithmetic === "string") lines.push({ section: "arithmetic", name: "rule", value: c.evidence.facts.arithmetic });
  lines.push({
    section: "arithmetic",
    name: "value",
    value: `${c.units} x ${decimal(c.unitValueMinor, c.currency)} = ${decimal(c.estimatedValueMinor, c.currency)} ${c.currency}`,
  });
  const v = c.evidence.valuation;
  if (v) {
    lines.push({ section: "valuation", name: "basis", value: v.basis ?? c.valueBasis });
    if (typeof v.unitMinor === "number") lines.push({ section: "valuation", name: "unit_value", value: decimal(v.unitMinor, v.currency ?? c.currency), currency: v.currency ?? c.currency });
    if (typeof v.totalMinor === "number") lines.push({ section: "valuation", name: "total", value: decimal(v.totalMinor, v.currency ?? c.currency), currency: v.currency ?? c.currency });
    if (v.detail) lines.push({ section: "valuation", name: "detail", value: v.detail as never });
  }
  const w = c.evidence.window;
  if (w) {
    for (const [name, value] of Object.entries(w)) lines.push({ section: "window", name, value: value as CsvLine["value"] });
  }
  for (const d of c.documents.documents) {
    lines.push({ section: "document", name: d.kind, value: d.fileName, row_id: d.id, date: d.uploadedAt.slice(0, 10), note: documentPath?.(d.id) ?? d.note });
  }
  for (const kind of c.documents.missing) {
    lines.push({ section: "document_missing", name: kind, value: `Not uploaded: Amazon asks for the ${KIND_LABELS[kind] ?? kind} on this kind of claim` });
  }
  lines.push({ section: "case_text", name: "case_text", value: caseText(c) });
  return lines;
}

/** The claim's evidence CSV. */
export function claimCsv(c: Claim, documentPath?: (documentId: string) => string): string {
  return toCsv(CSV_HEADER, claimCsvLines(c, documentPath));
}
