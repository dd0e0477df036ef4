// The ledger writer (lib/sync/ingest/ledger-writer.ts) against the migrated database: idempotent
// re-runs, changed evidence, occurrence numbering across batches and resumes, both write paths giving
// the same table, values that COPY escaping could break, atomic batches, rejected rows. Runs on the
// embedded PGlite (insert path only: its wire front carries no COPY) and on a real PostgreSQL server
// (DATABASE_URL set: both paths).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseReportRows, type MalformedRow } from "@/lib/amazon/parse-report-rows";
import type { ReportType } from "@/lib/amazon/report-types";
import { db } from "@/lib/db";
import { LedgerRowError, LedgerWriteError } from "@/lib/sync/ingest/errors";
import { closeLedgerPools } from "@/lib/sync/ingest/ledger-pool";
import { keepRejectedRows, LEDGER_BATCH_ROWS, openLedgerWriter, type LedgerPath, type LedgerRow, type LedgerWriterOptions } from "@/lib/sync/ingest/ledger-writer";
import { createUser, sellingPartnerId } from "@/tests/support/factories";

const onServer = process.env.TEST_DATABASE_KIND === "postgresql";
/** The paths this database can run: COPY needs a real server. */
const PATHS: LedgerPath[] = onServer ? ["copy", "insert"] : ["insert"];
const SYNCED_AT = new Date("2026-03-01T12:00:00.000Z");

let userId: string;

beforeAll(async () => {
  userId = (await createUser("ingest")).id;
});

afterAll(async () => {
  await closeLedgerPools();
});

async function newSeller(id?: string): Promise<string> {
  const connection = await db.sellerConnection.create({
    data: { ...(id ? { id } : {}), userId, sellingPartnerId: sellingPartnerId(), region: "NA", marketplaceIds: ["ATVPDKIKX0DER"] },
  });
  return connection.id;
}

async function* chunks(text: string): AsyncGenerator<string> {
  // Odd-sized pieces, so lines straddle chunk boundaries as they do in a download.
  for (let i = 0; i < text.length; i += 97) yield text.slice(i, i + 97);
}

/** A TSV report through the product's parser, as the sync hands rows over. */
async function parse(reportType: ReportType, tsv: string): Promise<{ rows: LedgerRow[]; malformed: MalformedRow[] }> {
  const rows: LedgerRow[] = [];
  const malformed: MalformedRow[] = [];
  for await (const batch of parseReportRows(chunks(tsv), reportType, { batchSize: 1000 })) {
    rows.push(...(batch.rows as unknown as LedgerRow[]));
    malformed.push(...batch.malformed);
  }
  return { rows, malformed };
}

const LEDGER_HEADER = "Date\tFNSKU\tASIN\tMSKU\tTitle\tEvent Type\tReference ID\tQuantity\tFulfillment Center\tDisposition\tReason\tCountry\tReconciled Quantity\tUnreconciled Quantity\tDate and Time\tStore";

/**
 * A ledger document with repeats: every 4th line from line 10 on repeats line 6 exactly, lines 7/8
 * are the same event twice, and every 5th line repeats line 9's key with other non-key cells (a
 * different title): same key, so it counts as another occurrence.
 */
function ledgerDocument(lines: number): string {
  const out = [LEDGER_HEADER];
  for (let i = 0; i < lines; i++) {
    const line = i + 2;
    const event = (n: number, title = `Product ${n % 9}`) =>
      `05/${String((n % 27) + 1).padStart(2, "0")}/2026\tX00FN${n % 11}\tB0ASIN${n % 11}\tSKU-${n % 11}\t${title}\t${n % 3 ? "Shipments" : "Adjustments"}\tREF-${n}\t${(n % 5) - 2}\tPHX7\tSELLABLE\t${n % 3 ? "" : "M"}\tUS\t\t\t2026-05-${String((n % 27) + 1).padStart(2, "0")}T10:00:00-0700\t`;
    if (line >= 10 && line % 4 === 2) out.push(event(6));
    else if (line === 8) out.push(event(7));
    else if (line >= 10 && line % 5 === 0) out.push(event(9, `Renamed product ${line}`));
    else out.push(event(line));
  }
  return out.join("\n") + "\n";
}

