// A seller's claim documents (Amazon asks for invoices and proof of delivery on inbound and removal
// claims): upload (type by content, size-limited, name cleaned), list, read and delete, always within
// the caller's own seller connections. Nothing is half-written: a failed store writes no row, and a
// failed row removes the stored bytes again.
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { fileTypeFromBuffer } from "file-type";
import { ulid } from "ulid";
import { ApiError } from "../api/errors";
import type { OwnedResource } from "../api/route-wrappers";
import { db } from "../db";
import { log } from "../observability/logger";
import { DocumentMissingError, documentStore, storeFor, type DocumentStore } from "./store";

export const DOCUMENT_KINDS = ["invoice", "proof-of-delivery", "other"] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** What Amazon's case forms take as attachments, by sniffed content type, with the extension a download gets. */
export const ACCEPTED_TYPES: Readonly<Record<string, string>> = {
  "application/pdf": "pdf",
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
};

/** A document as the API shows it (SellerDocumentItem of the contract). */
export interface SellerDocumentItem {
  id: string;
  kind: string;
  sku: string | null;
  shipmentId: string | null;
  removalOrderId: string | null;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  uploadedAt: string;
  note: string | null;
}

export interface StoredDocument extends SellerDocumentItem {
  sellerConnectionId: string;
  storage: string;
  storageKey: string;
  sha256: string;
}

type Row = {
  id: string;
  sellerConnectionId: string;
  kind: string;
  sku: string | null;
  shipmentId: string | null;
  removalOrderId: string | null;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  storage: string;
  storageKey: string;
  note: string | null;
  uploadedAt: Date;
};

function toStored(row: Row): StoredDocument {
  return { ...row, uploadedAt: row.uploadedAt.toISOString() };
}

export function toItem(doc: StoredDocument): SellerDocumentItem {
  return {
    id: doc.id,
    kind: doc.kind,
    sku: doc.sku,
    shipmentId: doc.shipmentId,
    removalOrderId: doc.removalOrderId,
    fileName: doc.fileName,
    contentType: doc.contentType,
    sizeBytes: doc.sizeBytes,
    uploadedAt: doc.uploadedAt,
    note: doc.note,
  };
}

/** The content type the bytes really are, when it is one Amazon accepts; null otherwise (a renamed text file, an archive). */
export async function sniffContentType(bytes: Uint8Array): Promise<string | null> {
  const found = await fileTypeFromBuffer(bytes);
  return found && found.mime in ACCEPTED_TYPES ? found.mime : null;
}

const MAX_NAME = 120;

/**
 * The name a document is shown and downloaded under: the last path segment only, no control or
 * reserved characters, no leading dots, at most 120 characters, ending in the extension of what the
 * content really is ("invoice.txt" holding a PDF becomes "invoice.pdf").
 */
