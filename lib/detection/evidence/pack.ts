// The evidence pack: one ZIP of every open claim (pending or reviewed, and neither waiting for its
// window nor past its deadline, as derivedStatus sees it at `now`) of the seller connections asked for:
//   index.csv                                  one line per claim (identifiers, value, window, documents missing, folder)
//   claims/<nnnn>-<rule>-<id>/claim.csv        the claim's evidence CSV (lib/detection/evidence/csv.ts)
//   claims/<nnnn>-<rule>-<id>/case-text.txt    the text to paste into the Seller Central case
//   documents/<document id>-<file name>        each seller document a claim cites, once (claim.csv names its path)
// Streamed: the archive is written as it is read (yazl), claims are loaded a hundred at a time when
// the writer reaches them and documents are opened one at a time from their store, so memory holds
// the list of claim ids and one batch, never the whole archive.
import { Readable } from "node:stream";
import { ZipFile } from "yazl";
import { db } from "../../db";
import { listDocuments, openDocument, type StoredDocument } from "../../documents/documents";
import { citedDocuments } from "../../documents/requirements";
import { log } from "../../observability/logger";
import { caseText } from "./case-text";
import { toClaim, type Claim } from "./claim";
import { claimCsv, decimal, toCsv } from "./csv";
import { derivedStatus, isoDay } from "../windows";

const BATCH = 100;

export interface OpenClaimRef {
  id: string;
  ruleId: string;
  sellerConnectionId: string;
  sku: string | null;
  shipmentId: string | null;
  removalOrderId: string | null;
}

/** The open claims (pending/reviewed, window open, deadline not passed at `now`), soonest deadline first. */
export async function openClaims(sellerConnectionIds: string[], now: Date): Promise<OpenClaimRef[]> {
  if (sellerConnectionIds.length === 0) return [];
  const today = new Date(`${isoDay(now)}T00:00:00.000Z`);
  const rows = await db.detection.findMany({
    where: {
      sellerConnectionId: { in: sellerConnectionIds },
      status: { in: ["pending", "reviewed"] },
      opensAt: { lte: today },
      OR: [{ deadline: null }, { deadline: { gte: today } }],
    },
    select: { id: true, ruleId: true, sellerConnectionId: true, sku: true, shipmentId: true, removalOrderId: true, status: true, opensAt: true, deadline: true },
    orderBy: [{ deadline: { sort: "asc", nulls: "last" } }, { id: "asc" }],
  });
  return rows
    .filter((r) => {
      const status = derivedStatus(r.status, r.opensAt, r.deadline, now);
      return status === "pending" || status === "reviewed";
    })
    .map(({ id, ruleId, sellerConnectionId, sku, shipmentId, removalOrderId }) => ({ id, ruleId, sellerConnectionId, sku, shipmentId, removalOrderId }));
}

/** A name safe inside a ZIP on every system. */
function entryName(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 150);
}

export const INDEX_HEADER = [
  "claim_id",
  "rule_id",
  "title",
  "status",
  "sku",
  "fnsku",
  "asin",
  "shipment_id",
  "order_id",
  "removal_order_id",
  "reimbursement_id",
  "units",
  "estimated_value",
  "currency",
  "value_basis",
  "confidence",
  "opens_at",
  "deadline",
  "file_by",
  "documents_required",
  "documents_missing",
  "folder",
] as const;

function indexLine(c: Claim, folder: string): Record<string, unknown> {
  return {
    claim_id: c.id,
    rule_id: c.ruleId,
    title: c.title,
    status: c.status,
    sku: c.sku,
    fnsku: c.fnsku,
    asin: c.asin,
    shipment_id: c.shipmentId,
    order_id: c.orderId,
    removal_order_id: c.removalOrderId,
    reimbursement_id: c.reimbursementId,
    units: c.units,
    estimated_value: decimal(c.estimatedValueMinor, c.currency),
    currency: c.currency,
    value_basis: c.valueBasis,
    confidence: c.confidence.toFixed(2),
    opens_at: c.opensAt,
    deadline: c.deadline,
    file_by: c.fileBy,
    documents_required: c.documents.required.join(" "),
    documents_missing: c.documents.missing.join(" "),
    folder,
  };
}

