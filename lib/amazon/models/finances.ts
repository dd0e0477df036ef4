// Finances API v0 payloads (financesV0.json). Event lists are typed loosely: real payloads add lists
// the model lacks and some lists use camelCase keys (sp-api.md §e).
import { z } from "zod";
import { currencySchema, dateTimeString } from "./common";

const chargeComponent = z.looseObject({ ChargeType: z.string().nullish(), ChargeAmount: currencySchema.nullish() });
const feeComponent = z.looseObject({ FeeType: z.string().nullish(), FeeAmount: currencySchema.nullish() });
const promotion = z.looseObject({ PromotionType: z.string().nullish(), PromotionId: z.string().nullish(), PromotionAmount: currencySchema.nullish() });

export const shipmentItemSchema = z.looseObject({
  SellerSKU: z.string().nullish(),
  OrderItemId: z.string().nullish(),
  OrderAdjustmentItemId: z.string().nullish(),
  QuantityShipped: z.number().int().nullish(),
  ItemChargeList: z.array(chargeComponent).nullish(),
  ItemChargeAdjustmentList: z.array(chargeComponent).nullish(),
  ItemFeeList: z.array(feeComponent).nullish(),
  ItemFeeAdjustmentList: z.array(feeComponent).nullish(),
  ItemTaxWithheldList: z.array(z.looseObject({})).nullish(),
  PromotionList: z.array(promotion).nullish(),
  PromotionAdjustmentList: z.array(promotion).nullish(),
  CostOfPointsGranted: currencySchema.nullish(),
  CostOfPointsReturned: currencySchema.nullish(),
});

export const shipmentEventSchema = z.looseObject({
  AmazonOrderId: z.string().nullish(),
  SellerOrderId: z.string().nullish(),
  MarketplaceName: z.string().nullish(),
  StoreName: z.string().nullish(),
  PostedDate: dateTimeString.nullish(),
  OrderChargeList: z.array(chargeComponent).nullish(),
  OrderChargeAdjustmentList: z.array(chargeComponent).nullish(),
  ShipmentFeeList: z.array(feeComponent).nullish(),
  ShipmentFeeAdjustmentList: z.array(feeComponent).nullish(),
  OrderFeeList: z.array(feeComponent).nullish(),
  OrderFeeAdjustmentList: z.array(feeComponent).nullish(),
  DirectPaymentList: z.array(z.looseObject({})).nullish(),
  ShipmentItemList: z.array(shipmentItemSchema).nullish(),
  ShipmentItemAdjustmentList: z.array(shipmentItemSchema).nullish(),
});
export type ShipmentEvent = z.infer<typeof shipmentEventSchema>;

export const adjustmentItemSchema = z.looseObject({
  Quantity: z.string().nullish(),
  PerUnitAmount: currencySchema.nullish(),
  TotalAmount: currencySchema.nullish(),
  SellerSKU: z.string().nullish(),
  FnSKU: z.string().nullish(),
  ProductDescription: z.string().nullish(),
  ASIN: z.string().nullish(),
  TransactionNumber: z.string().nullish(),
});

export const adjustmentEventSchema = z.looseObject({
  AdjustmentType: z.string().nullish(),
  PostedDate: dateTimeString.nullish(),
  StoreName: z.string().nullish(),
  AdjustmentAmount: currencySchema.nullish(),
  AdjustmentItemList: z.array(adjustmentItemSchema).nullish(),
});
export type AdjustmentEvent = z.infer<typeof adjustmentEventSchema>;

export const serviceFeeEventSchema = z.looseObject({
  AmazonOrderId: z.string().nullish(),
  FeeReason: z.string().nullish(),
  FeeList: z.array(feeComponent).nullish(),
  SellerSKU: z.string().nullish(),
  FnSKU: z.string().nullish(),
  FeeDescription: z.string().nullish(),
  ASIN: z.string().nullish(),
  StoreName: z.string().nullish(),
});

