// `npm run bench:sandbox`: builds the large synthetic seller and streams all 18 months of ledger-detail
// rows through the report-document writer (gzip TSV) to /dev/null, reporting rows, time and peak RSS.
import { buildWorld } from "./generator/world";
import { writeTsvGzip } from "./reports/document-writer";
import { REPORT_COLUMNS } from "./reports/report-columns";
import { ROW_PRODUCERS } from "./reports/report-rows";

const size = (process.argv[2] as "small" | "large" | undefined) ?? "large";
const t0 = performance.now();
const w = buildWorld({ seed: 1, index: 0, size, endMs: Date.now() });
const built = performance.now();
const { rows, bytes } = await writeTsvGzip(
  "/dev/null",
  REPORT_COLUMNS.GET_LEDGER_DETAIL_VIEW_DATA,
  ROW_PRODUCERS.GET_LEDGER_DETAIL_VIEW_DATA({ w, fromMs: w.startMs, toMs: w.endMs + 1, options: {} }),
);
const elapsed = (performance.now() - t0) / 1000;
const maxRssMb = process.resourceUsage().maxRSS / 1024;
console.log(
  [
    `size=${size} skus=${w.catalog.length} days=${w.lastDay + 1} seller=${w.seller.sellingPartnerId}`,
    `ledger rows=${rows.toLocaleString("en-US")} (gzip bytes written: ${bytes === 0 ? "n/a (/dev/null)" : bytes})`,
    `elapsed=${elapsed.toFixed(1)} s (catalog ${((built - t0) / 1000).toFixed(2)} s, ${Math.round(rows / elapsed).toLocaleString("en-US")} rows/s)`,
    `peak RSS=${maxRssMb.toFixed(0)} MB`,
  ].join("\n"),
);
