// Malformed report rows, kept aside per sync task (SyncRejectedRow) so a seller's evidence gaps are
// visible; never fatal to the document.
import type { MalformedRow } from "../../amazon/parse-report-rows";
import { db } from "../../db";
import { cleanText } from "./row-values";

/** Keeps a document's malformed rows once per task and line however often it runs; returns how many were new. */
export async function keepRejectedRows(syncTaskId: string, rows: MalformedRow[]): Promise<number> {
  let kept = 0;
  for (let start = 0; start < rows.length; start += 5_000) {
    const data = rows.slice(start, start + 5_000).map((r) => ({
      syncTaskId,
      line: r.line,
      // PostgreSQL text holds no NUL: a corrupt line keeps its other characters.
      reason: cleanText(String(r.reason)).slice(0, 2_000),
      text: cleanText(String(r.text)),
    }));
    const result = await db.syncRejectedRow.createMany({ data, skipDuplicates: true });
    kept += result.count;
  }
  return kept;
}
