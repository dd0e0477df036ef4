// The unit-cost routes: list (paged), set one (PUT, by SKU), delete one, import a CSV (each line stored
// or rejected with its line number and reason), and the SKUs a cost is missing for. Every route works on
// the signed-in user's connections only (sellerScope; a cost row by id through costResource), and
// every change is written with its audit entry in one transaction.
import { NextResponse } from "next/server";
import { z } from "zod";
import { ApiError, parseJsonBody, parseSearchParams } from "../../api/errors";
import { resourceIdSchema, withOwned, withUser, type OwnedResource } from "../../api/route-wrappers";
import { safeText } from "../../api/validation";
import { db } from "../../db";
import { sellerScope, sellerScopeSchema } from "../../sync/api/scope";
import { CsvFileError, MAX_SKU_LENGTH, parseUnitCostCsv, type RejectedLine } from "./csv";
import { parseCurrency, parseUnitCost } from "./money";
import { knownSkus, listUnitCosts, missingUnitCosts, unitCostItem, upsertUnitCosts } from "./store";

/** Largest CSV accepted, in bytes (about 20,000 lines of a long SKU and a price). */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
const FORM_OVERHEAD_BYTES = 16 * 1024;

const unknownSkuReason = (sku: string) =>
  `${sku} is in none of your synced Amazon data (check the spelling; a new SKU can be given a cost once it has synced)`;

// ---------------------------------------------------------------------------------------------

