import { describe, expect, it } from "vitest";
import { type FinancialEvents, listFinancialEventsResponseSchema } from "../../amazon/models/finances";
import { createEventKeyCounter, eventDigest, financialEventRows } from "./financial-events";
import { MODELS_AVAILABLE, MODELS_REQUIRED, staticResponses } from "./model-examples.test-support";

type Json = Record<string, unknown>;

const usd = (amount: number | string) => ({ CurrencyCode: "USD", CurrencyAmount: amount });
const fee = (amount: number, FeeType = "FBAPerUnitFulfillmentFee") => ({ FeeType, FeeAmount: usd(amount) });
const charge = (amount: number, ChargeType = "Principal") => ({ ChargeType, ChargeAmount: usd(amount) });

const storageFee = (): Json => ({
  FeeReason: "FBAStorageFee",
  FeeList: [fee(-12.5, "FBAStorageFee")],
  FeeDescription: "Monthly storage",
});

/** Maps `events` as one page of a fresh window. */
function mapPage(events: Json, startLine = 1) {
  return financialEventRows(events as FinancialEvents, createEventKeyCounter(), startLine);
}

function onlyRow(events: Json) {
  const { rows, rejected } = mapPage(events);
  expect(rejected).toEqual([]);
  expect(rows).toHaveLength(1);
  return rows[0]!.data;
}

function financialEventsOf(body: unknown): Json {
  return (body as { payload: { FinancialEvents: Json } }).payload.FinancialEvents;
}

describe.runIf(MODELS_REQUIRED)("financial events under CI", () => {
  it("finds Amazon's OpenAPI models", () => expect(MODELS_AVAILABLE).toBe(true));
});