interface Checksum {
  n: number;
  sum: string | null;
}

/** The table's rows of one seller (id and the seller aside), as one digest. */
async function checksum(table: string, sellerConnectionId: string, except: string[] = []): Promise<Checksum> {
  const drop = ["id", "sellerConnectionId", ...except].map((c) => `- '${c}'`).join(" ");
  const rows = await db.$queryRawUnsafe<Checksum[]>(
    `SELECT count(*)::int AS n, md5(string_agg(x, E'\\n' ORDER BY x)) AS sum
     FROM (SELECT (to_jsonb(t) ${drop})::text AS x FROM "${table}" t WHERE "sellerConnectionId" = $1) s`,
    sellerConnectionId,
  );
  return rows[0]!;
}

function options(table: string, sellerConnectionId: string, more: Partial<LedgerWriterOptions> = {}): LedgerWriterOptions {
  return { table, sellerConnectionId, sourceReport: "report-1", syncedAt: SYNCED_AT, isSandbox: true, ...more };
}

async function writeAll(opts: LedgerWriterOptions, rows: LedgerRow[], batch: number): Promise<{ inserted: number; updated: number }> {
  const writer = await openLedgerWriter(opts);
  const total = { inserted: 0, updated: 0 };
  try {
    for (let i = 0; i < rows.length; i += batch) {
      const r = await writer.write(rows.slice(i, i + batch));
      total.inserted += r.inserted;
      total.updated += r.updated;
    }
  } finally {
    await writer.close();
  }
  return total;
}

async function* batchesOf(rows: LedgerRow[], size: number): AsyncGenerator<{ rows: LedgerRow[] }> {
  for (let i = 0; i < rows.length; i += size) yield { rows: rows.slice(i, i + size) };
}

