// Seller documents (lib/documents/, app/api/documents/**): uploads checked by content (real PDF, PNG,
// JPEG and WebP bytes accepted; a text file renamed .pdf refused with 415), the size limit (413), the
// fields (422), the cleaned name, download bytes equal to the upload, delete removing the row and the
// file, tenancy (another user's document or seller connection is a 404), and nothing half-written when
// the store or the database insert fails. The local store writes under a temporary DOCUMENTS_DIR.
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { uploadDocument, cleanFileName } from "@/lib/documents/documents";
import { LocalDocumentStore } from "@/lib/documents/store";
import { createUser, sellingPartnerId } from "../../support/factories";

const dirs = vi.hoisted(() => {
  const { mkdtempSync } = require("node:fs") as typeof import("node:fs");
  const { tmpdir } = require("node:os") as typeof import("node:os");
  const { join } = require("node:path") as typeof import("node:path");
  const documents = mkdtempSync(join(tmpdir(), "docs-"));
  process.env.DOCUMENTS_DIR = documents;
  process.env.DOCUMENTS_MAX_BYTES = "100000";
  process.env.DOCUMENTS_STORE = "local";
  return { documents };
});

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId } } : null),
}));

const documentsRoute = await import("@/app/api/documents/route");
const documentRoute = await import("@/app/api/documents/[id]/route");
const fileRoute = await import("@/app/api/documents/[id]/file/route");

afterEach(() => {
  session.userId = null;
});

// Real file bytes: what each format's own signature and structure look like.
const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n" +
    "xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n178\n%%EOF\n",
  "latin1",
);
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
const JPEG = Buffer.from(
  "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=",
  "base64",
);
const WEBP = Buffer.from("UklGRiQAAABXRUJQVlA4IBgAAAAwAQCdASoBAAEAAwA0JaQAA3AA/vuUAAA=", "base64");

async function signedInSeller() {
  const user = await createUser("docs");
  const conn = await db.sellerConnection.create({
    data: { userId: user.id, sellingPartnerId: sellingPartnerId(), region: "NA", marketplaceIds: ["ATVPDKIKX0DER"] },
    select: { id: true },
  });
  session.userId = user.id;
  return { user, conn };
}

function upload(fields: Record<string, string | undefined>, file?: { bytes: Uint8Array; name: string; type?: string }) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.set(name, value);
  if (file) form.set("file", new File([new Uint8Array(file.bytes)], file.name, { type: file.type ?? "application/octet-stream" }));
  return documentsRoute.POST(new Request("http://localhost/api/documents", { method: "POST", body: form }));
}

const params = (id: string) => ({ params: Promise.resolve({ id }) });