const listQuery = sellerScopeSchema
  .extend({
    sku: safeText(MAX_SKU_LENGTH).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

/** GET /api/unit-costs?sku=&limit=&offset=&sellerConnectionId= → { items, total, limit, offset }. */
export const listUnitCostsHandler = withUser(async (request, { user }) => {
  const query = parseSearchParams(request, listQuery);
  const ids = await sellerScope(user.id, query.sellerConnectionId);
  const page = await listUnitCosts(ids, { sku: query.sku?.trim() || undefined, limit: query.limit, offset: query.offset });
  return NextResponse.json({ ...page, limit: query.limit, offset: query.offset });
});

const putBody = z
  .object({
    sku: safeText(MAX_SKU_LENGTH).pipe(z.string().trim().min(1, "must not be blank")),
    unitCost: z.union([z.number(), z.string()], { error: "must be an amount like 12.34" }),
    currency: z.string().max(10),
    hasInvoice: z.boolean().optional(),
    sellerConnectionId: resourceIdSchema.optional(),
  })
  .strict();

/** PUT /api/unit-costs { sku, unitCost, currency, hasInvoice? } → { item } (created or replaced). */
export const putUnitCostHandler = withUser(async (request, { user }) => {
  const body = await parseJsonBody(request, putBody);
  const currency = parseCurrency(body.currency);
  if (!currency.ok) throw new ApiError("unprocessable_entity", `currency: ${currency.reason}`);
  const cost = parseUnitCost(body.unitCost, currency.value);
  if (!cost.ok) throw new ApiError("unprocessable_entity", `unitCost: ${cost.reason}`);
  const [sellerConnectionId] = await sellerScope(user.id, body.sellerConnectionId, { single: true });
  if (!(await knownSkus(sellerConnectionId!, [body.sku])).has(body.sku)) throw new ApiError("unprocessable_entity", `sku: ${unknownSkuReason(body.sku)}`);
  const row = await db.$transaction(async (tx) => {
    await upsertUnitCosts(tx, sellerConnectionId!, [{ sku: body.sku, unitCostMinor: cost.value, currency: currency.value, hasInvoice: body.hasInvoice ?? false }], "manual", new Date());
    await tx.auditLog.create({ data: { actor: `user:${user.id}`, action: "unit_cost.changed", userId: user.id, sellerConnectionId: sellerConnectionId!, details: { sku: body.sku, source: "manual" } } });
    return tx.skuUnitCost.findUniqueOrThrow({ where: { sellerConnectionId_sku: { sellerConnectionId: sellerConnectionId!, sku: body.sku } } });
  });
  return NextResponse.json({ item: unitCostItem(row) });
});

// ---------------------------------------------------------------------------------------------

interface OwnedUnitCost {
  id: string;
  sellerConnectionId: string;
  sku: string;
}

/** A unit cost row named by the route; another user's id is a 404, exactly like a missing one. */
export const unitCostResource: OwnedResource<OwnedUnitCost> = {
  param: "id",
  async load(userId, id) {
    const row = await db.skuUnitCost.findFirst({ where: { id, sellerConnection: { userId } }, select: { id: true, sellerConnectionId: true, sku: true } });
    if (!row) throw new ApiError("not_found", "No such unit cost.");
    return row;
  },
  logContext: (row) => ({ sellerConnectionId: row.sellerConnectionId }),
};

/** DELETE /api/unit-costs/:id → 204. The next run values the SKU's losses at a fallback again. */
export const deleteUnitCostHandler = withOwned(unitCostResource, async (_request, { user, resource }) => {
  await db.$transaction(async (tx) => {
    await tx.skuUnitCost.deleteMany({ where: { id: resource.id } });
    await tx.auditLog.create({ data: { actor: `user:${user.id}`, action: "unit_cost.deleted", userId: user.id, sellerConnectionId: resource.sellerConnectionId, details: { sku: resource.sku } } });
  });
  return new Response(null, { status: 204 });
});

// ---------------------------------------------------------------------------------------------

function tooLarge(): ApiError {
  return new ApiError("payload_too_large", `The file is too large: at most ${MAX_IMPORT_BYTES / (1024 * 1024)} MB (split it).`);
}

/** The request body, refused with 413 as soon as it passes `cap` bytes (declared or read). */
async function readCapped(request: Request, cap: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > cap) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** The CSV text of the request: a text/csv (or text/plain) body, or a multipart form's `file`. */
async function csvText(request: Request): Promise<{ text: string; sellerConnectionId?: string }> {
  const contentType = request.headers.get("content-type") ?? "";
  const decode = (bytes: Uint8Array) => {
    try {
      return decoder.decode(bytes);
    } catch {
      throw new ApiError("unprocessable_entity", "file: the file is not UTF-8 text (save it as CSV UTF-8).");
    }
  };
  if (/^multipart\/form-data\s*;/i.test(contentType)) {
    const body = await readCapped(request, MAX_IMPORT_BYTES + FORM_OVERHEAD_BYTES);
    let form: FormData;
    try {
      form = await new Response(new Blob([body as BlobPart]), { headers: { "content-type": contentType } }).formData();
    } catch {
      throw new ApiError("bad_request", "The request body is not valid multipart/form-data.");
    }
    const file = form.get("file");
    if (!file || typeof file === "string") throw new ApiError("unprocessable_entity", "file: attach the CSV as the form's `file` field.");
    if (file.size > MAX_IMPORT_BYTES) throw tooLarge();
    const seller = form.get("sellerConnectionId");
    return { text: decode(new Uint8Array(await file.arrayBuffer())), sellerConnectionId: typeof seller === "string" && seller !== "" ? seller : undefined };
  }
  if (!/^text\/(csv|plain)\b/i.test(contentType)) {
    throw new ApiError("unsupported_media_type", "Send the CSV as a text/csv body or as multipart/form-data with a `file` field.");
  }
  return { text: decode(await readCapped(request, MAX_IMPORT_BYTES)) };
}

const importQuery = sellerScopeSchema.strict();

/**
 * POST /api/unit-costs/import → { imported, updated, rejected: [{ line, sku, reason }] }. Valid lines
 * are stored (all in one statement), each other line reported; 422 only for an empty file or a wrong
 * header, 413 over the size or line limit.
 */
export const importUnitCostsHandler = withUser(async (request, { user }) => {
  const query = parseSearchParams(request, importQuery);
  const { text, sellerConnectionId: fromForm } = await csvText(request);
  const named = fromForm === undefined ? query.sellerConnectionId : resourceIdSchema.parse(fromForm);
  const [sellerConnectionId] = await sellerScope(user.id, named, { single: true });
  let parsed: ReturnType<typeof parseUnitCostCsv>;
  try {
    parsed = parseUnitCostCsv(text);
  } catch (error) {
    if (error instanceof CsvFileError) throw new ApiError(error.tooLarge ? "payload_too_large" : "unprocessable_entity", `file: ${error.message}`);
    throw error;
  }
  const known = await knownSkus(sellerConnectionId!, parsed.lines.map((l) => l.sku));
  const rejected: RejectedLine[] = [...parsed.rejected];
  const valid = parsed.lines.filter((l) => {
    if (known.has(l.sku)) return true;
    rejected.push({ line: l.line, sku: l.sku, reason: unknownSkuReason(l.sku) });
    return false;
  });
  rejected.sort((a, b) => a.line - b.line);
  const counts = await db.$transaction(async (tx) => {
    const stored = await upsertUnitCosts(tx, sellerConnectionId!, valid, "csv", new Date());
    if (valid.length > 0) {
      await tx.auditLog.create({
        data: { actor: `user:${user.id}`, action: "unit_cost.changed", userId: user.id, sellerConnectionId: sellerConnectionId!, details: { source: "csv", inserted: stored.inserted, updated: stored.updated, rejected: rejected.length } },
      });
    }
    return stored;
  });
  return NextResponse.json({ imported: counts.inserted, updated: counts.updated, rejected });
});

// ---------------------------------------------------------------------------------------------

const missingQuery = sellerScopeSchema.extend({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();

/** GET /api/unit-costs/missing → { items: [{ sku, fnsku, asin, openFindings, valueAtFallback, ... }] }. */
export const missingUnitCostsHandler = withUser(async (request, { user }) => {
  const query = parseSearchParams(request, missingQuery);
  const ids = await sellerScope(user.id, query.sellerConnectionId);
  return NextResponse.json({ items: await missingUnitCosts(ids, new Date(), query.limit) });
});