describe("ledger writer", () => {
  it("picks COPY on a real server and the insert path on the embedded database", async () => {
    const writer = await openLedgerWriter(options("LedgerDetail", await newSeller()));
    expect(writer.path).toBe(onServer ? "copy" : "insert");
    await writer.close();
  });

  for (const path of PATHS) {
    describe(`${path} path`, () => {
      it("stores a document once: a re-run adds no row and changes none, not even syncedAt or sourceReport", async () => {
        const seller = await newSeller();
        const { rows } = await parse("GET_LEDGER_DETAIL_VIEW_DATA", ledgerDocument(60));
        const first = await writeAll(options("LedgerDetail", seller, { path }), rows, 25);
        expect(first).toEqual({ inserted: 60, updated: 0 });
        const before = await checksum("LedgerDetail", seller);
        expect(before.n).toBe(60);

        const again = await writeAll(options("LedgerDetail", seller, { path, syncedAt: new Date("2026-03-02T00:00:00Z"), sourceReport: "report-2" }), rows, 60);
        expect(again).toEqual({ inserted: 0, updated: 0 });
        expect(await checksum("LedgerDetail", seller)).toEqual(before);
      });

      it("replaces a row whose raw evidence changed, and only that row", async () => {
        const seller = await newSeller();
        const { rows } = await parse("GET_LEDGER_DETAIL_VIEW_DATA", ledgerDocument(20));
        await writeAll(options("LedgerDetail", seller, { path }), rows, 20);
        const changed = rows.map((r) => (r.line === 5 ? { ...r, data: { ...r.data, title: "New title" }, raw: { ...(r.raw as object), Title: "New title" } } : r));
        const later = new Date("2026-03-05T00:00:00.000Z");
        expect(await writeAll(options("LedgerDetail", seller, { path, syncedAt: later, sourceReport: "report-2" }), changed, 7)).toEqual({ inserted: 0, updated: 1 });
        const stored = await db.ledgerDetail.findMany({ where: { sellerConnectionId: seller }, orderBy: { sourceLine: "asc" } });
        expect(stored).toHaveLength(20);
        const line5 = stored.find((r) => r.sourceLine === 5)!;
        expect(line5).toMatchObject({ title: "New title", sourceReport: "report-2", syncedAt: later });
        expect((line5.raw as Record<string, string>).Title).toBe("New title");
        expect(stored.filter((r) => r.sourceLine !== 5).every((r) => r.sourceReport === "report-1" && r.syncedAt.getTime() === SYNCED_AT.getTime())).toBe(true);
      });

      it("numbers identical rows by occurrence in line order, the same across batches and across a resume", async () => {
        const { rows } = await parse("GET_LEDGER_DETAIL_VIEW_DATA", ledgerDocument(90));
        const single = await newSeller();
        await writeAll(options("LedgerDetail", single, { path }), rows, rows.length);

        const batched = await newSeller();
        await writeAll(options("LedgerDetail", batched, { path }), rows, 7);

        // A step stores lines up to 40, then the process dies; the next step resumes at line 41.
        const resumed = await newSeller();
        const resumeAt = 41;
        await writeAll(options("LedgerDetail", resumed, { path }), rows.filter((r) => r.line < resumeAt), 9);
        const writer = await openLedgerWriter(options("LedgerDetail", resumed, { path }));
        const before = rows.filter((r) => r.line < resumeAt);
        writer.skip(before.slice(0, 20));
        writer.skip(before.slice(20));
        const after = rows.filter((r) => r.line >= resumeAt);
        for (let i = 0; i < after.length; i += 11) await writer.write(after.slice(i, i + 11));
        await writer.close();

        const expected = await checksum("LedgerDetail", single);
        expect(expected.n).toBe(90);
        expect(await checksum("LedgerDetail", batched)).toEqual(expected);
        expect(await checksum("LedgerDetail", resumed)).toEqual(expected);

        const stored = await db.ledgerDetail.findMany({ where: { sellerConnectionId: single }, orderBy: { sourceLine: "asc" } });
        const occurrencesOf = (referenceId: string) => stored.filter((r) => r.referenceId === referenceId).map((r) => [r.sourceLine, r.occurrence]);
        // Line 6's event, then its exact repeats at 10, 14, 18, ...
        expect(occurrencesOf("REF-6").slice(0, 4)).toEqual([[6, 1], [10, 2], [14, 3], [18, 4]]);
        expect(occurrencesOf("REF-7")).toEqual([[7, 1], [8, 2]]);
        // Same key as line 9 with another title: the next occurrence of that key, not a new key.
        expect(occurrencesOf("REF-9").slice(0, 3)).toEqual([[9, 1], [15, 2], [20, 3]]);
        expect(stored.find((r) => r.sourceLine === 15)!.title).toBe("Renamed product 15");
      });

      it("writeAll stores what write() stores, committing each batch before reporting it", async () => {
        const { rows } = await parse("GET_LEDGER_DETAIL_VIEW_DATA", ledgerDocument(90));
        const single = await newSeller();
        await writeAll(options("LedgerDetail", single, { path }), rows, rows.length);

        const seller = await newSeller();
        const writer = await openLedgerWriter(options("LedgerDetail", seller, { path }));
        const reported: [number, number, number][] = [];
        const total = await writer.writeAll(batchesOf(rows, 7), {
          onStored: async (batch, result) => {
            // Committed by now: another connection sees it.
            reported.push([batch.rows[0]!.line, result.inserted, await db.ledgerDetail.count({ where: { sellerConnectionId: seller } })]);
          },
        });
        await writer.close();
        expect(total).toEqual({ inserted: 90, updated: 0 });
        expect(reported).toEqual(Array.from({ length: 13 }, (_, i) => [2 + i * 7, i < 12 ? 7 : 6, Math.min(90, (i + 1) * 7)]));
        expect(await checksum("LedgerDetail", seller)).toEqual(await checksum("LedgerDetail", single));
      });

      it("writeAll stops when told, rolling back the batch staged meanwhile, and resumes from a line", async () => {
        const { rows } = await parse("GET_LEDGER_DETAIL_VIEW_DATA", ledgerDocument(90));
        const single = await newSeller();
        await writeAll(options("LedgerDetail", single, { path }), rows, rows.length);

        const seller = await newSeller();
        let resumeLine = 0;
        const first = await openLedgerWriter(options("LedgerDetail", seller, { path }));
        let batches = 0;
        await first.writeAll(batchesOf(rows, 10), {
          onStored: (batch) => {
            resumeLine = batch.rows.at(-1)!.line + 1;
            return ++batches < 3;
          },
        });
        await first.close();
        expect(resumeLine).toBe(32);
        expect(await db.ledgerDetail.count({ where: { sellerConnectionId: seller } })).toBe(30);

        // The next step reads the document from the start again and resumes after the last stored line.
        const next = await openLedgerWriter(options("LedgerDetail", seller, { path }));
        expect(await next.writeAll(batchesOf(rows, 8), { resumeLine })).toEqual({ inserted: 60, updated: 0 });
        await next.close();
        expect(await checksum("LedgerDetail", seller)).toEqual(await checksum("LedgerDetail", single));
      });

      it("writeAll keeps the batches before a failure and nothing of the failing one or the one after", async () => {
        const seller = await newSeller();
        const rows: LedgerRow[] = Array.from({ length: 40 }, (_, i) => ({ line: i + 2, data: { sku: `SKU-${i}`, longestSide: i === 22 ? "9".repeat(40) : "1" }, raw: { i } }));
        const writer = await openLedgerWriter(options("FeePreview", seller, { path, snapshotDate: "2026-01-01" }));
        const stored: number[] = [];
        const error = await writer.writeAll(batchesOf(rows, 5), { onStored: (batch) => void stored.push(batch.rows[0]!.line) }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(LedgerWriteError);
        expect(error).toMatchObject({ code: "22003", firstLine: 22, lastLine: 26 });
        expect(stored).toEqual([2, 7, 12, 17]);
        expect(await db.feePreview.count({ where: { sellerConnectionId: seller } })).toBe(20);
        await writer.close();
      });

      it("keeps the last of duplicate keys within one batch where the table has no occurrence", async () => {
        const seller = await newSeller();
        const header = "approval-date\treimbursement-id\tcase-id\tamazon-order-id\treason\tsku\tfnsku\tasin\tproduct-name\tcondition\tcurrency-unit\tamount-per-unit\tamount-total\tquantity-reimbursed-cash\tquantity-reimbursed-inventory\tquantity-reimbursed-total\toriginal-reimbursement-id\toriginal-reimbursement-type";
        const line = (id: string, amount: string) => `2026-04-01T10:00:00+00:00\t${id}\tC1\t111-1\tLost_Warehouse\tSKU-1\tX001\tB001\tThing\tNew\tUSD\t${amount}\t${amount}\t1\t0\t1\t\t`;
        const { rows } = await parse("GET_FBA_REIMBURSEMENTS_DATA", [header, line("R1", "1.00"), line("R2", "2.00"), line("R1", "3.50"), ""].join("\n"));
        expect(await writeAll(options("Reimbursement", seller, { path }), rows, 10)).toEqual({ inserted: 2, updated: 0 });
        const stored = await db.reimbursement.findMany({ where: { sellerConnectionId: seller }, orderBy: { reimbursementId: "asc" } });
        expect(stored.map((r) => [r.reimbursementId, r.amountTotal, r.sourceLine])).toEqual([
          ["R1", 350n, 4],
          ["R2", 200n, 3],
        ]);
      });

      it("stores values COPY escaping could break, exactly", async () => {
        const seller = await newSeller();
        const nasty = "tab\there\nnew line\r\nCRLF \\ backslash \\N \\. \\\\t \"quoted\" 'single' ; -- é 日本 🦄 \u202Eltr\u202C e\u0301 \u0000nul \ud800lone";
        const cleaned = nasty.replace("\u0000", "\ufffd").replace("\ud800", "\ufffd");
        const row: LedgerRow = {
          line: 2,
          data: {
            amazonOrderId: "111-NASTY",
            sku: nasty,
            purchaseDate: "2026-02-28T23:59:59.123Z",
            lastUpdatedDate: null,
            productName: "\\",
            quantity: -2147483648,
            currency: "JPY",
            itemPrice: 9007199254740991,
            itemTax: -1,
            shippingPrice: 0,
            isBusinessOrder: true,
            signatureConfirmationRecommended: false,
            promotionIds: "",
          },
          raw: { "sku\tkey\n": nasty, nested: { list: [nasty, 1.5, null, true] }, "\\N": "\\N" },
        };
        const big: LedgerRow = { line: 3, data: { amazonOrderId: "111-BIG", sku: "", purchaseDate: new Date("2026-01-01T00:00:00Z"), itemPrice: 9223372036854775807n }, raw: ["\t"] };
        expect(await writeAll(options("OrderItem", seller, { path }), [row, big], 10)).toEqual({ inserted: 2, updated: 0 });
        const [a, b] = await db.orderItem.findMany({ where: { sellerConnectionId: seller }, orderBy: { sourceLine: "asc" } });
        expect(a).toMatchObject({
          amazonOrderId: "111-NASTY",
          sku: cleaned,
          purchaseDate: new Date("2026-02-28T23:59:59.123Z"),
          lastUpdatedDate: null,
          productName: "\\",
          quantity: -2147483648,
          currency: "JPY",
          itemPrice: 9007199254740991n,
          itemTax: -1n,
          shippingPrice: 0n,
          giftWrapPrice: null,
          isBusinessOrder: true,
          signatureConfirmationRecommended: false,
          promotionIds: "",
          cpf: null,
          sourceLine: 2,
          sourceReport: "report-1",
          isSandbox: true,
        });
        expect(a!.raw).toEqual({ "sku\tkey\n": cleaned, nested: { list: [cleaned, 1.5, null, true] }, "\\N": "\\N" });
        expect(b).toMatchObject({ sku: "", itemPrice: 9223372036854775807n, purchaseDate: new Date("2026-01-01T00:00:00Z") });
        expect(b!.raw).toEqual(["\t"]);
        // The same rows again: stored as they are, so nothing changes.
        expect(await writeAll(options("OrderItem", seller, { path }), [row, big], 10)).toEqual({ inserted: 0, updated: 0 });
      });

      it("stores decimals, calendar dates and the snapshot date of a snapshot table", async () => {
        const seller = await newSeller();
        const rows: LedgerRow[] = [
          { line: 2, data: { sku: "S1", longestSide: "12.50", itemPackageWeight: "-0.000001", yourPrice: 1999, futureFeeCategoryEffectiveDate: "2026-06-01T07:00:00.000Z" }, raw: { sku: "S1" } },
          { line: 3, data: { sku: "S2", longestSide: "123456789012345678901234567890.123456789012345678901234567890", estimatedFeeTotal: null }, raw: { sku: "S2" } },
        ];
        await expect(openLedgerWriter(options("FeePreview", seller, { path }))).rejects.toThrow(/snapshotDate/);
        await writeAll(options("FeePreview", seller, { path, snapshotDate: "2026-02-28" }), rows, 10);
        const stored = await db.feePreview.findMany({ where: { sellerConnectionId: seller }, orderBy: { sku: "asc" } });
        expect(stored.map((r) => [r.snapshotDate.toISOString(), r.longestSide?.toFixed(), r.itemPackageWeight?.toFixed(), r.yourPrice])).toEqual([
          ["2026-02-28T00:00:00.000Z", "12.5", "-0.000001", 1999n],
          ["2026-02-28T00:00:00.000Z", "123456789012345678901234567890.12345678901234567890123456789", undefined, null],
        ]);
        // Another day's pull is another snapshot.
        expect(await writeAll(options("FeePreview", seller, { path, snapshotDate: "2026-03-01" }), rows, 10)).toEqual({ inserted: 2, updated: 0 });

        const settlement = await newSeller();
        await writeAll(
          options("SettlementLine", settlement, { path }),
          [{ line: 2, data: { settlementId: "S-1", postedDate: "2024-02-29", postedDateTime: "2024-02-29T23:00:00+01:00", amount: -150 }, raw: {} }],
          10,
        );
        const line = await db.settlementLine.findFirstOrThrow({ where: { sellerConnectionId: settlement } });
        expect([line.postedDate?.toISOString(), line.postedDateTime?.toISOString(), line.amount, line.orderId]).toEqual(["2024-02-29T00:00:00.000Z", "2024-02-29T22:00:00.000Z", -150n, ""]);
      });

      it("stores nothing of a batch that fails midway (its last row), and says nothing of the values", async () => {
        const seller = await newSeller();
        const rows: LedgerRow[] = [];
        for (let i = 0; i <= LEDGER_BATCH_ROWS; i++) rows.push({ line: i + 2, data: { sku: `SKU-${i}`, longestSide: "1.5" }, raw: { i } });
        // 40 integer digits: a valid decimal the numeric(65,30) column cannot hold, in the second statement.
        const secret = "9".repeat(40);
        rows[rows.length - 1]!.data.longestSide = secret;
        const writer = await openLedgerWriter(options("FeePreview", seller, { path, snapshotDate: "2026-01-01" }));
        const error = await writer.write(rows).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(LedgerWriteError);
        expect((error as LedgerWriteError).code).toBe("22003");
        expect((error as LedgerWriteError).message).not.toContain(secret);
        expect(JSON.stringify(error)).not.toContain(secret);
        expect(await db.feePreview.count({ where: { sellerConnectionId: seller } })).toBe(0);
        // The writer stays usable.
        rows[rows.length - 1]!.data.longestSide = "2";
        expect(await writer.write(rows)).toEqual({ inserted: rows.length, updated: 0 });
        await writer.close();
      });

      it("takes back the occurrences of a failed batch, so its retry numbers as a single pass does", async () => {
        const { rows } = await parse("GET_LEDGER_DETAIL_VIEW_DATA", ledgerDocument(40));
        const single = await newSeller();
        await writeAll(options("LedgerDetail", single, { path }), rows, rows.length);

        const id = `ingest-retry-${Date.now()}-${Math.random().toString(36).slice(2)}`;
        await newSeller(id);
        const writer = await openLedgerWriter(options("LedgerDetail", id, { path }));
        await writer.write(rows.slice(0, 20));
        // The seller disappears mid-document: the next batch fails on the foreign key...
        await db.sellerConnection.delete({ where: { id } });
        const error = await writer.write(rows.slice(20)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(LedgerWriteError);
        expect((error as LedgerWriteError).code).toBe("23503");
        // ...and is retried once it is back (its first rows went with it; the retried ones are compared).
        await newSeller(id);
        await writer.write(rows.slice(20));
        await writer.close();
        const of = async (seller: string) =>
          (await db.ledgerDetail.findMany({ where: { sellerConnectionId: seller, sourceLine: { gte: rows[20]!.line } }, orderBy: { sourceLine: "asc" } })).map((r) => [r.sourceLine, r.occurrence]);
        expect(await of(id)).toEqual(await of(single));
      });
    });
  }

  it.skipIf(!onServer)("gives the same table on both paths", async () => {
    const { rows } = await parse("GET_LEDGER_DETAIL_VIEW_DATA", ledgerDocument(120));
    const nasty = { line: 200, data: { date: "2026-01-31", fnsku: "a\tb\\c\nd", eventType: "Adjustments", quantity: 3, title: "🦄 \\N", dateAndTime: "2026-01-31T23:59:59.999Z", reconciledQuantity: 0 }, raw: { t: "\\\t\n\u0000" } };
    const viaCopy = await newSeller();
    const viaInsert = await newSeller();
    await writeAll(options("LedgerDetail", viaCopy, { path: "copy" }), [...rows, nasty], 13);
    await writeAll(options("LedgerDetail", viaInsert, { path: "insert" }), [...rows, nasty], 13);
    const a = await checksum("LedgerDetail", viaCopy);
    expect(a.n).toBe(121);
    expect(await checksum("LedgerDetail", viaInsert)).toEqual(a);
  });

  it("refuses rows the table cannot hold, naming line and column but not the value", async () => {
    const seller = await newSeller();
    const writer = await openLedgerWriter(options("LedgerDetail", seller));
    const base = { date: "2026-01-01", fnsku: "X", eventType: "Shipments", quantity: 1 };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, quantity: "secret-1" }, "quantity"],
      [{ ...base, quantity: 2 ** 31 }, "quantity"],
      [{ ...base, date: "2026-02-30" }, "date"],
      [{ ...base, date: null }, "date"],
      [{ ...base, dateAndTime: "2026-01-01T10:00:00" }, "dateAndTime"],
      [{ ...base, secretColumn: "x" }, "secretColumn"],
    ];
    for (const [data, column] of cases) {
      const error = await writer.write([{ line: 2, data, raw: {} }]).catch((e: unknown) => e);
      expect(error, column).toBeInstanceOf(LedgerRowError);
      expect(error, column).toMatchObject({ line: 2, column });
      expect((error as Error).message).not.toContain("secret-1");
    }
    expect(() => writer.skip([{ line: 2, data: { ...base, quantity: 1.5 }, raw: {} }])).toThrow(LedgerRowError);
    await writer.write([{ line: 2, data: base, raw: {} }]);
    // Occurrences are counted in line order: an earlier line after a later one is refused.
    await expect(writer.write([{ line: 2, data: base, raw: {} }])).rejects.toThrow(/line order/);
    await writer.close();
    await expect(writer.write([{ line: 3, data: base, raw: {} }])).rejects.toThrow(/closed/);
    expect(await db.ledgerDetail.count({ where: { sellerConnectionId: seller } })).toBe(1);
  });

  it("keeps rejected rows once per task and line", async () => {
    const task = `task-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const tsv = `${LEDGER_HEADER}\nnot a row\n05/01/2026\tX1\t\t\t\tShipments\tR\tnot-a-number\tPHX7\t\t\t\t\t\t\t\n`;
    const { malformed } = await parse("GET_LEDGER_DETAIL_VIEW_DATA", tsv);
    expect(malformed.map((m) => m.line)).toEqual([2, 3]);
    const withNul = [...malformed, { line: 9, reason: "odd", text: "a\u0000b" }];
    expect(await keepRejectedRows(task, withNul)).toBe(3);
    expect(await keepRejectedRows(task, withNul)).toBe(0);
    const kept = await db.syncRejectedRow.findMany({ where: { syncTaskId: task }, orderBy: { line: "asc" } });
    expect(kept.map((k) => [k.line, k.text])).toEqual([
      [2, "not a row"],
      [3, malformed[1]!.text],
      [9, "a\ufffdb"],
    ]);
    expect(kept[1]!.reason).toContain("Quantity");
  });
});