describe("POST /api/documents", () => {
  it("accepts real PDF, PNG, JPEG and WebP bytes, typed by their content, and stores them under DOCUMENTS_DIR", async () => {
    const { conn } = await signedInSeller();
    const cases = [
      { bytes: PDF, name: "invoice.pdf", type: "application/pdf", expected: "application/pdf", fileName: "invoice.pdf" },
      { bytes: PNG, name: "pod.png", type: "image/png", expected: "image/png", fileName: "pod.png" },
      // Declared wrongly and named wrongly: the content decides, and the name gets the real extension.
      { bytes: JPEG, name: "scan.txt", type: "text/plain", expected: "image/jpeg", fileName: "scan.jpg" },
      { bytes: WEBP, name: "photo.webp", type: "image/webp", expected: "image/webp", fileName: "photo.webp" },
    ];
    for (const c of cases) {
      const response = await upload({ kind: "proof-of-delivery", shipmentId: "FBA1" }, c);
      expect(response.status, c.name).toBe(201);
      const { document } = (await response.json()) as { document: Record<string, unknown> };
      expect(document).toMatchObject({ kind: "proof-of-delivery", shipmentId: "FBA1", sku: null, removalOrderId: null, contentType: c.expected, fileName: c.fileName, sizeBytes: c.bytes.length, note: null });
      expect(Object.keys(document).sort()).toEqual(["contentType", "fileName", "id", "kind", "note", "removalOrderId", "shipmentId", "sizeBytes", "sku", "uploadedAt"]);
      const row = await db.sellerDocument.findUniqueOrThrow({ where: { id: document.id as string } });
      expect(row).toMatchObject({ sellerConnectionId: conn.id, storage: "local", storageKey: `${conn.id}/${document.id}` });
      expect(await readFile(path.join(dirs.documents, conn.id, document.id as string))).toEqual(c.bytes);
    }
  });

  it("refuses a text file renamed .pdf and declared as a PDF (415), and stores nothing", async () => {
    const { conn } = await signedInSeller();
    const response = await upload({ kind: "invoice", sku: "SKU-1" }, { bytes: Buffer.from("just some text, not a PDF\n"), name: "invoice.pdf", type: "application/pdf" });
    expect(response.status).toBe(415);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unsupported_media_type");
    expect(await db.sellerDocument.count({ where: { sellerConnectionId: conn.id } })).toBe(0);
    expect(existsSync(path.join(dirs.documents, conn.id))).toBe(false);
  });

  it("refuses a file over DOCUMENTS_MAX_BYTES (413) and a body that is not multipart (415)", async () => {
    const { conn } = await signedInSeller();
    const big = Buffer.concat([PDF, Buffer.alloc(100_001 - PDF.length, 0x20)]);
    const response = await upload({ kind: "invoice", sku: "SKU-1" }, { bytes: big, name: "big.pdf" });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string; message: string } }).error.code).toBe("payload_too_large");
    // Just under the limit is taken.
    const fits = Buffer.concat([PDF, Buffer.alloc(100_000 - PDF.length, 0x20)]);
    expect((await upload({ kind: "invoice", sku: "SKU-1" }, { bytes: fits, name: "fits.pdf" })).status).toBe(201);
    const json = await documentsRoute.POST(new Request("http://localhost/api/documents", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }));
    expect(json.status).toBe(415);
    expect(await db.sellerDocument.count({ where: { sellerConnectionId: conn.id } })).toBe(1);
  });

  it("answers 422 naming the field when kind, the attachment target or the file is missing", async () => {
    await signedInSeller();
    const file = { bytes: PDF, name: "invoice.pdf" };
    const message = async (response: Response) => {
      expect(response.status).toBe(422);
      return ((await response.json()) as { error: { message: string } }).error.message;
    };
    expect(await message(await upload({ sku: "SKU-1" }, file))).toMatch(/^kind: /);
    expect(await message(await upload({ kind: "receipt", sku: "SKU-1" }, file))).toMatch(/^kind: /);
    expect(await message(await upload({ kind: "invoice" }, file))).toMatch(/^sku: give a sku, shipmentId or removalOrderId/);
    expect(await message(await upload({ kind: "invoice", sku: "   " }, file))).toMatch(/^sku: /);
    expect(await message(await upload({ kind: "invoice", sku: "SKU-1" }))).toMatch(/^file: /);
    expect(await message(await upload({ kind: "invoice", sku: "SKU-1", note: "x".repeat(1001) }, file))).toMatch(/^note: /);
    expect(await message(await upload({ kind: "invoice", sku: "SKU\u0000-1" }, file))).toMatch(/^sku: .*control characters/);
  });

  it("cleans the file name: no path, no control or reserved characters, the real extension", async () => {
    await signedInSeller();
    const response = await upload({ kind: "invoice", sku: "SKU-1" }, { bytes: PDF, name: "..\\..\\C:/etc/../..\u0007Invoice <March>; 2026.exe" });
    const { document } = (await response.json()) as { document: { fileName: string } };
    expect(document.fileName).toBe("Invoice _March__ 2026.pdf");
    expect(cleanFileName("...", "image/png")).toBe("document.png");
    expect(cleanFileName("x".repeat(300) + ".pdf", "application/pdf")).toHaveLength(120);
  });

  it("attaches only to the caller's own seller connection: another user's is a 404, several of one's own need naming", async () => {
    const other = await signedInSeller();
    const { user, conn } = await signedInSeller();
    const foreign = await upload({ kind: "invoice", sku: "SKU-1", sellerConnectionId: other.conn.id }, { bytes: PDF, name: "a.pdf" });
    expect(foreign.status).toBe(404);
    expect(await db.sellerDocument.count({ where: { sellerConnectionId: other.conn.id } })).toBe(0);
    const second = await db.sellerConnection.create({ data: { userId: user.id, sellingPartnerId: sellingPartnerId(), region: "EU", marketplaceIds: ["A1PA6795UKMFR9"] } });
    expect((await upload({ kind: "invoice", sku: "SKU-1" }, { bytes: PDF, name: "a.pdf" })).status).toBe(422);
    const named = await upload({ kind: "invoice", sku: "SKU-1", sellerConnectionId: second.id }, { bytes: PDF, name: "a.pdf" });
    expect(named.status).toBe(201);
    expect(await db.sellerDocument.count({ where: { sellerConnectionId: second.id } })).toBe(1);
    expect(await db.sellerDocument.count({ where: { sellerConnectionId: conn.id } })).toBe(0);
  });

  it("asks for a session (401)", async () => {
    session.userId = null;
    expect((await upload({ kind: "invoice", sku: "SKU-1" }, { bytes: PDF, name: "a.pdf" })).status).toBe(401);
  });
});