describe.skipIf(!MODELS_AVAILABLE)("financial events: Amazon's static sandbox examples", () => {
  it("maps the listFinancialEvents example: one row per event, camelCase fields read, summary amounts not double counted", () => {
    const [example] = staticResponses("financesV0.json", "listFinancialEvents");
    const events = financialEventsOf(example!.response);
    const { rows, rejected, nextLine } = mapPage(events);
    expect(rejected).toEqual([]);
    expect(rows.map((r) => [r.line, r.data.eventType])).toEqual([
      [1, "PayWithAmazon"],
      [2, "ServiceProviderCredit"],
      [3, "RentalTransaction"],
      [4, "ProductAdsPayment"],
    ]);
    expect(nextLine).toBe(5);
    const byType = Object.fromEntries(rows.map((r) => [r.data.eventType, r]));
    // Charge + one fee.
    expect(byType.PayWithAmazon!.data).toMatchObject({ totalAmount: 5074, currency: "USD", sellerOrderId: "454645645656456", postedDate: "2020-02-05T13:56:00.363Z" });
    expect(byType.ServiceProviderCredit!.data).toMatchObject({ totalAmount: 2537, postedDate: "2020-02-05T13:56:00.363Z" });
    // Charge + fee + reimbursement + tax withheld; RentalInitialValue is a reference, not money moved.
    expect(byType.RentalTransaction!.data).toMatchObject({ totalAmount: 4 * 2537, amazonOrderId: "444-555-3343433", marketplaceName: "1" });
    // transactionValue = baseValue + taxValue: only the total counts.
    expect(byType.ProductAdsPayment!.data).toMatchObject({ totalAmount: 2537, currency: "USD", postedDate: "2020-02-05T13:56:00.363Z" });
    expect(byType.ProductAdsPayment!.raw).toBe((events.ProductAdsPaymentEventList as unknown[])[0]);
  });

  it("maps the by-group and by-order examples: every list, typed columns, totals", () => {
    const [byGroup] = staticResponses("financesV0.json", "listFinancialEventsByGroupId");
    const [byOrder] = staticResponses("financesV0.json", "listFinancialEventsByOrderId");
    const counter = createEventKeyCounter();
    const page1 = financialEventRows(financialEventsOf(byGroup!.response) as FinancialEvents, counter, 1);
    const page2 = financialEventRows(financialEventsOf(byOrder!.response) as FinancialEvents, counter, page1.nextLine);
    expect([...page1.rejected, ...page2.rejected]).toEqual([]);
    const rows = [...page1.rows, ...page2.rows];
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const data = Object.fromEntries(rows.map((r) => [r.data.eventType, r.data]));
    expect(Object.keys(data)).toEqual([
      "Chargeback", "ImagingServicesFee", "NetworkComminglingTransaction", "AffordabilityExpenseReversal", "TrialShipment", "TaxWithholding",
      "Retrocharge", "RentalTransaction", "ProductAdsPayment", "ServiceFee",
    ]);
    // 7 order/shipment-level amounts + 9 per item × 2 items, all 25.37.
    expect(data.Chargeback).toMatchObject({ totalAmount: 25 * 2537, currency: "USD", sellerSku: "456454455464", quantity: 0, amazonOrderId: "444-555-3343433", sellerOrderId: "454645645656456" });
    expect(data.ImagingServicesFee).toMatchObject({ totalAmount: 2537, asin: "4564565456456546456" });
    expect(data.NetworkComminglingTransaction).toMatchObject({ totalAmount: 2 * 2537, asin: "464567656576" });
    expect(data.AffordabilityExpenseReversal).toMatchObject({ totalAmount: 2537 }); // TotalExpense only
    expect(data.TrialShipment).toMatchObject({ totalAmount: 2537, sellerSku: "456454455464" });
    expect(data.TaxWithholding).toMatchObject({ totalAmount: 2537 }); // WithheldAmount, not BaseAmount
    expect(data.Retrocharge).toMatchObject({ totalAmount: 3 * 2537, marketplaceName: "1" });
    expect(data.ServiceFee).toMatchObject({ totalAmount: 2537, feeReason: "Free", sellerSku: "456454455464", fnsku: "Fn134", asin: "KJHJ457648GHD", postedDate: null });
    for (const r of rows) expect(r.data.eventKey).toMatch(/^[0-9a-f]{64}:1$/);
  });

  it("gives the same keys to the payload as received and as the client's zod check returns it", () => {
    const [example] = staticResponses("financesV0.json", "listFinancialEventsByGroupId");
    const parsed = listFinancialEventsResponseSchema.parse(example!.response).payload.FinancialEvents;
    const keys = (e: unknown) => mapPage(e as Json).rows.map((r) => r.data.eventKey);
    expect(keys(parsed)).toEqual(keys(financialEventsOf(example!.response)));
  });
});

