import { gzipSync } from "node:zlib";
import { describe, expect, expectTypeOf, it } from "vitest";
import { decodeReportBytes } from "./decode-report-bytes";
import { ReportDocumentCorruptError, ReportHeaderError } from "./errors";
import { parseReportRows, splitLines, type RowBatch } from "./parse-report-rows";
import type { ReportRow } from "./report-types";

async function* chunks(text: string, size = 7): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}
async function* bytesOf(buf: Buffer, size = 64): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}
async function collect<T>(it: AsyncIterable<RowBatch<T>>) {
  const batches: RowBatch<T>[] = [];
  for await (const b of it) batches.push(b);
  return { batches, rows: batches.flatMap((b) => b.rows) };
}

const LEDGER_HEADER = [
  "Date", "FNSKU", "ASIN", "MSKU", "Title", "Event Type", "Reference ID", "Quantity", "Fulfillment Center",
  "Disposition", "Reason", "Country", "Reconciled Quantity", "Unreconciled Quantity", "Date and Time", "Store",
].join("\t");
const ledgerLine = (date: string, qty: string, extra: Partial<{ reason: string; unrec: string }> = {}) =>
  [date, "X001ABC", "B0TEST", "SKU-1", "Café mug", "Adjustments", "ADJ-1", qty, "PHX7", "SELLABLE", extra.reason ?? "M", "US", "", extra.unrec ?? "1", "2026-07-06T00:00:00-0700", ""].join("\t");

