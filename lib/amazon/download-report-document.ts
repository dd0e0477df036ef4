// getReportDocument, then a plain GET of the pre-signed URL (no SP-API auth headers; it expires in
// 5 minutes, so download right away), exposing the body as decoded text chunks.
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { charsetOf, decodeReportBytes } from "./decode-report-bytes";
import { ReportDownloadError, urlWithoutQuery } from "./errors";
import type { ReportDocument } from "./models/reports";
import type { SpApiClient } from "./sp-api-client";

export interface OpenedReportDocument {
  document: ReportDocument;
  contentType: string | null;
  /** Charset used to decode (declared, or the Latin-1 default, or UTF-8 by BOM); final once reading starts. */
  readonly charset: string;
  /** Decoded text, chunk by chunk. Read it once. */
  text: AsyncIterable<string>;
}

export async function openReportDocument(
  client: SpApiClient,
  reportDocumentId: string,
  signal?: AbortSignal,
): Promise<OpenedReportDocument> {
  const document = await client.getReportDocument(reportDocumentId, signal);
  return openDocumentUrl(client, document, signal);
}

/** Downloads an already-fetched ReportDocument (its URL must still be fresh). */
export async function openDocumentUrl(client: SpApiClient, document: ReportDocument, signal?: AbortSignal): Promise<OpenedReportDocument> {
  const res = await client.fetchPresigned(document.url, signal);
  if (!res.ok || !res.body) {
    // Only S3's code and message: an error body can echo signing details of the URL.
    const body = await res.text().catch(() => "");
    const code = /<Code>([^<]{1,100})<\/Code>/.exec(body)?.[1];
    const message = /<Message>([^<]{1,200})<\/Message>/.exec(body)?.[1];
    const detail = [code, message].filter(Boolean).join(": ");
    throw new ReportDownloadError(document.reportDocumentId, res.status, `${urlWithoutQuery(document.url)}${detail ? ` (${detail})` : ""}`);
  }
  const contentType = res.headers.get("content-type");
  // fetch already undoes a transport `Content-Encoding: gzip`; then the bytes may or may not still be gzip.
  const transportGzip = /\bgzip\b/i.test(res.headers.get("content-encoding") ?? "");
  const decoded = decodeReportBytes(Readable.fromWeb(res.body as unknown as NodeReadableStream<Uint8Array>), {
    reportDocumentId: document.reportDocumentId,
    compression: document.compressionAlgorithm === "GZIP" ? (transportGzip ? "auto" : "gzip") : "none",
    charset: charsetOf(contentType),
  });
  return {
    document,
    contentType,
    get charset() {
      return decoded.charset;
    },
    text: decoded.text,
  };
}
