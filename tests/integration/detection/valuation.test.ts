// valuation.ts's queries over real rows: net proceeds from Finances shipment events before the
// sourcing-cost date, 40% of the average order price as the last fallback, and after an order the
// refund's own figures, the sale's, then the order item's price less the fee preview's referral fee.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { unitValuesPost, unitValuesPre } from "@/lib/detection/valuation";
import type { RuleContext } from "@/lib/detection/types";
import { ledgerFor, newSeller } from "./ledger";

const money = (amount: number) => ({ CurrencyCode: "USD", CurrencyAmount: amount });
const ctxFor = (sellerConnectionId: string): RuleContext => ({
  db,
  sellerConnectionId,
  now: new Date("2026-11-05T12:00:00Z"),
  today: "2026-11-05",
  mode: "full",
  scope: null,
  defaultMarketplaceId: "ATVPDKIKX0DER",
  defaultCurrency: "USD",
  sources: new Set(),
  degradedSources: new Set(),
});

describe("unit values", () => {
  it("values a loss before an order from sales (before 2025-03-31) or 40% of the order price", async () => {
    const seller = await newSeller();
    const l = ledgerFor(seller);
    // Two units sold in the 90 days before the loss at 30.00 each, 4.50 referral and 5.00 FBA fee each.
    await l.financialEvent({
      eventType: "Shipment",
      postedDate: "2025-02-01",
      amazonOrderId: "S1",
      raw: {
        AmazonOrderId: "S1",
        ShipmentItemList: [
          {
            SellerSKU: "SKU-N",
            QuantityShipped: 2,
            ItemChargeList: [{ ChargeType: "Principal", ChargeAmount: money(60) }, { ChargeType: "Tax", ChargeAmount: money(4.8) }],
            ItemFeeList: [{ FeeType: "Commission", FeeAmount: money(-9) }, { FeeType: "FBAPerUnitFulfillmentFee", FeeAmount: money(-10) }],
          },
        ],
      },
    });
    await l.orderItem({ amazonOrderId: "S2", sku: "SKU-P", purchaseDate: "2026-09-01", quantity: 2, itemPrice: 5000 });
    const values = await unitValuesPre(ctxFor(seller), [
      { key: "net", sku: "SKU-N", fnsku: "XN", date: "2025-03-01" },
      { key: "price", sku: "SKU-P", fnsku: "XP", date: "2026-10-01" },
      { key: "none", sku: "SKU-Q", fnsku: "XQ", date: "2026-10-01" },
    ]);
    expect(values.get("net")).toMatchObject({ unitMinor: 2050, basis: "net-proceeds", fallback: false, currency: "USD" });
    expect(values.get("price")).toMatchObject({ unitMinor: 1000, basis: "sale-price-40pct", fallback: true });
    expect(values.get("price")!.detail).toMatchObject({ averageSalePriceMinor: 2500, priceSource: "orders, 180 days before the loss" });
    expect(values.get("none")).toMatchObject({ unitMinor: 0, basis: "unvalued" });
  });

  it("takes the sale-price fallback from each loss's own 180 days of orders, then customer shipments, then all orders, then the fee preview", async () => {
    const seller = await newSeller();
    const l = ledgerFor(seller);
    // SKU-W: one order on the window's first day (loss - 180 d), one the day before it, one the day after the loss.
    await l.orderItem({ amazonOrderId: "W1", sku: "SKU-W", purchaseDate: "2026-04-04", quantity: 1, itemPrice: 2000 });
    await l.orderItem({ amazonOrderId: "W0", sku: "SKU-W", purchaseDate: "2026-04-03", quantity: 1, itemPrice: 90000 });
    await l.orderItem({ amazonOrderId: "W2", sku: "SKU-W", purchaseDate: "2026-10-01T23:59:00Z", quantity: 3, itemPrice: 9000 });
    await l.orderItem({ amazonOrderId: "W3", sku: "SKU-W", purchaseDate: "2026-10-02", quantity: 1, itemPrice: 70000 });
    // SKU-C: orders only long before; customer shipments of its FNSKU inside the window (and one outside).
    await l.orderItem({ amazonOrderId: "C0", sku: "SKU-C", purchaseDate: "2025-06-01", quantity: 2, itemPrice: 8000 });
    const shipment = (fnsku: string, day: string, price: number, n: number) =>
      db.customerShipment.create({
        data: { sellerConnectionId: seller, shipmentDate: new Date(`${day}T08:00:00Z`), sku: "SKU-C", fnsku, amazonOrderId: `CS-${n}`, itemPricePerUnit: BigInt(price), currency: "USD", raw: {}, sourceReport: "test", sourceLine: 9000 + n, syncedAt: new Date("2026-11-01T00:00:00Z") },
      });
    await shipment("XC", "2026-09-01", 3000, 1);
    await shipment("XC", "2026-09-15", 5000, 2);
    await shipment("XC", "2026-03-01", 99000, 3);
    // SKU-F: no sales at all, two fee previews (the latest one counts).
    const preview = (day: string, price: number) =>
      db.feePreview.create({ data: { sellerConnectionId: seller, snapshotDate: new Date(`${day}T00:00:00Z`), sku: "SKU-F", salesPrice: BigInt(price), currency: "USD", raw: {}, sourceReport: "test", sourceLine: 1, syncedAt: new Date("2026-11-01T00:00:00Z") } });
    await preview("2026-08-01", 1000);
    await preview("2026-10-20", 6000);
    const values = await unitValuesPre(ctxFor(seller), [
      { key: "window", sku: "SKU-W", fnsku: "XW", date: "2026-10-01" },
      { key: "shipments", sku: "SKU-C", fnsku: "XC", date: "2026-10-01" },
      { key: "all-orders", sku: "SKU-C", fnsku: "XNONE", date: "2026-10-01" },
      { key: "preview", sku: "SKU-F", fnsku: "XF", date: "2026-10-01" },
    ]);
    // (2000 + 9000) / (1 + 3) = 2750; 40% = 1100.
    expect(values.get("window")!.detail).toMatchObject({ averageSalePriceMinor: 2750, priceSource: "orders, 180 days before the loss" });
    expect(values.get("window")).toMatchObject({ unitMinor: 1100, basis: "sale-price-40pct" });
    expect(values.get("shipments")!.detail).toMatchObject({ averageSalePriceMinor: 4000, priceSource: "customer shipments, 180 days before the loss" });
    expect(values.get("all-orders")!.detail).toMatchObject({ averageSalePriceMinor: 4000, priceSource: "orders" });
    expect(values.get("preview")).toMatchObject({ unitMinor: 2400, basis: "sale-price-40pct", currency: "USD" });
    expect(values.get("preview")!.detail).toMatchObject({ priceSource: "fee preview price" });
  });

  it("averages each loss's own 90 days of sales of its SKU, from single-SKU and mixed-item shipment events", async () => {
    const seller = await newSeller();
    const l = ledgerFor(seller);
    const item = (sku: string, qty: number, principal: number, fees: number) => ({
      SellerSKU: sku,
      QuantityShipped: qty,
      ItemChargeList: [{ ChargeType: "Principal", ChargeAmount: money(principal) }],
      ItemFeeList: [{ FeeType: "Commission", FeeAmount: money(-fees) }],
    });
    // 2024-10-01: 100 units at 1.00 net each, more than 90 days before either loss: never counted.
    await l.financialEvent({ eventType: "Shipment", postedDate: "2024-10-01", sellerSku: "SKU-W", raw: { ShipmentItemList: [item("SKU-W", 100, 110, 10)] } });
    // 2024-11-01: 1 unit at 50.00 net, within the January loss's 90 days, before the March loss's.
    await l.financialEvent({ eventType: "Shipment", postedDate: "2024-11-01", sellerSku: "SKU-W", raw: { ShipmentItemList: [item("SKU-W", 1, 55, 5)] } });
    // 2024-12-15 (typed SKU column): 1 unit at 10.00 net.
    await l.financialEvent({ eventType: "Shipment", postedDate: "2024-12-15", sellerSku: "SKU-W", raw: { ShipmentItemList: [item("SKU-W", 1, 12, 2)] } });
    // 2025-02-10, mixed items (no typed SKU): 1 unit of SKU-W at 20.00 net, 5 of another SKU at 100.00.
    await l.financialEvent({ eventType: "Shipment", postedDate: "2025-02-10", raw: { ShipmentItemList: [item("SKU-W", 1, 23, 3), item("SKU-X", 5, 600, 100)] } });
    // A loss on/after the sourcing-cost date is not valued on net proceeds, even with sales before it.
    const values = await unitValuesPre(ctxFor(seller), [
      { key: "jan", sku: "SKU-W", fnsku: "XW", date: "2025-01-05" },
      { key: "mar", sku: "SKU-W", fnsku: "XW", date: "2025-03-01" },
      { key: "x", sku: "SKU-X", fnsku: "XX", date: "2025-02-10" },
      { key: "after", sku: "SKU-W", fnsku: "XW", date: "2025-04-01" },
    ]);
    // jan: 2024-11-01 and 2024-12-15 lie in [2024-10-07, 2025-01-05]: (50.00 + 10.00) / 2.
    expect(values.get("jan")).toMatchObject({ unitMinor: 3000, basis: "net-proceeds" });
    expect(values.get("jan")!.detail).toMatchObject({ unitsSoldPrior90Days: 2 });
    // mar: 2024-12-15 and 2025-02-10 lie in [2024-12-01, 2025-03-01]: (10.00 + 20.00) / 2.
    expect(values.get("mar")).toMatchObject({ unitMinor: 1500, basis: "net-proceeds" });
    expect(values.get("mar")!.detail).toMatchObject({ unitsSoldPrior90Days: 2 });
    // x: the mixed event's own items of SKU-X, on the loss day itself.
    expect(values.get("x")).toMatchObject({ unitMinor: 10000, basis: "net-proceeds" });
    expect(values.get("after")).toMatchObject({ basis: "unvalued" });
  });

  it("values a loss after an order at the refund minus the referral fee, else the sale's figures, else the order price less referral", async () => {
    const seller = await newSeller();
    const l = ledgerFor(seller);
    // A refund of 2 units: 40.00 principal and 4.00 shipping debited, 6.00 referral credited back.
    await l.financialEvent({
      eventType: "Refund",
      postedDate: "2026-09-01",
      amazonOrderId: "R1",
      raw: {
        AmazonOrderId: "R1",
        ShipmentItemAdjustmentList: [
          {
            SellerSKU: "SKU-R",
            QuantityShipped: 2,
            ItemChargeAdjustmentList: [{ ChargeType: "Principal", ChargeAmount: money(-40) }, { ChargeType: "ShippingCharge", ChargeAmount: money(-4) }, { ChargeType: "Tax", ChargeAmount: money(-3.2) }],
            ItemTaxWithheldList: [{ TaxCollectionModel: "MarketplaceFacilitator" }],
            ItemFeeAdjustmentList: [{ FeeType: "Commission", FeeAmount: money(6) }],
          },
        ],
      },
    });
    // No refund, a sale of one unit at 18.00 with 2.70 referral.
    await l.financialEvent({
      eventType: "Shipment",
      postedDate: "2026-08-01",
      amazonOrderId: "R2",
      raw: { AmazonOrderId: "R2", ShipmentItemList: [{ SellerSKU: "SKU-S", QuantityShipped: 1, ItemChargeList: [{ ChargeType: "Principal", ChargeAmount: money(18) }], ItemFeeList: [{ FeeType: "Commission", FeeAmount: money(-2.7) }] }] },
    });
    await l.orderItem({ amazonOrderId: "R3", sku: "SKU-O", purchaseDate: "2026-08-01", quantity: 1, itemPrice: 2000 });
    await db.feePreview.create({
      data: { sellerConnectionId: seller, snapshotDate: new Date("2026-10-01T00:00:00Z"), sku: "SKU-O", estimatedReferralFeePerUnit: 300, raw: {}, sourceReport: "test", sourceLine: 1, syncedAt: new Date() },
    });
    const values = await unitValuesPost(ctxFor(seller), [
      { key: "refund", orderId: "R1", sku: "SKU-R", fnsku: "XR", date: "2026-09-01" },
      { key: "sale", orderId: "R2", sku: "SKU-S", fnsku: "XS", date: "2026-08-01" },
      { key: "order", orderId: "R3", sku: "SKU-O", fnsku: "XO", date: "2026-08-01" },
      { key: "nothing", orderId: "R4", sku: "SKU-X", fnsku: "XX", date: "2026-08-01" },
    ]);
    // (40 + 4 - 6) / 2 = 19.00; the tax Amazon withheld as marketplace facilitator is not the seller's.
    expect(values.get("refund")).toMatchObject({ unitMinor: 1900, basis: "sale-price-minus-fees", fallback: false });
    expect(values.get("sale")).toMatchObject({ unitMinor: 1530, basis: "sale-price-minus-fees", fallback: false });
    expect(values.get("order")).toMatchObject({ unitMinor: 1700, basis: "order-price-minus-referral", fallback: true });
    expect(values.get("nothing")).toMatchObject({ unitMinor: 0, basis: "unvalued", fallback: true });
  });
});
