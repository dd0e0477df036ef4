// FBA Inventory v1 getInventorySummaries (details=true) → InventorySummary ledger rows: one row per SKU
// per snapshot day and marketplace; the caller names the marketplace (the response carries it per
// query, not per summary) and the ledger writer adds the snapshot day, as it does for snapshot reports.
// The breakdown objects are flattened: reservedQuantity = reservedQuantity.totalReservedQuantity,
// researchingQuantity = researchingQuantity.totalResearchingQuantity, unfulfillableQuantity =
// unfulfillableQuantity.totalUnfulfillableQuantity, warehouseDamagedQuantity =
// unfulfillableQuantity.warehouseDamagedQuantity; the other parts stay in `raw`. Without details the
// quantities other than totalQuantity are null. A summary without sellerSku (the key) is rejected;
// lastUpdatedTime "" (Amazon sends it for never-updated SKUs) is null.
import type { InventorySummary } from "../../amazon/models/inventory";
import { type ApiRows, dateTimeField, FieldError, intField, isObject, type JsonObject, mapItems, stringField } from "./ledger-row";

export function inventorySummaryRows(
  summaries: readonly InventorySummary[] | null | undefined,
  marketplaceId: string,
  startLine: number,
): ApiRows {
  return mapItems(summaries, startLine, (s) => {
    const sellerSku = stringField(s, "sellerSku");
    if (sellerSku === null) throw new FieldError("no sellerSku");
    const details = objectField(s, "inventoryDetails");
    const reserved = objectField(details, "reservedQuantity");
    const researching = objectField(details, "researchingQuantity");
    const unfulfillable = objectField(details, "unfulfillableQuantity");
    return {
      marketplaceId,
      sellerSku,
      fnsku: stringField(s, "fnSku"),
      asin: stringField(s, "asin"),
      condition: stringField(s, "condition"),
      totalQuantity: intField(s, "totalQuantity"),
      fulfillableQuantity: intField(details, "fulfillableQuantity"),
      inboundWorkingQuantity: intField(details, "inboundWorkingQuantity"),
      inboundShippedQuantity: intField(details, "inboundShippedQuantity"),
      inboundReceivingQuantity: intField(details, "inboundReceivingQuantity"),
      reservedQuantity: intField(reserved, "totalReservedQuantity"),
      researchingQuantity: intField(researching, "totalResearchingQuantity"),
      unfulfillableQuantity: intField(unfulfillable, "totalUnfulfillableQuantity"),
      warehouseDamagedQuantity: intField(unfulfillable, "warehouseDamagedQuantity"),
      lastUpdatedTime: dateTimeField(s, "lastUpdatedTime"),
    };
  });
}

/** A nested object field; absent is an empty object (its fields read as null), anything else malformed. */
function objectField(obj: JsonObject, name: string): JsonObject {
  const v = obj[name];
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw new FieldError(`${name} is not an object`);
  return v;
}
