// Fulfillment Inbound API v0 payloads (fulfillmentInboundV0.json): getShipments and getShipmentItemsByShipmentId.
import { z } from "zod";

export const SHIPMENT_STATUSES = [
  "WORKING", "READY_TO_SHIP", "SHIPPED", "RECEIVING", "CANCELLED", "DELETED", "CLOSED", "ERROR", "IN_TRANSIT", "DELIVERED", "CHECKED_IN",
] as const;

const addressSchema = z.looseObject({
  Name: z.string().nullish(),
  AddressLine1: z.string().nullish(),
  City: z.string().nullish(),
  StateOrProvinceCode: z.string().nullish(),
  CountryCode: z.string().nullish(),
  PostalCode: z.string().nullish(),
});

export const inboundShipmentInfoSchema = z.looseObject({
  ShipmentId: z.string().nullish(),
  ShipmentName: z.string().nullish(),
  // Required by the model; lenient because we never use the address.
  ShipFromAddress: addressSchema.nullish(),
  DestinationFulfillmentCenterId: z.string().nullish(),
  ShipmentStatus: z.string().nullish(),
  LabelPrepType: z.string().nullish(),
  AreCasesRequired: z.boolean().nullish(),
  ConfirmedNeedByDate: z.string().nullish(),
  BoxContentsSource: z.string().nullish(),
});
export type InboundShipmentInfo = z.infer<typeof inboundShipmentInfoSchema>;

export const getShipmentsResultSchema = z.looseObject({
  ShipmentData: z.array(inboundShipmentInfoSchema).nullish(),
  NextToken: z.string().nullish(),
});
export type GetShipmentsResult = z.infer<typeof getShipmentsResultSchema>;
export const getShipmentsResponseSchema = z.looseObject({ payload: getShipmentsResultSchema });

export const inboundShipmentItemSchema = z.looseObject({
  ShipmentId: z.string().nullish(),
  SellerSKU: z.string(),
  FulfillmentNetworkSKU: z.string().nullish(),
  QuantityShipped: z.number().int(),
  QuantityReceived: z.number().int().nullish(),
  QuantityInCase: z.number().int().nullish(),
  ReleaseDate: z.string().nullish(),
  PrepDetailsList: z.array(z.looseObject({})).nullish(),
});
export type InboundShipmentItem = z.infer<typeof inboundShipmentItemSchema>;

export const getShipmentItemsResultSchema = z.looseObject({
  ItemData: z.array(inboundShipmentItemSchema).nullish(),
  NextToken: z.string().nullish(),
});
export type GetShipmentItemsResult = z.infer<typeof getShipmentItemsResultSchema>;
export const getShipmentItemsResponseSchema = z.looseObject({ payload: getShipmentItemsResultSchema });

export type GetShipmentsParams =
  | { MarketplaceId: string; QueryType: "SHIPMENT"; ShipmentStatusList?: string[]; ShipmentIdList?: string[]; LastUpdatedAfter?: string; LastUpdatedBefore?: string }
  | { MarketplaceId: string; QueryType: "DATE_RANGE"; ShipmentStatusList?: string[]; LastUpdatedAfter: string; LastUpdatedBefore: string }
  | { MarketplaceId: string; QueryType: "NEXT_TOKEN"; NextToken: string };