export function cleanFileName(raw: string, contentType: string): string {
  const extension = ACCEPTED_TYPES[contentType] ?? "bin";
  const lastSegment = raw.split(/[\\/]/).pop() ?? "";
  let base = lastSegment
    .normalize("NFC")
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, "")
    .replace(/[<>:"|?*;%]/g, "_")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^[.\s]+/, "");
  base = base.replace(/\.[A-Za-z0-9]{1,5}$/, "");
  base = base.slice(0, MAX_NAME - extension.length - 1).trim();
  return `${base || "document"}.${extension}`;
}

export interface UploadInput {
  sellerConnectionId: string;
  kind: DocumentKind;
  sku: string | null;
  shipmentId: string | null;
  removalOrderId: string | null;
  note: string | null;
  fileName: string;
  bytes: Uint8Array;
}

/** Stores the bytes, then the row; a failed row removes the bytes again. 415 when the content is not PDF/PNG/JPEG/WebP. */
export async function uploadDocument(input: UploadInput, store: DocumentStore = documentStore()): Promise<StoredDocument> {
  const contentType = await sniffContentType(input.bytes);
  if (!contentType) {
    throw new ApiError("unsupported_media_type", "The file must be a PDF or an image (PNG, JPEG or WebP); its content is checked, not its name.");
  }
  const id = ulid().toLowerCase();
  const storageKey = `${input.sellerConnectionId}/${id}`;
  const sha256 = createHash("sha256").update(input.bytes).digest("hex");
  await store.put(storageKey, input.bytes, contentType);
  try {
    const row = await db.sellerDocument.create({
      data: {
        id,
        sellerConnectionId: input.sellerConnectionId,
        kind: input.kind,
        sku: input.sku,
        shipmentId: input.shipmentId,
        removalOrderId: input.removalOrderId,
        fileName: cleanFileName(input.fileName, contentType),
        contentType,
        sizeBytes: input.bytes.byteLength,
        sha256,
        storage: store.kind,
        storageKey,
        note: input.note,
      },
    });
    log.info({ sellerConnectionId: input.sellerConnectionId, documentId: id, kind: input.kind, sizeBytes: input.bytes.byteLength }, "Seller document uploaded");
    return toStored(row);
  } catch (error) {
    await store.delete(storageKey).catch((cleanupError: unknown) => {
      log.warn({ documentId: id, errorClass: cleanupError instanceof Error ? cleanupError.name : typeof cleanupError }, "Could not remove the bytes of a document whose row failed");
    });
    throw error;
  }
}

export interface DocumentFilter {
  sku?: string;
  shipmentId?: string;
  removalOrderId?: string;
}

/** The documents of these seller connections, newest first. */
export async function listDocuments(sellerConnectionIds: string[], filter: DocumentFilter = {}): Promise<StoredDocument[]> {
  if (sellerConnectionIds.length === 0) return [];
  const rows = await db.sellerDocument.findMany({
    where: {
      sellerConnectionId: { in: sellerConnectionIds },
      ...(filter.sku !== undefined ? { sku: filter.sku } : {}),
      ...(filter.shipmentId !== undefined ? { shipmentId: filter.shipmentId } : {}),
      ...(filter.removalOrderId !== undefined ? { removalOrderId: filter.removalOrderId } : {}),
    },
    orderBy: [{ uploadedAt: "desc" }, { id: "desc" }],
  });
  return rows.map(toStored);
}

/** The user's document; another user's id is a 404, exactly like a missing one. */
export async function getDocumentOrThrow(userId: string, documentId: string): Promise<StoredDocument> {
  const row = await db.sellerDocument.findFirst({ where: { id: documentId, sellerConnection: { userId } } });
  if (!row) throw new ApiError("not_found", "No such document.");
  return toStored(row);
}

/** A route parameter naming a document (`[id]`). */
export function documentResource(param = "id"): OwnedResource<StoredDocument> {
  return { param, load: getDocumentOrThrow, logContext: (doc) => ({ sellerConnectionId: doc.sellerConnectionId }) };
}

/** The stored bytes of a document (404 when the store has lost them). */
export async function openDocument(doc: StoredDocument): Promise<Readable> {
  try {
    return await storeFor(doc.storage).read(doc.storageKey);
  } catch (error) {
    if (error instanceof DocumentMissingError) {
      log.warn({ documentId: doc.id, sellerConnectionId: doc.sellerConnectionId }, "A document's bytes are missing from its store");
      throw new ApiError("not_found", "This document's file is no longer stored.");
    }
    throw error;
  }
}

/**
 * Removes the row (audited: detection re-judges R03's proof on the next run, lib/detection/reconciliation/
 * changes.ts), then the bytes (a failure there leaves an orphaned file, never a row without its file).
 */
export async function deleteDocument(doc: StoredDocument, userId: string): Promise<void> {
  await db.$transaction([
    db.sellerDocument.delete({ where: { id: doc.id } }),
    db.auditLog.create({
      data: { actor: `user:${userId}`, action: "document.deleted", userId, sellerConnectionId: doc.sellerConnectionId, details: { documentId: doc.id, kind: doc.kind, shipmentId: doc.shipmentId, sku: doc.sku } },
    }),
  ]);
  try {
    await storeFor(doc.storage).delete(doc.storageKey);
  } catch (error) {
    log.warn({ documentId: doc.id, errorClass: error instanceof Error ? error.name : typeof error }, "Could not remove a deleted document's bytes from its store");
  }
}