interface Built {
  csv: string;
  text: string;
}

/** The pack of `sellerConnectionIds` (already the caller's own) as a stream of ZIP bytes. */
export async function evidencePack(sellerConnectionIds: string[], now: Date): Promise<Readable> {
  const refs = await openClaims(sellerConnectionIds, now);
  const docs = await listDocuments(sellerConnectionIds);
  const docsBySeller = new Map<string, StoredDocument[]>();
  for (const doc of docs) docsBySeller.set(doc.sellerConnectionId, [...(docsBySeller.get(doc.sellerConnectionId) ?? []), doc]);

  // Every document some open claim cites, in the archive once.
  const cited = new Map<string, StoredDocument>();
  for (const ref of refs) {
    for (const doc of citedDocuments({ ...ref, facts: null }, docsBySeller.get(ref.sellerConnectionId) ?? [])) cited.set(doc.id, doc);
  }
  const documentPath = (id: string) => {
    const doc = cited.get(id);
    return doc ? `documents/${entryName(`${doc.id}-${doc.fileName}`)}` : "";
  };

  const zip = new ZipFile();
  const index: Array<Record<string, unknown>> = [];
  const folders = refs.map((ref, i) => `claims/${String(i + 1).padStart(4, "0")}-${entryName(ref.ruleId)}-${entryName(ref.id)}`);

  // Claims are built a batch at a time, when the writer reaches the batch's first entry.
  let batchStart = -1;
  let batch: Promise<Built[]> | null = null;
  const built = (i: number): Promise<Built> => {
    const start = i - (i % BATCH);
    if (start !== batchStart || !batch) {
      batchStart = start;
      const ids = refs.slice(start, start + BATCH).map((r) => r.id);
      batch = db.detection.findMany({ where: { id: { in: ids } } }).then((rows) => {
        const byId = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id, k) => {
          const row = byId.get(id);
          if (!row) throw new Error("A claim disappeared while its pack was written");
          const claim = toClaim(row, docsBySeller.get(row.sellerConnectionId) ?? [], now);
          index.push(indexLine(claim, folders[start + k]!));
          return { csv: claimCsv(claim, documentPath), text: caseText(claim) };
        });
      });
    }
    return batch.then((items) => items[i - start]!);
  };
  const lazy = (produce: () => Promise<Readable>) => (cb: (error: Error | null, stream: NodeJS.ReadableStream) => void) => {
    produce().then(
      (stream) => cb(null, stream),
      (error: unknown) => cb(error instanceof Error ? error : new Error(String(error)), Readable.from([])),
    );
  };

  refs.forEach((_, i) => {
    zip.addReadStreamLazy(`${folders[i]}/claim.csv`, { mtime: now }, lazy(async () => Readable.from([Buffer.from((await built(i)).csv, "utf8")])));
    zip.addReadStreamLazy(`${folders[i]}/case-text.txt`, { mtime: now }, lazy(async () => Readable.from([Buffer.from((await built(i)).text, "utf8")])));
  });
  for (const doc of cited.values()) {
    zip.addReadStreamLazy(documentPath(doc.id), { mtime: new Date(doc.uploadedAt), compress: false }, lazy(() => openDocument(doc)));
  }
  zip.addReadStreamLazy("index.csv", { mtime: now }, lazy(async () => Readable.from([Buffer.from(toCsv(INDEX_HEADER, index), "utf8")])));
  zip.end();

  const output = zip.outputStream as Readable;
  zip.on("error", (error: Error) => {
    log.error({ errorClass: error.name, claims: refs.length }, "Writing an evidence pack failed");
    output.destroy(error);
  });
  return output;
}
