import { describe, expect, it } from "vitest";
import { copyField, copyText, recordsetJson, type StagedRow } from "./batch-encoding";

/** COPY text format's decoding (PostgreSQL docs, "Text Format"), for the fields we write. */
function decodeCopyField(field: string): string | null {
  if (field === "\\N") return null;
  return field.replace(/\\(.)/g, (_, c: string) => ({ n: "\n", r: "\r", t: "\t", "\\": "\\" })[c] ?? c);
}

const nasty = "a\tb\nc\r\nd \\ \\N \\. e\\\\t 🦄 é";

describe("batch encoding", () => {
  it("writes COPY fields that decode to the value: no raw tab, newline or lone backslash", () => {
    for (const v of [nasty, "", "\\", "\\N", "plain"]) {
      const field = copyField(v);
      expect(field).not.toMatch(/[\t\n\r]/);
      expect(decodeCopyField(field)).toBe(v);
    }
    expect([copyField(null), copyField(true), copyField(false), copyField(-5)]).toEqual(["\\N", "t", "f", "-5"]);
  });

  it("writes one line per row, in chunks of whole lines", () => {
    const rows: StagedRow[] = Array.from({ length: 50 }, (_, i) => ({ line: i + 2, values: [nasty, i, null], raw: JSON.stringify({ v: nasty }), rawValue: { v: nasty }, occurrence: 1 }));
    const chunks = [...copyText(rows, true, 500)];
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.endsWith("\n")).toBe(true);
    const lines = chunks.join("").split("\n").slice(0, -1);
    expect(lines).toHaveLength(50);
    expect(lines[3]!.split("\t").map(decodeCopyField)).toEqual([nasty, "3", null, JSON.stringify({ v: nasty }), "5", "1"]);
  });

  it("writes the insert path's JSON with raw as JSON", () => {
    const rows: StagedRow[] = [{ line: 7, values: [nasty, 3, null, true], raw: JSON.stringify({ v: [nasty] }), rawValue: { v: [nasty] }, occurrence: 2 }];
    expect(JSON.parse(recordsetJson(rows, true))).toEqual([{ c0: nasty, c1: 3, c2: null, c3: true, r: { v: [nasty] }, l: 7, o: 2 }]);
    expect(JSON.parse(recordsetJson(rows, false))[0]).not.toHaveProperty("o");
  });
});
