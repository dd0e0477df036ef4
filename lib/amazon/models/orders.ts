// Orders API v0 payloads (ordersV0.json): getOrders and getOrderItems only.
import { z } from "zod";
import { dateTimeString, moneySchema } from "./common";

export const orderSchema = z.looseObject({
  AmazonOrderId: z.string(),
  SellerOrderId: z.string().nullish(),
  PurchaseDate: dateTimeString,
  LastUpdateDate: dateTimeString,
  OrderStatus: z.string(),
  FulfillmentChannel: z.string().nullish(),
  SalesChannel: z.string().nullish(),
  OrderChannel: z.string().nullish(),
  ShipServiceLevel: z.string().nullish(),
  OrderTotal: moneySchema.nullish(),
  NumberOfItemsShipped: z.number().int().nullish(),
  NumberOfItemsUnshipped: z.number().int().nullish(),
  PaymentMethod: z.string().nullish(),
  MarketplaceId: z.string().nullish(),
  OrderType: z.string().nullish(),
  EarliestShipDate: dateTimeString.nullish(),
  LatestShipDate: dateTimeString.nullish(),
  IsBusinessOrder: z.boolean().nullish(),
  IsPrime: z.boolean().nullish(),
  IsReplacementOrder: z.union([z.boolean(), z.string()]).nullish(),
  ReplacedOrderId: z.string().nullish(),
});
export type Order = z.infer<typeof orderSchema>;

export const ordersListSchema = z.looseObject({
  Orders: z.array(orderSchema),
  NextToken: z.string().nullish(),
  LastUpdatedBefore: z.string().nullish(),
  CreatedBefore: z.string().nullish(),
});
export type OrdersList = z.infer<typeof ordersListSchema>;
export const getOrdersResponseSchema = z.looseObject({ payload: ordersListSchema });

export const orderItemSchema = z.looseObject({
  ASIN: z.string(),
  OrderItemId: z.string(),
  SellerSKU: z.string().nullish(),
  Title: z.string().nullish(),
  QuantityOrdered: z.number().int(),
  QuantityShipped: z.number().int().nullish(),
  ItemPrice: moneySchema.nullish(),
  ShippingPrice: moneySchema.nullish(),
  ItemTax: moneySchema.nullish(),
  ShippingTax: moneySchema.nullish(),
  ShippingDiscount: moneySchema.nullish(),
  PromotionDiscount: moneySchema.nullish(),
  PromotionIds: z.array(z.string()).nullish(),
  ConditionId: z.string().nullish(),
  IsGift: z.union([z.boolean(), z.string()]).nullish(),
});
export type OrderItem = z.infer<typeof orderItemSchema>;

export const orderItemsListSchema = z.looseObject({
  OrderItems: z.array(orderItemSchema),
  NextToken: z.string().nullish(),
  AmazonOrderId: z.string(),
});
export type OrderItemsList = z.infer<typeof orderItemsListSchema>;
export const getOrderItemsResponseSchema = z.looseObject({ payload: orderItemsListSchema });

export interface GetOrdersParams {
  MarketplaceIds: string[];
  /** Exactly one of CreatedAfter / LastUpdatedAfter (ISO, ≥ 2 min before now). */
  CreatedAfter?: string;
  CreatedBefore?: string;
  LastUpdatedAfter?: string;
  LastUpdatedBefore?: string;
  OrderStatuses?: string[];
  FulfillmentChannels?: Array<"AFN" | "MFN">;
  AmazonOrderIds?: string[];
  /** 1–100, default 100. */
  MaxResultsPerPage?: number;
  NextToken?: string;
}
