import { describe, expect, it } from "vitest";
import type { InboundShipmentInfo, InboundShipmentItem } from "../../amazon/models/inbound";
import { getShipmentItemsResponseSchema, getShipmentsResponseSchema } from "../../amazon/models/inbound";
import { inboundShipmentItemRows, inboundShipmentRows } from "./inbound-shipments";
import { MODELS_AVAILABLE, MODELS_REQUIRED, staticResponses } from "./model-examples.test-support";

describe.runIf(MODELS_REQUIRED)("inbound shipments under CI", () => {
  it("finds Amazon's OpenAPI models", () => expect(MODELS_AVAILABLE).toBe(true));
});

describe.skipIf(!MODELS_AVAILABLE)("inbound shipments: Amazon's static sandbox examples", () => {
  it("maps the getShipments example to one shipment row", () => {
    const [example] = staticResponses("fulfillmentInboundV0.json", "getShipments");
    const shipments = getShipmentsResponseSchema.parse(example!.response).payload.ShipmentData!;
    const { rows, rejected, nextLine } = inboundShipmentRows(shipments, 1);
    expect(rejected).toEqual([]);
    expect(nextLine).toBe(2);
    expect(rows).toEqual([
      {
        line: 1,
        data: {
          shipmentId: "FBA15DJ9S3J5",
          shipmentName: "FBA (2/11/20, 11:18 AM) - 1",
          shipmentStatus: "SHIPPED",
          destinationFulfillmentCenterId: "MKC6",
          labelPrepType: "SELLER_LABEL",
          areCasesRequired: null, // required by the model, absent from Amazon's own example
          confirmedNeedByDate: null,
          boxContentsSource: "INTERACTIVE",
        },
        raw: shipments[0],
      },
    ]);
    expect(rows[0]!.raw).toHaveProperty("ShipFromAddress.City", "Seattle");
  });

  it("maps the getShipmentItemsByShipmentId example, keeping the shipment id the item states", () => {
    const [example] = staticResponses("fulfillmentInboundV0.json", "getShipmentItemsByShipmentId");
    const asked = example!.request.parameters.shipmentId!.value as string;
    const items = getShipmentItemsResponseSchema.parse(example!.response).payload.ItemData!;
    const { rows, rejected } = inboundShipmentItemRows(asked, items, 1);
    expect(rejected).toEqual([]);
    expect(rows).toHaveLength(1);
    // Amazon's example asks for FBA15DJ9SVVD and answers an item of FBA15DF2763D.
    expect(asked).toBe("FBA15DJ9SVVD");
    expect(rows[0]!.data).toEqual({
      shipmentId: "FBA15DF2763D",
      sellerSku: "CR-47K6-H6QN",
      fnsku: "X0014BIZ8T",
      quantityShipped: 4,
      quantityReceived: 0,
      quantityInCase: 0,
      releaseDate: "2013-05-29",
    });
    expect(rows[0]!.raw).toBe(items[0]);
  });
});

describe("inbound shipments", () => {
  it("reads dates as calendar days and flags as booleans, lines from the running offset", () => {
    const shipments: InboundShipmentInfo[] = [
      { ShipmentId: "FBA1", ShipmentStatus: "CLOSED", AreCasesRequired: true, ConfirmedNeedByDate: "2025-04-30" },
      { ShipmentId: "FBA2", AreCasesRequired: false, ConfirmedNeedByDate: "", ShipmentName: "" },
    ];
    const { rows, nextLine } = inboundShipmentRows(shipments, 101);
    expect(rows.map((r) => r.line)).toEqual([101, 102]);
    expect(nextLine).toBe(103);
    expect(rows[0]!.data).toMatchObject({ shipmentId: "FBA1", shipmentStatus: "CLOSED", areCasesRequired: true, confirmedNeedByDate: "2025-04-30" });
    expect(rows[1]!.data).toMatchObject({ shipmentId: "FBA2", areCasesRequired: false, confirmedNeedByDate: null, shipmentName: null, shipmentStatus: null });
  });

  it("gives items without a ShipmentId the shipment asked for", () => {
    const items: InboundShipmentItem[] = [{ SellerSKU: "A", QuantityShipped: 10, QuantityReceived: 7 }];
    const { rows } = inboundShipmentItemRows("FBA9", items, 1);
    expect(rows[0]!.data).toEqual({ shipmentId: "FBA9", sellerSku: "A", fnsku: null, quantityShipped: 10, quantityReceived: 7, quantityInCase: null, releaseDate: null });
  });

  it("rejects shipments and items that lack their key or carry wrong types, with their lines, without throwing", () => {
    const shipments = [{ ShipmentName: "no id" }, { ShipmentId: "FBA3", AreCasesRequired: "maybe" }, { ShipmentId: "FBA4" }, "junk"] as unknown as InboundShipmentInfo[];
    const s = inboundShipmentRows(shipments, 5);
    expect(s.rows.map((r) => [r.line, r.data.shipmentId])).toEqual([[7, "FBA4"]]);
    expect(s.rejected.map((r) => r.line)).toEqual([5, 6, 8]);
    expect(s.rejected[0]!.reason).toMatch(/ShipmentId/);
    expect(s.rejected[1]!.reason).toMatch(/AreCasesRequired/);
    expect(s.rejected[0]!.text).toBe(JSON.stringify({ ShipmentName: "no id" }));

    const items = [{ QuantityShipped: 1 }, { SellerSKU: "B", QuantityShipped: 1.5 }, { SellerSKU: "C", QuantityShipped: 2, ReleaseDate: "soon" }, { SellerSKU: "D", QuantityShipped: 3 }] as unknown as InboundShipmentItem[];
    const i = inboundShipmentItemRows("FBA5", items, 1);
    expect(i.rows.map((r) => r.data.sellerSku)).toEqual(["D"]);
    expect(i.rejected.map((r) => [r.line, r.reason])).toEqual([
      [1, expect.stringMatching(/SellerSKU/)],
      [2, expect.stringMatching(/QuantityShipped/)],
      [3, expect.stringMatching(/ReleaseDate/)],
    ]);
  });
});