export const safetReimbursementEventSchema = z.looseObject({
  PostedDate: dateTimeString.nullish(),
  SAFETClaimId: z.string().nullish(),
  ReimbursedAmount: currencySchema.nullish(),
  ReasonCode: z.string().nullish(),
  SAFETReimbursementItemList: z.array(z.looseObject({})).nullish(),
});

const anyEvent = z.looseObject({});

/** The 34 lists of the model; the ones the reimbursement rules read are typed, the rest stay open objects. */
export const financialEventsSchema = z.looseObject({
  ShipmentEventList: z.array(shipmentEventSchema).nullish(),
  ShipmentSettleEventList: z.array(shipmentEventSchema).nullish(),
  RefundEventList: z.array(shipmentEventSchema).nullish(),
  GuaranteeClaimEventList: z.array(shipmentEventSchema).nullish(),
  ChargebackEventList: z.array(shipmentEventSchema).nullish(),
  AdjustmentEventList: z.array(adjustmentEventSchema).nullish(),
  ServiceFeeEventList: z.array(serviceFeeEventSchema).nullish(),
  SAFETReimbursementEventList: z.array(safetReimbursementEventSchema).nullish(),
  PayWithAmazonEventList: z.array(anyEvent).nullish(),
  ServiceProviderCreditEventList: z.array(anyEvent).nullish(),
  RetrochargeEventList: z.array(anyEvent).nullish(),
  RentalTransactionEventList: z.array(anyEvent).nullish(),
  ProductAdsPaymentEventList: z.array(anyEvent).nullish(),
  SellerDealPaymentEventList: z.array(anyEvent).nullish(),
  DebtRecoveryEventList: z.array(anyEvent).nullish(),
  LoanServicingEventList: z.array(anyEvent).nullish(),
  SellerReviewEnrollmentPaymentEventList: z.array(anyEvent).nullish(),
  FBALiquidationEventList: z.array(anyEvent).nullish(),
  CouponPaymentEventList: z.array(anyEvent).nullish(),
  ImagingServicesFeeEventList: z.array(anyEvent).nullish(),
  NetworkComminglingTransactionEventList: z.array(anyEvent).nullish(),
  AffordabilityExpenseEventList: z.array(anyEvent).nullish(),
  AffordabilityExpenseReversalEventList: z.array(anyEvent).nullish(),
  RemovalShipmentEventList: z.array(anyEvent).nullish(),
  RemovalShipmentAdjustmentEventList: z.array(anyEvent).nullish(),
  TrialShipmentEventList: z.array(anyEvent).nullish(),
  TDSReimbursementEventList: z.array(anyEvent).nullish(),
  AdhocDisbursementEventList: z.array(anyEvent).nullish(),
  TaxWithholdingEventList: z.array(anyEvent).nullish(),
  ChargeRefundEventList: z.array(anyEvent).nullish(),
  FailedAdhocDisbursementEventList: z.array(anyEvent).nullish(),
  ValueAddedServiceChargeEventList: z.array(anyEvent).nullish(),
  CapacityReservationBillingEventList: z.array(anyEvent).nullish(),
  EBTRefundReimbursementOnlyEventList: z.array(anyEvent).nullish(),
});
export type FinancialEvents = z.infer<typeof financialEventsSchema>;

export const listFinancialEventsPayloadSchema = z.looseObject({
  NextToken: z.string().nullish(),
  FinancialEvents: financialEventsSchema.nullish(),
});
export type ListFinancialEventsPayload = z.infer<typeof listFinancialEventsPayloadSchema>;

export const listFinancialEventsResponseSchema = z.looseObject({ payload: listFinancialEventsPayloadSchema });

export interface ListFinancialEventsParams {
  PostedAfter?: string;
  PostedBefore?: string;
  /** 1–100, default 100. */
  MaxResultsPerPage?: number;
  NextToken?: string;
}
