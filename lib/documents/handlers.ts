// The document routes' handlers (app/api/documents/**): upload (multipart, size-capped while the body
// is read, type by content), list, download and delete. Every document is one of the caller's seller
// connections': an upload names one of theirs (sellerScope), a document id of another user is a 404.
import { Readable } from "node:stream";
import { NextResponse } from "next/server";
import { z } from "zod";
import { ApiError, parseSearchParams } from "../api/errors";
import { withOwned, withUser } from "../api/route-wrappers";
import { hasControlCharacters } from "../api/validation";
import { env } from "../env";
import { sellerScope, sellerScopeSchema } from "../sync/api/scope";
import { deleteDocument, documentResource, DOCUMENT_KINDS, listDocuments, openDocument, toItem, uploadDocument } from "./documents";

/** Room for the form's other fields and the multipart boundaries on top of the file itself. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

/** An identifier field: trimmed, empty means not given. */
const identifier = (max: number) =>
  z.preprocess(
    (value) => (typeof value === "string" ? value.trim() || undefined : value),
    z
      .string()
      .max(max)
      .refine((value) => !hasControlCharacters(value), "must not contain control characters")
      .optional(),
  );

const uploadFields = sellerScopeSchema
  .extend({
    kind: z.enum(DOCUMENT_KINDS, { error: `must be one of ${DOCUMENT_KINDS.join(", ")}` }),
    sku: identifier(100),
    shipmentId: identifier(64),
    removalOrderId: identifier(64),
    note: identifier(1000),
  })
  .refine((f) => f.sku || f.shipmentId || f.removalOrderId, {
    path: ["sku"],
    message: "give a sku, shipmentId or removalOrderId: the document is attached to one of them",
  });

const listQuery = sellerScopeSchema.extend({ sku: identifier(100), shipmentId: identifier(64), removalOrderId: identifier(64) });

function tooLarge(max: number): ApiError {
  return new ApiError("payload_too_large", `The file is too large: at most ${Math.floor(max / (1024 * 1024)) || max} ${max >= 1024 * 1024 ? "MB" : "bytes"}.`);
}

/** The request body, refused with 413 as soon as it passes `cap` bytes (declared or read). */
async function readCapped(request: Request, cap: number, max: number): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > cap) throw tooLarge(max);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** POST /api/documents (multipart/form-data): 201 { document }. */
export const uploadDocumentHandler = withUser(async (request, { user }) => {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    throw new ApiError("unsupported_media_type", "Send the document as multipart/form-data with a `file` field.");
  }
  const max = env().DOCUMENTS_MAX_BYTES;
  const body = await readCapped(request, max + FORM_OVERHEAD_BYTES, max);
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
  } catch {
    throw new ApiError("bad_request", "The request body is not valid multipart/form-data.");
  }
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : undefined;
  };
  const fields = uploadFields.parse({
    kind: text("kind"),
    sku: text("sku"),
    shipmentId: text("shipmentId"),
    removalOrderId: text("removalOrderId"),
    note: text("note"),
    sellerConnectionId: text("sellerConnectionId") || undefined,
  });
  const file = form.get("file");
  if (!(file instanceof Blob)) throw new ApiError("unprocessable_entity", "file: attach the document as the `file` field.");
  if (file.size === 0) throw new ApiError("unprocessable_entity", "file: the file is empty.");
  if (file.size > max) throw tooLarge(max);
  const [sellerConnectionId] = await sellerScope(user.id, fields.sellerConnectionId, { single: true });
  const document = await uploadDocument({
    sellerConnectionId: sellerConnectionId!,
    kind: fields.kind,
    sku: fields.sku ?? null,
    shipmentId: fields.shipmentId ?? null,
    removalOrderId: fields.removalOrderId ?? null,
    note: fields.note ?? null,
    fileName: file instanceof File ? file.name : "document",
    bytes: new Uint8Array(await file.arrayBuffer()),
  });
  return NextResponse.json({ document: toItem(document) }, { status: 201 });
});

/** GET /api/documents?sku=&shipmentId=&removalOrderId=&sellerConnectionId=: { items }. */
export const listDocumentsHandler = withUser(async (request, { user }) => {
  const query = parseSearchParams(request, listQuery);
  const sellers = await sellerScope(user.id, query.sellerConnectionId);
  const docs = await listDocuments(sellers, { sku: query.sku, shipmentId: query.shipmentId, removalOrderId: query.removalOrderId });
  return NextResponse.json({ items: docs.map(toItem) }, { headers: { "cache-control": "private, no-store" } });
});

/** GET /api/documents/:id: { document }. */
export const documentHandler = withOwned(documentResource(), async (_request, { resource }) =>
  NextResponse.json({ document: toItem(resource) }, { headers: { "cache-control": "private, no-store" } }),
);

/** `attachment; filename="..."` with an ASCII fallback and the exact name in RFC 5987 form. */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** GET /api/documents/:id/file: the bytes, as an attachment. */
export const documentFileHandler = withOwned(documentResource(), async (_request, { resource }) => {
  const stream = await openDocument(resource);
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
    headers: {
      "content-type": resource.contentType,
      "content-length": String(resource.sizeBytes),
      "content-disposition": attachmentDisposition(resource.fileName),
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
});

/** DELETE /api/documents/:id: 204. */
export const deleteDocumentHandler = withOwned(documentResource(), async (_request, { resource, user }) => {
  await deleteDocument(resource, user.id);
  return new Response(null, { status: 204 });
});