describe("financial event keys", () => {
  it("numbers identical events within a window, across its pages, and gives a re-read the same keys", () => {
    const readWindow = () => {
      const counter = createEventKeyCounter();
      const page1 = financialEventRows({ ServiceFeeEventList: [storageFee(), storageFee()] } as FinancialEvents, counter, 1);
      const page2 = financialEventRows({ ServiceFeeEventList: [storageFee()] } as FinancialEvents, counter, page1.nextLine);
      return [...page1.rows, ...page2.rows].map((r) => r.data.eventKey as string);
    };
    const first = readWindow();
    const digest = eventDigest(storageFee());
    expect(first).toEqual([`${digest}:1`, `${digest}:2`, `${digest}:3`]);
    expect(new Set(first).size).toBe(3);
    expect(readWindow()).toEqual(first);
  });

  it("counts per event type: the same content in two lists is two first occurrences", () => {
    const ev = { PostedDate: "2025-03-01T00:00:00Z", TransactionAmount: usd(-5) };
    const { rows } = mapPage({ ValueAddedServiceChargeEventList: [ev], CapacityReservationBillingEventList: [{ ...ev }] });
    expect(rows.map((r) => r.data.eventKey)).toEqual([`${eventDigest(ev)}:1`, `${eventDigest(ev)}:1`]);
    expect(rows.map((r) => r.data.eventType)).toEqual(["ValueAddedServiceCharge", "CapacityReservationBilling"]);
  });

  it("digests canonical JSON: key order does not change the key, a different amount does", () => {
    const a = { FeeReason: "X", FeeList: [{ FeeType: "T", FeeAmount: { CurrencyCode: "USD", CurrencyAmount: 1.5 } }] };
    const b = { FeeList: [{ FeeAmount: { CurrencyAmount: 1.5, CurrencyCode: "USD" }, FeeType: "T" }], FeeReason: "X" };
    expect(eventDigest(b)).toBe(eventDigest(a));
    expect(eventDigest({ ...a, FeeList: [fee(1.51, "T")] })).not.toBe(eventDigest(a));
    expect(eventDigest(a)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("financial event totals", () => {
  it("sums amounts as decimals, with no float drift", () => {
    // 1.15 * 100 and 4.35 * 100 are not integers in floating point; 0.1 + 0.2 is not 0.3.
    const data = onlyRow({ ServiceFeeEventList: [{ FeeList: [fee(1.15), fee(4.35), fee(0.1), fee(0.2)] }] });
    expect(data).toMatchObject({ totalAmount: 580, currency: "USD" });
    expect(onlyRow({ ServiceFeeEventList: [{ FeeList: [fee(-0.1), fee(-0.2), fee(0.3)] }] }).totalAmount).toBe(0);
    // Amazon sometimes sends the amount as a string.
    expect(onlyRow({ ServiceFeeEventList: [{ FeeList: [fee(-1.1), { FeeType: "X", FeeAmount: usd("-2.205") }] }] }).totalAmount).toBe(-331);
  });

  it("uses each currency's minor unit: JPY has none, KWD has three", () => {
    const yen = onlyRow({ ServiceFeeEventList: [{ FeeList: [{ FeeType: "F", FeeAmount: { CurrencyCode: "JPY", CurrencyAmount: -1500 } }, { FeeType: "G", FeeAmount: { CurrencyCode: "JPY", CurrencyAmount: -33 } }] }] });
    expect(yen).toMatchObject({ totalAmount: -1533, currency: "JPY" });
    const dinar = onlyRow({ ServiceFeeEventList: [{ FeeList: [{ FeeType: "F", FeeAmount: { CurrencyCode: "KWD", CurrencyAmount: 1.234 } }] }] });
    expect(dinar).toMatchObject({ totalAmount: 1234, currency: "KWD" });
  });

  it("leaves the total null when currencies are mixed, an amount has no currency, or there is no money", () => {
    const mixed = onlyRow({ ServiceFeeEventList: [{ FeeList: [fee(-1), { FeeType: "F", FeeAmount: { CurrencyCode: "CAD", CurrencyAmount: -1 } }] }] });
    expect(mixed).toMatchObject({ totalAmount: null, currency: null });
    expect(onlyRow({ ServiceFeeEventList: [{ FeeList: [fee(-1), { FeeType: "F", FeeAmount: { CurrencyAmount: -1 } }] }] })).toMatchObject({ totalAmount: null, currency: null });
    expect(onlyRow({ ServiceFeeEventList: [{ FeeReason: "none", FeeList: [] }] })).toMatchObject({ totalAmount: null, currency: null });
    // A money value without an amount is absent, not zero and not a reason to drop the total.
    expect(onlyRow({ ServiceFeeEventList: [{ FeeList: [fee(-1), { FeeType: "F", FeeAmount: { CurrencyCode: "CAD", CurrencyAmount: null } }] }] })).toMatchObject({ totalAmount: -100, currency: "USD" });
  });

  it("AdjustmentEvent: AdjustmentAmount when present, else the items' TotalAmount; never PerUnitAmount × Quantity", () => {
    const item = (sku: string, qty: string, perUnit: number, total: number) => ({
      Quantity: qty, PerUnitAmount: usd(perUnit), TotalAmount: usd(total), SellerSKU: sku, FnSKU: `X-${sku}`, ASIN: `B-${sku}`,
    });
    const withAmount = onlyRow({
      AdjustmentEventList: [{ AdjustmentType: "FBAInventoryReimbursement", PostedDate: "2025-03-04T10:00:00+01:00", AdjustmentAmount: usd(24.9), AdjustmentItemList: [item("A", "3", 8.3, 24.9)] }],
    });
    expect(withAmount).toMatchObject({
      eventType: "Adjustment", adjustmentType: "FBAInventoryReimbursement", postedDate: "2025-03-04T09:00:00.000Z",
      totalAmount: 2490, currency: "USD", sellerSku: "A", fnsku: "X-A", asin: "B-A", quantity: 3,
    });
    const withoutAmount = onlyRow({ AdjustmentEventList: [{ AdjustmentType: "WAREHOUSE_DAMAGE", AdjustmentItemList: [item("A", "2", 5, 10), item("B", "1", 7.25, 7.25)] }] });
    expect(withoutAmount).toMatchObject({ totalAmount: 1725, sellerSku: null, fnsku: null, asin: null, quantity: 3 });
    const sameSku = onlyRow({ AdjustmentEventList: [{ AdjustmentAmount: null, AdjustmentItemList: [item("A", "2", 5, 10), item("A", "1", 5, 5)] }] });
    expect(sameSku).toMatchObject({ totalAmount: 1500, sellerSku: "A", quantity: 3 });
  });

  it("ShipmentEvent: nets charges, fees, promotions and tax withheld over its items; SKU only when the items share one", () => {
    const item = (sku: string, qty: number) => ({
      SellerSKU: sku, OrderItemId: `oi-${sku}`, QuantityShipped: qty,
      ItemChargeList: [charge(19.99), charge(1.6, "Tax")],
      ItemFeeList: [fee(-3.0, "Commission"), fee(-3.22)],
      PromotionList: [{ PromotionType: "PromotionMetaDataDefinitionValue", PromotionId: "p", PromotionAmount: usd(-1) }],
      ItemTaxWithheldList: [{ TaxCollectionModel: "MarketplaceFacilitator", TaxesWithheld: [charge(-1.6, "MarketplaceFacilitatorTax-Principal")] }],
    });
    const two = onlyRow({ ShipmentEventList: [{ AmazonOrderId: "111-1", MarketplaceName: "Amazon.com", PostedDate: "2025-03-01T12:00:00Z", ShipmentItemList: [item("A", 2), item("B", 1)] }] });
    // Per item: 19.99 + 1.60 − 3.00 − 3.22 − 1.00 − 1.60 = 12.77.
    expect(two).toMatchObject({ eventType: "Shipment", amazonOrderId: "111-1", marketplaceName: "Amazon.com", totalAmount: 2 * 1277, sellerSku: null, quantity: 3 });
    const one = onlyRow({ RefundEventList: [{ AmazonOrderId: "111-2", ShipmentItemAdjustmentList: [item("A", 1)] }] });
    expect(one).toMatchObject({ eventType: "Refund", totalAmount: 1277, sellerSku: "A", quantity: 1 });
  });

  it("counts a summary amount instead of its breakdown (coupon, deal, debt recovery)", () => {
    const coupon = onlyRow({ CouponPaymentEventList: [{ CouponId: "c", FeeComponent: fee(-0.6, "CouponRedemptionFee"), ChargeComponent: charge(-2), TotalAmount: usd(-2.6) }] });
    expect(coupon.totalAmount).toBe(-260);
    const deal = onlyRow({ SellerDealPaymentEventList: [{ postedDate: "2025-03-01T00:00:00Z", feeAmount: usd(-70), taxAmount: usd(-7), totalAmount: usd(-77) }] });
    expect(deal).toMatchObject({ totalAmount: -7700, postedDate: "2025-03-01T00:00:00.000Z" });
    const debt = onlyRow({
      DebtRecoveryEventList: [{
        DebtRecoveryType: "DebtPayment", RecoveryAmount: usd(50), OverPaymentCredit: usd(2),
        DebtRecoveryItemList: [{ RecoveryAmount: usd(50), OriginalAmount: usd(80) }],
        ChargeInstrumentList: [{ Description: "card", Tail: "1234", Amount: usd(50) }],
      }],
    });
    expect(debt.totalAmount).toBe(5200);
  });
});

describe("financial event lists", () => {
  it("keeps lists the model lacks and camelCase list keys, and ignores keys that are not event lists", () => {
    const bond = { PostedDate: "2025-03-02T00:00:00Z", Amount: usd(100), ReasonCode: "Refund" };
    const { rows, rejected } = mapPage({
      PerformanceBondRefundEventList: [bond],
      sellerDealPaymentEventList: [{ postedDate: "2025-03-03T00:00:00Z", totalAmount: usd(-1) }],
      SomethingElse: [{ PostedDate: "2025-03-04T00:00:00Z" }],
      ShipmentEventList: null,
      RefundEventList: [],
    });
    expect(rejected).toEqual([]);
    expect(rows.map((r) => [r.line, r.data.eventType, r.data.totalAmount])).toEqual([
      [1, "PerformanceBondRefund", 10000],
      [2, "SellerDealPayment", -100],
    ]);
    expect(rows[0]!.raw).toBe(bond);
    expect(rows[0]!.data.postedDate).toBe("2025-03-02T00:00:00.000Z");
  });

  it("fills every typed column, absent ones null, and nothing the writer adds", () => {
    const data = onlyRow({ ServiceFeeEventList: [storageFee()] });
    expect(Object.keys(data).sort()).toEqual(
      ["eventType", "eventKey", "postedDate", "amazonOrderId", "sellerOrderId", "marketplaceName", "adjustmentType", "feeReason", "sellerSku", "fnsku", "asin", "quantity", "totalAmount", "currency"].sort(),
    );
    expect(data).toMatchObject({ eventType: "ServiceFee", feeReason: "FBAStorageFee", totalAmount: -1250, currency: "USD", postedDate: null, amazonOrderId: null, quantity: null });
  });

  it("rejects a malformed event with its line and reason, keeps the rest, and never throws", () => {
    const good = storageFee();
    const page = {
      ServiceFeeEventList: [good, null, { FeeList: [{ FeeType: "F", FeeAmount: { CurrencyCode: "USD", CurrencyAmount: "lots" } }] }],
      AdjustmentEventList: [{ PostedDate: "not a date", AdjustmentAmount: usd(1) }, { AdjustmentItemList: [{ Quantity: "two", TotalAmount: usd(1) }] }],
      RefundEventList: { AmazonOrderId: "not a list" },
      ShipmentEventList: [{ AmazonOrderId: 12345 }, storageFee()],
    };
    let result!: ReturnType<typeof mapPage>;
    expect(() => (result = mapPage(page, 11))).not.toThrow();
    expect(result.rows.map((r) => r.line)).toEqual([11, 18]);
    expect(result.rejected.map((r) => r.line)).toEqual([12, 13, 14, 15, 16, 17]);
    expect(result.nextLine).toBe(19);
    const reasons = result.rejected.map((r) => r.reason);
    expect(reasons[0]).toMatch(/not an object/);
    expect(reasons[1]).toMatch(/CurrencyAmount/);
    expect(reasons[2]).toMatch(/PostedDate/);
    expect(reasons[3]).toMatch(/Quantity/);
    expect(reasons[4]).toMatch(/RefundEventList is not a list/);
    expect(reasons[5]).toMatch(/AmazonOrderId/);
    expect(result.rejected[3]!.text).toBe(JSON.stringify(page.AdjustmentEventList[1]));
    expect(result.rows[0]!.raw).toBe(good);
  });

  it("returns nothing for a page without FinancialEvents", () => {
    expect(financialEventRows(undefined, createEventKeyCounter(), 7)).toEqual({ rows: [], rejected: [], nextLine: 7 });
    expect(financialEventRows(null, createEventKeyCounter(), 1).rows).toEqual([]);
  });
});