describe("GET /api/documents, GET /api/documents/:id/file, DELETE /api/documents/:id", () => {
  it("lists, filters, downloads the same bytes, and deletes the row and the file; another user's id is a 404", async () => {
    const { conn } = await signedInSeller();
    const invoice = ((await (await upload({ kind: "invoice", sku: "SKU-9", note: "March invoice" }, { bytes: PDF, name: "März-Rechnung.pdf" })).json()) as { document: { id: string } }).document;
    const pod = ((await (await upload({ kind: "proof-of-delivery", shipmentId: "FBA9" }, { bytes: PNG, name: "pod.png" })).json()) as { document: { id: string } }).document;

    const list = async (query = "") => ((await (await documentsRoute.GET(new Request(`http://localhost/api/documents${query}`))).json()) as { items: { id: string }[] }).items.map((d) => d.id);
    expect(await list()).toEqual([pod.id, invoice.id]);
    expect(await list("?sku=SKU-9")).toEqual([invoice.id]);
    expect(await list("?shipmentId=FBA9")).toEqual([pod.id]);
    expect(await list("?removalOrderId=RO1")).toEqual([]);

    const download = await fileRoute.GET(new Request(`http://localhost/api/documents/${invoice.id}/file`), params(invoice.id));
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/pdf");
    expect(download.headers.get("content-disposition")).toBe(`attachment; filename="M_rz-Rechnung.pdf"; filename*=UTF-8''M%C3%A4rz-Rechnung.pdf`);
    expect(download.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PDF);

    // Another user sees none of it.
    const stranger = await signedInSeller();
    expect(await list()).toEqual([]);
    expect((await fileRoute.GET(new Request("http://localhost/x"), params(invoice.id))).status).toBe(404);
    expect((await documentRoute.GET(new Request("http://localhost/x"), params(invoice.id))).status).toBe(404);
    expect((await documentRoute.DELETE(new Request("http://localhost/x", { method: "DELETE" }), params(invoice.id))).status).toBe(404);
    expect((await documentsRoute.GET(new Request(`http://localhost/api/documents?sellerConnectionId=${conn.id}`))).status).toBe(404);
    expect(stranger.conn.id).not.toBe(conn.id);

    // The owner deletes: row and file gone, the other document stays.
    const owner = await db.sellerConnection.findUniqueOrThrow({ where: { id: conn.id } });
    session.userId = owner.userId;
    const file = path.join(dirs.documents, conn.id, invoice.id);
    expect(existsSync(file)).toBe(true);
    const deleted = await documentRoute.DELETE(new Request("http://localhost/x", { method: "DELETE" }), params(invoice.id));
    expect(deleted.status).toBe(204);
    expect(existsSync(file)).toBe(false);
    expect(await db.sellerDocument.findUnique({ where: { id: invoice.id } })).toBeNull();
    expect(await list()).toEqual([pod.id]);
    expect((await fileRoute.GET(new Request("http://localhost/x"), params(invoice.id))).status).toBe(404);
    expect((await fileRoute.GET(new Request("http://localhost/x"), params("../../etc/passwd"))).status).toBe(422);
  });
});

describe("nothing half-written", () => {
  it("a failed database insert removes the stored file", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "docs-fail-"));
    const store = new LocalDocumentStore(dir);
    // No such seller connection: the insert fails on its foreign key after the bytes were stored.
    await expect(
      uploadDocument({ sellerConnectionId: "no-such-connection", kind: "invoice", sku: "SKU-1", shipmentId: null, removalOrderId: null, note: null, fileName: "a.pdf", bytes: PDF }, store),
    ).rejects.toThrow();
    expect(readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.includes("/"))).toEqual([]);
  });

  it("a failed store writes no row", async () => {
    const { conn } = await signedInSeller();
    const notADirectory = path.join(mkdtempSync(path.join(os.tmpdir(), "docs-file-")), "plain-file");
    writeFileSync(notADirectory, "x");
    const store = new LocalDocumentStore(notADirectory);
    await expect(
      uploadDocument({ sellerConnectionId: conn.id, kind: "invoice", sku: "SKU-1", shipmentId: null, removalOrderId: null, note: null, fileName: "a.pdf", bytes: PDF }, store),
    ).rejects.toThrow();
    expect(await db.sellerDocument.count({ where: { sellerConnectionId: conn.id } })).toBe(0);
  });
});
