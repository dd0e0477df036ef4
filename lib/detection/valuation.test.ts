// The unit-value choice of detection.md §3 from the figures valuation.ts's query finds (the query itself
// is covered by tests/integration/detection/*): which basis wins before and after the sourcing-cost date,
// the fallbacks and their flag, the single-item cap; confidence arithmetic and severity.
import { describe, expect, it } from "vitest";
import { confidence, modifier, severityOf } from "./confidence";
import { money } from "./format";
import { choosePre, totalOf, UNIT_VALUE_CAP_MINOR, type PreRow } from "./valuation";

const row = (figures: Partial<PreRow>): PreRow => ({
  key: "k",
  cost: null,
  costCurrency: null,
  costInvoice: null,
  med: null,
  medCurrency: null,
  medN: null,
  net: null,
  netCurrency: null,
  netUnits: null,
  price: null,
  priceCurrency: null,
  priceSource: null,
  ...figures,
});
const ctx = { defaultCurrency: "USD" };
const after = { key: "k", sku: "S", fnsku: "F", date: "2025-03-31" };
const before = { key: "k", sku: "S", fnsku: "F", date: "2025-03-30" };

describe("unitValuePre", () => {
  it("uses the seller's cost from the sourcing-cost date on", () => {
    expect(choosePre(ctx, after, row({ cost: 800, costCurrency: "USD", med: 1500, net: 2000, price: 3000 }))).toMatchObject({ unitMinor: 800, basis: "seller-cost", fallback: false });
  });
  it("uses average net proceeds before it, not the cost", () => {
    expect(choosePre(ctx, before, row({ cost: 800, net: 1900, netCurrency: "USD", med: 1500 }))).toMatchObject({ unitMinor: 1900, basis: "net-proceeds", fallback: false });
  });
  it("falls back to the median past payout, then 40% of the sale price, then unvalued", () => {
    expect(choosePre(ctx, after, row({ med: 1500, medCurrency: "USD", price: 3000 }))).toMatchObject({ unitMinor: 1500, basis: "reimbursement-median", fallback: true });
    expect(choosePre(ctx, before, row({ price: 2999, priceCurrency: "EUR" }))).toMatchObject({ unitMinor: 1200, basis: "sale-price-40pct", fallback: true, currency: "EUR" });
    expect(choosePre(ctx, after, row({}))).toMatchObject({ unitMinor: 0, basis: "unvalued", fallback: true, currency: "USD" });
  });
  it("caps one item at the single-item cap and says so", () => {
    const v = choosePre(ctx, after, row({ cost: 9_000_000 }));
    expect(v.unitMinor).toBe(UNIT_VALUE_CAP_MINOR);
    expect(v.detail).toMatchObject({ cappedAt: UNIT_VALUE_CAP_MINOR });
    expect(totalOf(v, 3)).toMatchObject({ totalMinor: 3 * UNIT_VALUE_CAP_MINOR, basis: "seller-cost" });
  });
});

describe("confidence and severity", () => {
  it("multiplies the base by the modifiers that apply, lists them, caps at 0.95", () => {
    const c = confidence(0.85, "base", [modifier("a", 0.7, "a"), false, null, modifier("b", 0.8, "b")]);
    expect(c.value).toBe(0.476);
    expect(c.reasons.map((r) => r.code)).toEqual(["base", "a", "b"]);
    expect(confidence(0.9, "base", [modifier("up", 1.2, "up")]).value).toBe(0.95);
  });
  it("grades by expected value", () => {
    expect(severityOf(20_000, 0.8)).toBe("high");
    expect(severityOf(5_000, 0.6)).toBe("medium");
    expect(severityOf(500, 0.5)).toBe("low");
    expect(severityOf(150, 0.5)).toBe("info");
  });
  it("writes money in the currency's minor units", () => {
    expect(money(1234, "USD")).toBe("12.34 USD");
    expect(money(500, "JPY")).toBe("500 JPY");
    expect(money(1234, "KWD")).toBe("1.234 KWD");
  });
});
