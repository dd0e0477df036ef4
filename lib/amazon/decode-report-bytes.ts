// Report document bytes → text chunks: gunzip when Amazon says GZIP, then decode by the charset the
// download declared (ISO-8859-1, read as its superset windows-1252, when it declares none).
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { ReportDocumentCorruptError } from "./errors";

/** Flat files without a declared charset are Latin-1 in NA/EU (sp-api.md §c.3). */
export const DEFAULT_REPORT_CHARSET = "windows-1252";

export interface DecodeOptions {
  reportDocumentId: string;
  /**
   * `gzip`: must be gzip (corrupt otherwise). `auto`: gunzip only when the bytes start with the gzip
   * magic (fetch may already have undone a transport Content-Encoding: gzip). `none`: plain text.
   */
  compression: "gzip" | "auto" | "none";
  /** From the download's Content-Type; DEFAULT_REPORT_CHARSET when absent. */
  charset?: string;
}

export interface DecodedReport {
  /** The charset actually used (after fallback and BOM sniffing). */
  charset: string;
  text: AsyncIterable<string>;
}

/** `text/plain; charset=UTF-8` → `utf-8`; undefined when the header names none. */
export function charsetOf(contentType: string | null | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? "");
  return m?.[1]?.toLowerCase();
}

export function decodeReportBytes(bytes: AsyncIterable<Uint8Array>, options: DecodeOptions): DecodedReport {
  const source = options.compression === "none" ? bytes : maybeGunzip(bytes, options.compression, options.reportDocumentId);
  const declared = options.charset;
  let label = declared ?? DEFAULT_REPORT_CHARSET;
  try {
    new TextDecoder(label);
  } catch {
    label = DEFAULT_REPORT_CHARSET; // an unknown label: Latin-1 never fails to decode
  }
  const result: DecodedReport = { charset: label, text: decode() };
  return result;

  async function* decode(): AsyncGenerator<string> {
    let decoder: TextDecoder | undefined;
    for await (const chunk of source) {
      if (!decoder) {
        // A UTF-8 BOM on an undeclared file means Amazon wrote UTF-8 without saying so.
        if (!declared && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) label = "utf-8";
        result.charset = label;
        decoder = new TextDecoder(label);
      }
      const s = decoder.decode(chunk, { stream: true });
      if (s) yield s;
    }
    const tail = decoder?.decode() ?? "";
    if (tail) yield tail;
  }
}

async function* maybeGunzip(bytes: AsyncIterable<Uint8Array>, mode: "gzip" | "auto", reportDocumentId: string): AsyncGenerator<Uint8Array> {
  const it = bytes[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) {
    if (mode === "gzip") throw new ReportDocumentCorruptError(reportDocumentId, "gzip: empty document");
    return;
  }
  const rest: AsyncIterable<Uint8Array> = {
    async *[Symbol.asyncIterator]() {
      yield first.value;
      for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
    },
  };
  const isGzip = first.value[0] === 0x1f && first.value[1] === 0x8b;
  if (mode === "auto" && !isGzip) yield* rest;
  else yield* gunzip(rest, reportDocumentId);
}

/**
 * Gunzip with corruption mapped to a typed error. The stream is pulled, so a slow consumer slows the
 * download instead of buffering the report.
 */
async function* gunzip(bytes: AsyncIterable<Uint8Array>, reportDocumentId: string): AsyncGenerator<Uint8Array> {
  const input = Readable.from(bytes, { objectMode: false });
  const z = createGunzip();
  input.on("error", (e) => z.destroy(e));
  input.pipe(z);
  let sawOutput = false;
  try {
    for await (const chunk of z as AsyncIterable<Buffer>) {
      sawOutput = true;
      yield chunk;
    }
  } catch (e) {
    if (isZlibError(e)) {
      throw new ReportDocumentCorruptError(reportDocumentId, `gzip: ${(e as Error).message}${sawOutput ? " (after partial output)" : ""}`, e);
    }
    throw e;
  } finally {
    input.destroy();
    z.destroy();
  }
}

function isZlibError(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return typeof code === "string" && code.startsWith("Z_");
}
