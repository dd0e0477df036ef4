// Benchmark: stream a large synthetic gzip TSV (ledger detail, default 1M rows) through the report
// parser and print rows/s and peak RSS. Run: npx tsx lib/amazon/bench-reports.ts [rows]
// `ledgerReportLines` (the synthetic report's text) is shared with scripts/bench/ingest.ts.
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { createGzip } from "node:zlib";
import { decodeReportBytes } from "../../lib/amazon/decode-report-bytes";
import { parseReportRows } from "../../lib/amazon/parse-report-rows";

const HEADER = [
  "Date", "FNSKU", "ASIN", "MSKU", "Title", "Event Type", "Reference ID", "Quantity", "Fulfillment Center",
  "Disposition", "Reason", "Country", "Reconciled Quantity", "Unreconciled Quantity", "Date and Time", "Store",
].join("\t");
const EVENTS = ["Shipments", "Receipts", "CustomerReturns", "WhseTransfers", "VendorReturns", "Adjustments"];
const FCS = ["PHX7", "ONT8", "BFI4", "MDW2", "TPA1"];

/** A GET_LEDGER_DETAIL_VIEW_DATA document of `rows` rows (header first), in chunks of 1,024 lines; deterministic. */
export function* ledgerReportLines(rows: number): Generator<string> {
  yield HEADER + "\n";
  let buf = "";
  for (let i = 0; i < rows; i++) {
    const day = (i % 28) + 1;
    const month = ((i >> 5) % 12) + 1;
    const ev = EVENTS[i % EVENTS.length]!;
    const adj = ev === "Adjustments";
    buf +=
      `${String(month).padStart(2, "0")}/${String(day).padStart(2, "0")}/2026\tX00${(i % 5000).toString(36).toUpperCase().padStart(7, "0")}\tB0${(i % 5000)
        .toString(36)
        .toUpperCase()
        .padStart(8, "0")}\tSKU-${i % 5000}\tSynthetic product ${i % 5000} – Crème\t${ev}\tREF-${i}\t${adj ? -1 : (i % 7) + 1}\t${FCS[i % FCS.length]}\tSELLABLE\t${adj ? "M" : ""}\tUS\t${adj ? "0" : ""}\t${adj ? "1" : ""}\t2026-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}T10:00:00-0700\t\n`;
    if ((i & 1023) === 1023) {
      yield buf;
      buf = "";
    }
  }
  if (buf) yield buf;
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), "amazon-bench-"));
  const file = join(dir, "ledger.tsv.gz");
  try {
    const t0 = performance.now();
    await pipeline(Readable.from(ledgerReportLines(rows), { objectMode: false }).map((s: string) => Buffer.from(s, "latin1")), createGzip(), createWriteStream(file));
    const genMs = performance.now() - t0;
    const size = statSync(file).size;
    const rssBefore = process.memoryUsage().rss;

    const t1 = performance.now();
    const decoded = decodeReportBytes(createReadStream(file, { highWaterMark: 256 * 1024 }), { reportDocumentId: "bench", compression: "gzip" });
    const stream = parseReportRows(decoded.text, "GET_LEDGER_DETAIL_VIEW_DATA", { batchSize: 1000 });
    let seen = 0;
    let checksum = 0;
    for await (const batch of stream) {
      seen += batch.rows.length;
      for (const r of batch.rows) checksum += r.data.quantity;
    }
    const parseMs = performance.now() - t1;
    const maxRssMb = process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB

    console.log(
      JSON.stringify(
        {
          rows,
          parsedRows: seen,
          malformed: stream.summary.malformedCount,
          gzipBytes: size,
          generateSeconds: +(genMs / 1000).toFixed(2),
          parseSeconds: +(parseMs / 1000).toFixed(2),
          rowsPerSecond: Math.round(seen / (parseMs / 1000)),
          rssBeforeParseMb: Math.round(rssBefore / 1024 / 1024),
          peakRssMb: Math.round(maxRssMb),
          charset: decoded.charset,
          checksum,
        },
        null,
        2,
      ),
    );
    if (seen !== rows) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) void main();
