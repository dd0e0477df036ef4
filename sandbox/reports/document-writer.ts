// Streams rows into a gzip-compressed, tab-separated report document on disk (bounded memory),
// optionally with malformed rows or a corrupt gzip stream (fault injection).
import { createWriteStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { cooperative } from "../cooperative";

const clean = (v: string) => (v.includes("\t") || v.includes("\n") || v.includes("\r") ? v.replace(/[\t\r\n]+/g, " ") : v);

export interface WriteResult {
  rows: number;
  bytes: number;
}

export async function writeTsvGzip(
  path: string,
  columns: readonly string[],
  rows: Iterable<Record<string, string> | null>,
  opts: { malformedRows?: boolean } = {},
): Promise<WriteResult> {
  let count = 0;
  // Rows come from a synchronous generator; null heartbeats let other requests run meanwhile.
  const yieldNow = cooperative();
  async function* chunks(): AsyncGenerator<string> {
    let buf = `${columns.join("\t")}\n`;
    for (const row of rows) {
      if (row === null) {
        await yieldNow();
        continue;
      }
      count++;
      buf += `${columns.map((c) => clean(row[c] ?? "")).join("\t")}\n`;
      if (opts.malformedRows && count % 7 === 1) {
        // A truncated row (missing columns) and a row with a non-numeric value where numbers go.
        buf += `${columns.slice(0, Math.max(1, columns.length - 3)).map((c) => clean(row[c] ?? "")).join("\t")}\n`;
        buf += `${columns.map((c, i) => (i === Math.floor(columns.length / 2) ? "N/A#" : clean(row[c] ?? ""))).join("\t")}\n`;
      }
      if (buf.length >= 65_536) {
        yield buf;
        buf = "";
      }
    }
    if (buf) yield buf;
  }
  await pipeline(Readable.from(chunks()), createGzip({ level: 6 }), createWriteStream(path));
  return { rows: count, bytes: (await stat(path)).size };
}

export async function writeJsonDocument(path: string, body: unknown): Promise<void> {
  await pipeline(Readable.from([JSON.stringify(body)]), createWriteStream(path));
}

/** Damages a gzip file in place: garbage in the middle and a missing tail, as a broken download would look. */
export async function corruptFile(path: string): Promise<void> {
  const { size } = await stat(path);
  const handle = await open(path, "r+");
  try {
    const at = Math.max(10, Math.floor(size / 2));
    const garbage = Buffer.from("\u0000CORRUPT\u00ff\u00fe", "latin1");
    await handle.write(garbage, 0, garbage.length, Math.min(at, Math.max(0, size - garbage.length)));
    await handle.truncate(Math.max(12, Math.floor(size * 0.8)));
  } finally {
    await handle.close();
  }
}
