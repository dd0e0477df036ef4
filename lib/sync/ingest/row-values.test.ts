import { describe, expect, it } from "vitest";
import { ledgerTable } from "../ledger-tables";
import { LedgerRowError } from "./errors";
import { cleanText, rawJson, RowPreparer } from "./row-values";

describe("row values", () => {
  const orders = new RowPreparer(ledgerTable("OrderItem"));
  const ledger = new RowPreparer(ledgerTable("LedgerDetail"));
  const order = (data: Record<string, unknown>) => orders.prepare({ line: 2, data: { amazonOrderId: "111", purchaseDate: "2026-01-01T00:00:00.000Z", ...data }, raw: {} });
  const value = (name: string, data: Record<string, unknown>) => order(data).values[ledgerTable("OrderItem").columns.findIndex((c) => c.name === name)];

  it("sends money as int8 text from numbers, bigints and digit strings, and refuses what int8 cannot hold", () => {
    expect(value("itemPrice", { itemPrice: 1999 })).toBe("1999");
    expect(value("itemPrice", { itemPrice: -9223372036854775808n })).toBe("-9223372036854775808");
    expect(value("itemPrice", { itemPrice: "9223372036854775807" })).toBe("9223372036854775807");
    for (const bad of [1.5, 2 ** 53, 9223372036854775808n, "12.00", "1e3"]) expect(() => order({ itemPrice: bad })).toThrow(LedgerRowError);
  });

  it("keeps ints within int4, dates real and date-times zoned", () => {
    expect(value("quantity", { quantity: 2147483647 })).toBe(2147483647);
    expect(() => order({ quantity: 2147483648 })).toThrow(/quantity is not a 32-bit integer/);
    expect(value("purchaseDate", { purchaseDate: new Date("2026-01-02T03:04:05.006Z") })).toBe("2026-01-02T03:04:05.006Z");
    expect(value("purchaseDate", { purchaseDate: "2026-01-02T03:04:05-07:00" })).toBe("2026-01-02T03:04:05-07:00");
    for (const bad of ["2026-01-02T03:04:05", "2026-02-30T00:00:00Z", "yesterday", 1767225600000]) expect(() => order({ purchaseDate: bad })).toThrow(/purchaseDate/);
    const settlement = new RowPreparer(ledgerTable("SettlementLine"));
    const posted = (postedDate: unknown) => settlement.prepare({ line: 2, data: { settlementId: "S", postedDate }, raw: {} }).values[ledgerTable("SettlementLine").columns.findIndex((c) => c.name === "postedDate")];
    expect(posted("2024-02-29")).toBe("2024-02-29");
    expect(posted(new Date("2024-02-29T00:00:00Z"))).toBe("2024-02-29");
    expect(posted("0099-01-01")).toBe("0099-01-01");
    for (const bad of ["2023-02-29", "2024-2-1", "2024-13-01"]) expect(() => posted(bad)).toThrow(/postedDate/);
  });

  it("stores an empty text key as \"\" and refuses an empty key of another kind", () => {
    expect(value("sku", { sku: null })).toBe("");
    expect(value("productName", { productName: undefined })).toBeNull();
    expect(() => ledger.prepare({ line: 4, data: { date: "2026-01-01", fnsku: "X", eventType: "E", quantity: null }, raw: {} })).toThrow(
      expect.objectContaining({ line: 4, column: "quantity" }),
    );
  });

  it("refuses unknown columns, a missing raw and raw that is not JSON", () => {
    expect(() => order({ notAColumn: 1 })).toThrow(/notAColumn is not a column/);
    expect(() => orders.prepare({ line: 2, data: { amazonOrderId: "1", purchaseDate: "2026-01-01T00:00:00Z" }, raw: null })).toThrow(/raw/);
    expect(() => orders.prepare({ line: 2, data: { amazonOrderId: "1", purchaseDate: "2026-01-01T00:00:00Z" }, raw: { n: 1n } })).toThrow(/raw/);
  });

  it("replaces NUL and unpaired surrogates, keeps paired ones", () => {
    expect(cleanText("a\u0000b\ud800c\udc00d 🦄")).toBe("a\ufffdb\ufffdc\ufffdd 🦄");
    const cleaned = { "k\ufffd": ["\ufffd", "🦄", "\\u0000 literal"] };
    expect(rawJson({ "k\u0000": ["\ud83e", "🦄", "\\u0000 literal"] })).toEqual({ text: JSON.stringify(cleaned), value: cleaned });
    const clean = { a: ["b"] };
    expect(rawJson(clean)?.value).toBe(clean);
  });

  it("builds key texts no separator inside a value can make equal", () => {
    const key = (fnsku: string, eventType: string) => ledger.keyOf(ledger.prepare({ line: 2, data: { date: "2026-01-01", fnsku, eventType, quantity: 1 }, raw: {} }).values);
    expect(key("a|1:b", "c")).not.toBe(key("a", "b|1:c"));
    expect(key("a", "b")).toBe(ledger.keyOfRow({ line: 9, data: { date: "2026-01-01", fnsku: "a", eventType: "b", quantity: 1, title: "other" }, raw: null }));
  });
});
