// `npm run bench:sandbox`: builds the large synthetic seller and streams all 18 months of ledger-detail
// rows through the report-document writer (gzip TSV) to a temp file, reporting rows, size, time and peak RSS.
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildWorld } from "./generator/world";
import { writeTsvGzip } from "./reports/document-writer";
import { REPORT_COLUMNS } from "./reports/report-columns";
import { ROW_PRODUCERS } from "./reports/report-rows";

const size = (process.argv[2] as "small" | "large" | undefined) ?? "large";
const t0 = performance.now();
const w = buildWorld({ seed: 1, index: 0, size, endMs: Date.now() });
const built = performance.now();
const path = join(tmpdir(), `sandbox-bench-ledger-${process.pid}.tsv.gz`);
const { rows, bytes } = await writeTsvGzip(
  path,
  REPORT_COLUMNS.GET_LEDGER_DETAIL_VIEW_DATA,
  ROW_PRODUCERS.GET_LEDGER_DETAIL_VIEW_DATA({ w, fromMs: w.startMs, toMs: w.endMs + 1, options: {} }),
);
const elapsed = (performance.now() - t0) / 1000;
await rm(path, { force: true });
const maxRssMb = process.resourceUsage().maxRSS / 1024;
console.log(
  [
    `size=${size} skus=${w.catalog.length} days=${w.lastDay + 1} seller=${w.seller.sellingPartnerId}`,
    `ledger rows=${rows.toLocaleString("en-US")} (gzip document ${(bytes / 1_048_576).toFixed(1)} MB)`,
    `elapsed=${elapsed.toFixed(1)} s (catalog ${((built - t0) / 1000).toFixed(2)} s, ${Math.round(rows / elapsed).toLocaleString("en-US")} rows/s)`,
    `peak RSS=${maxRssMb.toFixed(0)} MB`,
  ].join("\n"),
);
