// Pre-signed-style document URLs: no auth header needed, HMAC-signed, valid 5 minutes of sandbox time.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const DOCUMENT_URL_LIFETIME_S = 300;
export const DOCUMENT_PATH_PREFIX = "/report-documents";

export class DocumentUrlSigner {
  private readonly key = randomBytes(32);

  private sign(parts: string[]): string {
    return createHmac("sha256", this.key).update(parts.join("\n")).digest("hex");
  }

  url(baseUrl: string, sellingPartnerId: string, documentId: string, issuedMs: number, contentEncoding: boolean): string {
    const amzDate = new Date(issuedMs).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
    const u = new URL(`${DOCUMENT_PATH_PREFIX}/${encodeURIComponent(sellingPartnerId)}/${encodeURIComponent(documentId)}`, baseUrl);
    u.searchParams.set("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
    u.searchParams.set("X-Amz-Date", amzDate);
    u.searchParams.set("X-Amz-Expires", String(DOCUMENT_URL_LIFETIME_S));
    u.searchParams.set("X-Amz-Issued", String(issuedMs));
    if (contentEncoding) u.searchParams.set("response-content-encoding", "gzip");
    u.searchParams.set("X-Amz-Signature", this.sign([sellingPartnerId, documentId, String(issuedMs), contentEncoding ? "gzip" : ""]));
    return u.toString();
  }

  /** "ok" with the options the URL was signed for, or why it is refused. */
  verify(sellingPartnerId: string, documentId: string, query: URLSearchParams, nowMs: number):
    | { ok: true; contentEncoding: boolean }
    | { ok: false; reason: "signature" | "expired" } {
    const issued = query.get("X-Amz-Issued") ?? "";
    const ce = query.get("response-content-encoding") === "gzip";
    const given = Buffer.from(query.get("X-Amz-Signature") ?? "", "hex");
    const expected = Buffer.from(this.sign([sellingPartnerId, documentId, issued, ce ? "gzip" : ""]), "hex");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "signature" };
    if (nowMs > Number(issued) + DOCUMENT_URL_LIFETIME_S * 1000) return { ok: false, reason: "expired" };
    return { ok: true, contentEncoding: ce };
  }
}