describe("parseReportRows", () => {
  it("maps cells by header name into typed, normalised rows and keeps the raw cells", async () => {
    const text = `${LEDGER_HEADER}\r\n${ledgerLine("07/06/2026", "-3")}\r\n\r\n`;
    const stream = parseReportRows(chunks(text), "GET_LEDGER_DETAIL_VIEW_DATA");
    const { rows } = await collect(stream);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.line).toBe(2);
    expect(row.data).toMatchObject({
      date: "2026-07-06",
      fnsku: "X001ABC",
      eventType: "Adjustments",
      quantity: -3,
      reconciledQuantity: null,
      unreconciledQuantity: 1,
      dateAndTime: "2026-07-06T07:00:00.000Z",
      store: null,
    });
    expect(row.raw["Event Type"]).toBe("Adjustments");
    expect(row.raw["Date"]).toBe("07/06/2026");
    expect(stream.summary).toMatchObject({ rowCount: 1, malformedCount: 0, unknownHeaders: [], absentColumns: [] });
    expectTypeOf(row.data.quantity).toEqualTypeOf<number>();
    expectTypeOf(row.data.asin).toEqualTypeOf<string | null>();
    expectTypeOf<ReportRow<"GET_FBA_REIMBURSEMENTS_DATA">["amountTotal"]>().toEqualTypeOf<number | null>();
  });

  it("matches Amazon's unspaced header spellings, reorders columns and tolerates unknown ones", async () => {
    const header = "Quantity\tEventType\tFNSKU\tDate\tNewColumn";
    const stream = parseReportRows(chunks(`${header}\n5\tReceipts\tX9\t01/31/2026\tzz\n`), "GET_LEDGER_DETAIL_VIEW_DATA");
    const { rows } = await collect(stream);
    expect(rows[0]!.data).toMatchObject({ quantity: 5, eventType: "Receipts", fnsku: "X9", date: "2026-01-31", asin: null });
    expect(rows[0]!.raw.NewColumn).toBe("zz");
    expect(stream.summary.unknownHeaders).toEqual(["NewColumn"]);
    expect(stream.summary.absentColumns).toContain("Reference ID");
  });

  it("counts every malformed row, keeps capped samples with line and reason, and goes on", async () => {
    const lines = [LEDGER_HEADER];
    for (let i = 0; i < 10; i++) lines.push(ledgerLine("07/06/2026", String(i)));
    lines.push(ledgerLine("07/06/2026", "1").split("\t").slice(0, 5).join("\t")); // line 12: too few columns
    lines.push(ledgerLine("07/06/2026", "two")); // line 13: bad quantity
    lines.push(ledgerLine("02/30/2026", "1")); // line 14: impossible date
    lines.push(ledgerLine("07/06/2026", "1") + "\textra"); // line 15: too many columns
    lines.push(ledgerLine("07/07/2026", "7"));
    const stream = parseReportRows(chunks(lines.join("\n")), "GET_LEDGER_DETAIL_VIEW_DATA", { batchSize: 4, maxMalformedSamples: 2 });
    const { batches, rows } = await collect(stream);
    expect(rows.map((r) => r.data.quantity)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 7]);
    expect(batches.map((b) => b.rows.length)).toEqual([4, 4, 3]);
    expect(stream.summary.malformedCount).toBe(4);
    expect(stream.summary.malformedSamples).toEqual([
      expect.objectContaining({ line: 12, reason: "expected 16 columns, got 5" }),
      expect.objectContaining({ line: 13, reason: expect.stringContaining('Quantity is not an integer: "two"') }),
    ]);
    expect(batches.flatMap((b) => b.malformed)).toHaveLength(2);
  });

  it("rejects a header without the columns every row needs", async () => {
    const stream = parseReportRows(chunks("FNSKU\tQuantity\nX1\t3\n"), "GET_LEDGER_DETAIL_VIEW_DATA");
    await expect(collect(stream)).rejects.toThrow(ReportHeaderError);
    await expect(collect(parseReportRows(chunks("FNSKU\tQuantity\nX1\t3\n"), "GET_LEDGER_DETAIL_VIEW_DATA"))).rejects.toThrow(/"Date", "Event Type"/);
  });

  it("treats an empty document or a header-only document as zero rows", async () => {
    const empty = parseReportRows(chunks(""), "GET_LEDGER_SUMMARY_VIEW_DATA");
    expect((await collect(empty)).rows).toEqual([]);
    const headerOnly = parseReportRows(chunks("Date\tFNSKU\tDisposition\n"), "GET_LEDGER_SUMMARY_VIEW_DATA");
    expect((await collect(headerOnly)).rows).toEqual([]);
    expect(headerOnly.summary.headers).toEqual(["Date", "FNSKU", "Disposition"]);
  });

  it("reads money into minor units of the row's own currency", async () => {
    const header = "approval-date\treimbursement-id\tcase-id\tamazon-order-id\treason\tsku\tfnsku\tasin\tproduct-name\tcondition\tcurrency-unit\tamount-per-unit\tamount-total\tquantity-reimbursed-cash\tquantity-reimbursed-inventory\tquantity-reimbursed-total\toriginal-reimbursement-id\toriginal-reimbursement-type";
    const usd = "2026-05-10T01:02:03+00:00\tR1\t\t\tLost_Warehouse\tS1\tX1\tB1\tMug\tNew\tUSD\t12.34\t24.68\t2\t0\t2\t\t";
    const jpy = "2026-05-11T01:02:03+09:00\tR2\t\t\tDamaged_Warehouse\tS2\tX2\tB2\tCup\tNew\tJPY\t1500\t3000\t2\t0\t2\t\t";
    const rev = "2026-05-12T00:00:00+00:00\tR3\t\t\tReimbursement_Reversal\tS1\tX1\tB1\tMug\tNew\tUSD\t-12.34\t-12.34\t-1\t0\t-1\tR1\tLost_Warehouse";
    const { rows } = await collect(parseReportRows(chunks([header, usd, jpy, rev].join("\n")), "GET_FBA_REIMBURSEMENTS_DATA"));
    expect(rows.map((r) => [r.data.amountPerUnit, r.data.amountTotal, r.data.currencyUnit])).toEqual([
      [1234, 2468, "USD"],
      [1500, 3000, "JPY"],
      [-1234, -1234, "USD"],
    ]);
    expect(rows[1]!.data.approvalDate).toBe("2026-05-10T16:02:03.000Z");
    expect(rows[2]!.data.originalReimbursementId).toBe("R1");
  });

  it("reads a settlement file with its summary first row and EU dates", async () => {
    const header = "settlement-id\tsettlement-start-date\tsettlement-end-date\tdeposit-date\ttotal-amount\tcurrency\ttransaction-type\torder-id\tamount-type\tamount-description\tamount\tposted-date\tposted-date-time\tsku\tquantity-purchased";
    const summary = "111\t09.07.2026 18:21:50 UTC\t23.07.2026 18:21:50 UTC\t25.07.2026 18:21:50 UTC\t1.234,56\tEUR\t\t\t\t\t\t\t\t\t";
    const line = "111\t\t\t\t\tEUR\tother-transaction\t\tFBA Inventory Reimbursement\tWAREHOUSE_LOST\t12,50\t20.07.2026\t20.07.2026 10:00:00 UTC\tSKU-1\t";
    const { rows } = await collect(parseReportRows(chunks([header, summary, line].join("\n")), "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"));
    expect(rows[0]!.data).toMatchObject({ totalAmount: 123456, settlementEndDate: "2026-07-23T18:21:50.000Z", amount: null });
    expect(rows[1]!.data).toMatchObject({ amount: 1250, amountDescription: "WAREHOUSE_LOST", postedDate: "2026-07-20", postedDateTime: "2026-07-20T10:00:00.000Z" });
  });

  it("unquotes quoted cells", async () => {
    const { rows } = await collect(parseReportRows(chunks('"Date"\t"FNSKU"\t"Event Type"\t"Quantity"\n"07/06/2026"\t"X1"\t"Shipments"\t"-1"\n'), "GET_LEDGER_DETAIL_VIEW_DATA"));
    expect(rows[0]!.data).toMatchObject({ date: "2026-07-06", fnsku: "X1", quantity: -1 });
  });
});

