// Fulfillment Inbound v0 → InboundShipment and InboundShipmentItem ledger rows, one page at a time.
// getShipments' ShipmentData → one row per shipment (ShipmentId is the key: a shipment without one is
// rejected); getShipmentItemsByShipmentId's ItemData → one row per item (SellerSKU is the key: an item
// without one is rejected). The item's own ShipmentId is stored when it has one (it is what Amazon says
// the item belongs to), else the shipment asked for. Dates (ConfirmedNeedByDate, ReleaseDate) are
// calendar dates `YYYY-MM-DD`; unknown fields (ShipFromAddress, PrepDetailsList, ...) stay in `raw`.
import type { InboundShipmentInfo, InboundShipmentItem } from "../../amazon/models/inbound";
import { type ApiRows, booleanField, calendarDateField, FieldError, intField, mapItems, stringField } from "./ledger-row";

export function inboundShipmentRows(shipments: readonly InboundShipmentInfo[] | null | undefined, startLine: number): ApiRows {
  return mapItems(shipments, startLine, (s) => {
    const shipmentId = stringField(s, "ShipmentId");
    if (shipmentId === null) throw new FieldError("no ShipmentId");
    return {
      shipmentId,
      shipmentName: stringField(s, "ShipmentName"),
      shipmentStatus: stringField(s, "ShipmentStatus"),
      destinationFulfillmentCenterId: stringField(s, "DestinationFulfillmentCenterId"),
      labelPrepType: stringField(s, "LabelPrepType"),
      areCasesRequired: booleanField(s, "AreCasesRequired"),
      confirmedNeedByDate: calendarDateField(s, "ConfirmedNeedByDate"),
      boxContentsSource: stringField(s, "BoxContentsSource"),
    };
  });
}

export function inboundShipmentItemRows(shipmentId: string, items: readonly InboundShipmentItem[] | null | undefined, startLine: number): ApiRows {
  return mapItems(items, startLine, (item) => {
    const sellerSku = stringField(item, "SellerSKU");
    if (sellerSku === null) throw new FieldError("no SellerSKU");
    return {
      shipmentId: stringField(item, "ShipmentId") ?? shipmentId,
      sellerSku,
      fnsku: stringField(item, "FulfillmentNetworkSKU"),
      quantityShipped: intField(item, "QuantityShipped"),
      quantityReceived: intField(item, "QuantityReceived"),
      quantityInCase: intField(item, "QuantityInCase"),
      releaseDate: calendarDateField(item, "ReleaseDate"),
    };
  });
}