describe("splitLines", () => {
  it("rejoins lines split across chunks and strips CR", async () => {
    const out: string[] = [];
    for await (const ls of splitLines(chunks("a\tb\r\nc\td\r\ne", 3))) out.push(...ls);
    expect(out).toEqual(["a\tb", "c\td", "e"]);
  });
});

describe("decodeReportBytes", () => {
  const text = `${LEDGER_HEADER}\n${ledgerLine("07/06/2026", "1")}\n`;

  async function readAll(it: AsyncIterable<string>) {
    let s = "";
    for await (const c of it) s += c;
    return s;
  }

  it("gunzips and decodes Latin-1 by default (é is one byte 0xE9)", async () => {
    const latin1 = Buffer.from(text, "latin1");
    expect(latin1.includes(0xe9)).toBe(true);
    const d = decodeReportBytes(bytesOf(gzipSync(latin1)), { reportDocumentId: "D1", compression: "gzip" });
    expect(await readAll(d.text)).toBe(text);
    expect(d.charset).toBe("windows-1252");
  });

  it("honours a declared UTF-8 charset (multi-byte characters split across chunks)", async () => {
    const utf8 = Buffer.from(text.replace("Café", "Caféé日本"), "utf8");
    const d = decodeReportBytes(bytesOf(utf8, 5), { reportDocumentId: "D1", compression: "none", charset: "utf-8" });
    expect(await readAll(d.text)).toContain("Caféé日本");
  });

  it("switches an undeclared file with a UTF-8 BOM to UTF-8", async () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]);
    const d = decodeReportBytes(bytesOf(withBom), { reportDocumentId: "D1", compression: "none" });
    const { rows } = await collect(parseReportRows(d.text, "GET_LEDGER_DETAIL_VIEW_DATA"));
    expect(d.charset).toBe("utf-8");
    expect(rows[0]!.data.title).toBe("Café mug");
  });

  it("passes plain bytes through in auto mode and gunzips gzip ones", async () => {
    const plain = decodeReportBytes(bytesOf(Buffer.from(text, "latin1")), { reportDocumentId: "D1", compression: "auto" });
    expect(await readAll(plain.text)).toBe(text);
    const gz = decodeReportBytes(bytesOf(gzipSync(Buffer.from(text, "latin1"))), { reportDocumentId: "D1", compression: "auto" });
    expect(await readAll(gz.text)).toBe(text);
  });

  it("fails with ReportDocumentCorruptError on bytes that are not gzip, or truncated gzip", async () => {
    const notGzip = decodeReportBytes(bytesOf(Buffer.from("garbage that is not gzip")), { reportDocumentId: "D1", compression: "gzip" });
    await expect(readAll(notGzip.text)).rejects.toBeInstanceOf(ReportDocumentCorruptError);
    const big = Buffer.from(text.repeat(2000), "latin1");
    const gz = gzipSync(big);
    const truncated = decodeReportBytes(bytesOf(gz.subarray(0, gz.length - 100), 4096), { reportDocumentId: "D2", compression: "gzip" });
    const err = await readAll(truncated.text).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportDocumentCorruptError);
    expect((err as ReportDocumentCorruptError).reportDocumentId).toBe("D2");
  });
});
