// What each flat-file report looks like, declared as data (one entry per report type): header names,
// aliases, how each cell parses (zod), which column holds the currency. One engine
// (parse-report-rows.ts) reads them all; adding a report type is one entry here.
import { z } from "zod";
import {
  currencyExponent,
  decimalToMinorUnits,
  normaliseDecimal,
  parseBoolean,
  parseCalendarDate,
  parseDateTime,
  parseInteger,
  type SlashDateOrder,
} from "./report-values";

/** Per-row facts a cell parser may need: the money exponent comes from the row's currency column. */
export interface RowContext {
  currencyExponent: number;
}

/** What a cell holds once parsed; the ledger table's column type follows it. */
export type ColumnKind = "text" | "int" | "money" | "decimal" | "bool" | "date" | "dateTime";

export interface ColumnSpec<T> {
  kind: ColumnKind;
  /** Header as Amazon writes it in the file. */
  header: string;
  /** Other spellings seen (Amazon doc vs real file, per marketplace). Matching ignores case, spaces, - and _. */
  aliases: readonly string[];
  required: boolean;
  /** The zod schema for one cell (undefined = column absent from this file). */
  schema(ctx: RowContext): z.ZodType<T, string | undefined>;
}

interface ColumnOptions<R extends boolean> {
  required?: R;
  aliases?: string[];
}

type Out<T, R extends boolean> = R extends true ? T : T | null;

/** Builds a column whose parser turns a non-empty trimmed cell into T or null (= invalid). */
function column<T, R extends boolean>(
  kind: ColumnKind,
  header: string,
  opts: ColumnOptions<R> | undefined,
  expected: string,
  parse: (cell: string, ctx: RowContext) => T | null,
): ColumnSpec<Out<T, R>> {
  const required = opts?.required ?? false;
  const cache = new Map<number, z.ZodType<Out<T, R>, string | undefined>>();
  return {
    kind,
    header,
    aliases: opts?.aliases ?? [],
    required,
    schema(ctx) {
      let s = cache.get(ctx.currencyExponent);
      if (!s) {
        s = z
          .string()
          .optional()
          .transform((raw, zctx) => {
            const cell = raw?.trim() ?? "";
            if (cell === "") {
              if (required) zctx.addIssue({ code: "custom", message: `${header} is empty` });
              return null as Out<T, R>;
            }
            const v = parse(cell, ctx);
            if (v === null) {
              zctx.addIssue({ code: "custom", message: `${header} is not ${expected}: "${cell.slice(0, 40)}"` });
              return z.NEVER;
            }
            return v as Out<T, R>;
          }) as unknown as z.ZodType<Out<T, R>, string | undefined>;
        cache.set(ctx.currencyExponent, s);
      }
      return s;
    },
  };
}

export const col = {
  text: <R extends boolean = false>(header: string, opts?: ColumnOptions<R>) => column<string, R>("text", header, opts, "text", (c) => c),
  int: <R extends boolean = false>(header: string, opts?: ColumnOptions<R>) => column<number, R>("int", header, opts, "an integer", parseInteger),
  /** Money → integer minor units of the row's currency. */
  money: <R extends boolean = false>(header: string, opts?: ColumnOptions<R>) =>
    column<number, R>("money", header, opts, "an amount", (c, ctx) => {
      try {
        return decimalToMinorUnits(c, ctx.currencyExponent);
      } catch {
        return null;
      }
    }),
  /** A measure (dimensions, weight, volume) kept as a normalised decimal string: no float drift. */
  decimal: <R extends boolean = false>(header: string, opts?: ColumnOptions<R>) => column<string, R>("decimal", header, opts, "a number", normaliseDecimal),
  bool: <R extends boolean = false>(header: string, opts?: ColumnOptions<R>) => column<boolean, R>("bool", header, opts, "yes/no", parseBoolean),
  /** A day as printed → `YYYY-MM-DD` (MM/YYYY → first of month). */
  date: <R extends boolean = false>(header: string, opts?: ColumnOptions<R> & { slashOrder?: SlashDateOrder }) =>
    column<string, R>("date", header, opts, "a date", (c) => parseCalendarDate(c, opts?.slashOrder)),
  /** A moment → UTC ISO string (`2026-07-06T07:00:00.000Z`). */
  dateTime: <R extends boolean = false>(header: string, opts?: ColumnOptions<R> & { slashOrder?: SlashDateOrder }) =>
    column<string, R>("dateTime", header, opts, "a date-time", (c) => parseDateTime(c, opts?.slashOrder)),
};

// Loose enough for the table below; each entry keeps its precise column types through defineReport.
type AnyColumns = Record<string, ColumnSpec<unknown>>;

export interface ReportDefinition<C extends AnyColumns = AnyColumns> {
  reportType: string;
  /** Why we pull it. */
  purpose: string;
  columns: C;
  /** Field whose cell names the row's currency (money exponent); USD-style 2 decimals otherwise. */
  currencyField?: keyof C & string;
  /** Fields that identify a row (the ledger table's unique key). */
  naturalKey: ReadonlyArray<keyof C & string>;
  /** Field to advance a sync watermark by. */
  cursorField?: keyof C & string;
  /** Settlement reports cannot be requested, only listed (sp-api.md §d). */
  requestable: boolean;
}

function defineReport<const C extends AnyColumns>(def: ReportDefinition<C>): ReportDefinition<C> {
  return def;
}

export const REPORT_DEFINITIONS = {
  GET_LEDGER_DETAIL_VIEW_DATA: defineReport({
    reportType: "GET_LEDGER_DETAIL_VIEW_DATA",
    purpose: "Every inventory event per FNSKU and FC: lost/damaged adjustments are the core claim source",
    columns: {
      date: col.date("Date", { required: true }),
      fnsku: col.text("FNSKU", { required: true }),
      asin: col.text("ASIN"),
      msku: col.text("MSKU", { aliases: ["sku"] }),
      title: col.text("Title"),
      eventType: col.text("Event Type", { required: true }),
      referenceId: col.text("Reference ID"),
      quantity: col.int("Quantity", { required: true }),
      fulfillmentCenter: col.text("Fulfillment Center", { aliases: ["fulfillment-center-id"] }),
      disposition: col.text("Disposition"),
      reason: col.text("Reason"),
      country: col.text("Country"),
      reconciledQuantity: col.int("Reconciled Quantity"),
      unreconciledQuantity: col.int("Unreconciled Quantity"),
      dateAndTime: col.dateTime("Date and Time"),
      store: col.text("Store"),
    },
    naturalKey: ["date", "fnsku", "eventType", "referenceId", "fulfillmentCenter", "disposition", "reason", "quantity"],
    cursorField: "date",
    requestable: true,
  }),

  GET_LEDGER_SUMMARY_VIEW_DATA: defineReport({
    reportType: "GET_LEDGER_SUMMARY_VIEW_DATA",
    purpose: "Balances and flows per FNSKU × disposition × location × period (lost/found/damaged totals)",
    columns: {
      date: col.date("Date", { required: true }),
      fnsku: col.text("FNSKU", { required: true }),
      asin: col.text("ASIN"),
      msku: col.text("MSKU"),
      title: col.text("Title"),
      disposition: col.text("Disposition"),
      startingWarehouseBalance: col.int("Starting Warehouse Balance"),
      inTransitBetweenWarehouses: col.int("In Transit Between Warehouses"),
      receipts: col.int("Receipts"),
      customerShipments: col.int("Customer Shipments"),
      customerReturns: col.int("Customer Returns"),
      vendorReturns: col.int("Vendor Returns"),
      warehouseTransferInOut: col.int("Warehouse Transfer In/Out"),
      found: col.int("Found"),
      lost: col.int("Lost"),
      damaged: col.int("Damaged"),
      disposed: col.int("Disposed"),
      otherEvents: col.int("Other Events"),
      endingWarehouseBalance: col.int("Ending Warehouse Balance"),
      unknownEvents: col.int("Unknown Events"),
      location: col.text("Location"),
      store: col.text("Store"),
    },
    naturalKey: ["date", "fnsku", "disposition", "location"],
    cursorField: "date",
    requestable: true,
  }),

  GET_FBA_REIMBURSEMENTS_DATA: defineReport({
    reportType: "GET_FBA_REIMBURSEMENTS_DATA",
    purpose: "Reimbursements already paid: what not to claim twice",
    columns: {
      approvalDate: col.dateTime("approval-date", { required: true }),
      reimbursementId: col.text("reimbursement-id", { required: true }),
      caseId: col.text("case-id"),
      amazonOrderId: col.text("amazon-order-id"),
      reason: col.text("reason"),
      sku: col.text("sku"),
      fnsku: col.text("fnsku"),
      asin: col.text("asin"),
      productName: col.text("product-name"),
      condition: col.text("condition"),
      currencyUnit: col.text("currency-unit", { aliases: ["currency"] }),
      amountPerUnit: col.money("amount-per-unit"),
      amountTotal: col.money("amount-total"),
      quantityReimbursedCash: col.int("quantity-reimbursed-cash"),
      quantityReimbursedInventory: col.int("quantity-reimbursed-inventory"),
      quantityReimbursedTotal: col.int("quantity-reimbursed-total"),
      originalReimbursementId: col.text("original-reimbursement-id"),
      originalReimbursementType: col.text("original-reimbursement-type"),
    },
    currencyField: "currencyUnit",
    // One reimbursement id can cover several SKUs.
    naturalKey: ["reimbursementId", "fnsku", "sku"],
    cursorField: "approvalDate",
    requestable: true,
  }),

  GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA: defineReport({
    reportType: "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA",
    purpose: "Returns received at FCs: refunds without a matching return are claim candidates",
    columns: {
      returnDate: col.dateTime("return-date", { required: true }),
      orderId: col.text("order-id", { required: true, aliases: ["amazon-order-id"] }),
      sku: col.text("sku"),
      asin: col.text("asin"),
      fnsku: col.text("fnsku"),
      productName: col.text("product-name"),
      quantity: col.int("quantity", { required: true }),
      fulfillmentCenterId: col.text("fulfillment-center-id"),
      detailedDisposition: col.text("detailed-disposition"),
      reason: col.text("reason"),
      status: col.text("status"),
      licensePlateNumber: col.text("license-plate-number"),
      customerComments: col.text("customer-comments"),
    },
    naturalKey: ["orderId", "fnsku", "licensePlateNumber", "returnDate"],
    cursorField: "returnDate",
    requestable: true,
  }),

  GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA: defineReport({
    reportType: "GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA",
    purpose: "Current fee estimates and Amazon's measured size per SKU (fee-overcharge checks)",
    columns: {
      sku: col.text("sku", { required: true }),
      fnsku: col.text("fnsku"),
      asin: col.text("asin"),
      productName: col.text("product-name"),
      productGroup: col.text("product-group"),
      brand: col.text("brand"),
      fulfilledBy: col.text("fulfilled-by"),
      yourPrice: col.money("your-price"),
      salesPrice: col.money("sales-price"),
      longestSide: col.decimal("longest-side"),
      medianSide: col.decimal("median-side"),
      shortestSide: col.decimal("shortest-side"),
      lengthAndGirth: col.decimal("length-and-girth"),
      unitOfDimension: col.text("unit-of-dimension"),
      itemPackageWeight: col.decimal("item-package-weight"),
      unitOfWeight: col.text("unit-of-weight"),
      productSizeTier: col.text("product-size-tier", { aliases: ["product-size-weight-band"] }),
      currency: col.text("currency"),
      estimatedFeeTotal: col.money("estimated-fee-total"),
      estimatedReferralFeePerUnit: col.money("estimated-referral-fee-per-unit"),
      estimatedVariableClosingFee: col.money("estimated-variable-closing-fee"),
      estimatedOrderHandlingFeePerOrder: col.money("estimated-order-handling-fee-per-order"),
      estimatedPickPackFeePerUnit: col.money("estimated-pick-pack-fee-per-unit"),
      estimatedWeightHandlingFeePerUnit: col.money("estimated-weight-handling-fee-per-unit"),
      expectedFulfillmentFeePerUnit: col.money("expected-fulfillment-fee-per-unit", {
        aliases: ["expected-domestic-fulfilment-fee-per-unit"],
      }),
      estimatedFutureFee: col.money("estimated-future-fee"),
      estimatedFutureOrderHandlingFeePerOrder: col.money("estimated-future-order-handling-fee-per-order"),
      estimatedFuturePickPackFeePerUnit: col.money("estimated-future-pick-pack-fee-per-unit"),
      estimatedFutureWeightHandlingFeePerUnit: col.money("estimated-future-weight-handling-fee-per-unit"),
      expectedFutureFulfillmentFeePerUnit: col.money("expected-future-fulfillment-fee-per-unit"),
      currentFeeCategory: col.text("current-fee-category"),
      futureFeeCategory: col.text("future-fee-category"),
      futureFeeCategoryEffectiveDate: col.dateTime("future-fee-category-effective-date"),
    },
    currencyField: "currency",
    naturalKey: ["sku"],
    requestable: true,
  }),

  GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL: defineReport({
    reportType: "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL",
    purpose: "Every order item placed in the window (no PII): links refunds, returns and fees to orders",
    columns: {
      amazonOrderId: col.text("amazon-order-id", { required: true }),
      merchantOrderId: col.text("merchant-order-id"),
      purchaseDate: col.dateTime("purchase-date", { required: true }),
      lastUpdatedDate: col.dateTime("last-updated-date"),
      orderStatus: col.text("order-status"),
      fulfillmentChannel: col.text("fulfillment-channel"),
      salesChannel: col.text("sales-channel"),
      orderChannel: col.text("order-channel"),
      shipServiceLevel: col.text("ship-service-level"),
      productName: col.text("product-name"),
      sku: col.text("sku"),
      asin: col.text("asin"),
      itemStatus: col.text("item-status"),
      quantity: col.int("quantity"),
      currency: col.text("currency"),
      itemPrice: col.money("item-price"),
      itemTax: col.money("item-tax"),
      shippingPrice: col.money("shipping-price"),
      shippingTax: col.money("shipping-tax"),
      giftWrapPrice: col.money("gift-wrap-price"),
      giftWrapTax: col.money("gift-wrap-tax"),
      itemPromotionDiscount: col.money("item-promotion-discount"),
      shipPromotionDiscount: col.money("ship-promotion-discount"),
      shipCity: col.text("ship-city"),
      shipState: col.text("ship-state"),
      shipPostalCode: col.text("ship-postal-code"),
      shipCountry: col.text("ship-country"),
      promotionIds: col.text("promotion-ids"),
      cpf: col.text("cpf"),
      isBusinessOrder: col.bool("is-business-order"),
      purchaseOrderNumber: col.text("purchase-order-number"),
      priceDesignation: col.text("price-designation"),
      signatureConfirmationRecommended: col.bool("signature-confirmation-recommended"),
    },
    currencyField: "currency",
    naturalKey: ["amazonOrderId", "sku"],
    cursorField: "lastUpdatedDate",
    requestable: true,
  }),

  GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2: defineReport({
    reportType: "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2",
    purpose: "Payout detail; reimbursements appear as amount-type 'FBA Inventory Reimbursement'. The first row is the settlement summary",
    columns: {
      settlementId: col.text("settlement-id", { required: true }),
      settlementStartDate: col.dateTime("settlement-start-date", { slashOrder: "DMY" }),
      settlementEndDate: col.dateTime("settlement-end-date", { slashOrder: "DMY" }),
      depositDate: col.dateTime("deposit-date", { slashOrder: "DMY" }),
      totalAmount: col.money("total-amount"),
      currency: col.text("currency"),
      transactionType: col.text("transaction-type"),
      orderId: col.text("order-id"),
      merchantOrderId: col.text("merchant-order-id"),
      adjustmentId: col.text("adjustment-id"),
      shipmentId: col.text("shipment-id"),
      marketplaceName: col.text("marketplace-name"),
      amountType: col.text("amount-type"),
      amountDescription: col.text("amount-description"),
      amount: col.money("amount"),
      fulfillmentId: col.text("fulfillment-id"),
      postedDate: col.date("posted-date", { slashOrder: "DMY" }),
      postedDateTime: col.dateTime("posted-date-time", { slashOrder: "DMY" }),
      orderItemCode: col.text("order-item-code"),
      merchantOrderItemId: col.text("merchant-order-item-id"),
      merchantAdjustmentItemId: col.text("merchant-adjustment-item-id"),
      sku: col.text("sku"),
      quantityPurchased: col.int("quantity-purchased"),
      promotionId: col.text("promotion-id"),
    },
    currencyField: "currency",
    // No single id per line: the line number within the settlement completes the key at ingestion.
    naturalKey: ["settlementId", "transactionType", "orderId", "adjustmentId", "orderItemCode", "amountType", "amountDescription"],
    cursorField: "postedDateTime",
    requestable: false,
  }),

  GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA: defineReport({
    reportType: "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA",
    purpose: "Current FBA inventory snapshot per SKU",
    columns: {
      sku: col.text("sku", { required: true }),
      fnsku: col.text("fnsku"),
      asin: col.text("asin"),
      productName: col.text("product-name"),
      condition: col.text("condition"),
      yourPrice: col.money("your-price"),
      mfnListingExists: col.bool("mfn-listing-exists"),
      mfnFulfillableQuantity: col.int("mfn-fulfillable-quantity"),
      afnListingExists: col.bool("afn-listing-exists"),
      afnWarehouseQuantity: col.int("afn-warehouse-quantity"),
      afnFulfillableQuantity: col.int("afn-fulfillable-quantity"),
      afnUnsellableQuantity: col.int("afn-unsellable-quantity"),
      afnReservedQuantity: col.int("afn-reserved-quantity"),
      afnTotalQuantity: col.int("afn-total-quantity"),
      perUnitVolume: col.decimal("per-unit-volume"),
      afnInboundWorkingQuantity: col.int("afn-inbound-working-quantity"),
      afnInboundShippedQuantity: col.int("afn-inbound-shipped-quantity"),
      afnInboundReceivingQuantity: col.int("afn-inbound-receiving-quantity"),
      afnResearchingQuantity: col.int("afn-researching-quantity"),
      afnReservedFutureSupply: col.int("afn-reserved-future-supply"),
      afnFutureSupplyBuyable: col.int("afn-future-supply-buyable"),
    },
    naturalKey: ["sku"],
    requestable: true,
  }),

  GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA: defineReport({
    reportType: "GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA",
    purpose: "Removal and disposal orders: requested vs shipped vs disposed units",
    columns: {
      requestDate: col.dateTime("request-date", { required: true }),
      orderId: col.text("order-id", { required: true }),
      orderType: col.text("order-type"),
      serviceSpeed: col.text("service-speed"),
      orderStatus: col.text("order-status"),
      lastUpdatedDate: col.dateTime("last-updated-date"),
      sku: col.text("sku"),
      fnsku: col.text("fnsku"),
      disposition: col.text("disposition"),
      requestedQuantity: col.int("requested-quantity"),
      cancelledQuantity: col.int("cancelled-quantity"),
      disposedQuantity: col.int("disposed-quantity"),
      shippedQuantity: col.int("shipped-quantity"),
      inProcessQuantity: col.int("in-process-quantity"),
      removalFee: col.money("removal-fee"),
      currency: col.text("currency"),
    },
    currencyField: "currency",
    naturalKey: ["orderId", "fnsku", "disposition"],
    cursorField: "lastUpdatedDate",
    requestable: true,
  }),

  GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA: defineReport({
    reportType: "GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA",
    purpose: "Removal shipments with carrier and tracking (lost-removal claims)",
    columns: {
      requestDate: col.dateTime("request-date"),
      orderId: col.text("order-id", { required: true }),
      shipmentDate: col.dateTime("shipment-date"),
      sku: col.text("sku"),
      fnsku: col.text("fnsku"),
      disposition: col.text("disposition"),
      shippedQuantity: col.int("shipped-quantity", { aliases: ["quantity-shipped"] }),
      carrier: col.text("carrier"),
      trackingNumber: col.text("tracking-number"),
      removalOrderType: col.text("removal-order-type"),
    },
    naturalKey: ["orderId", "fnsku", "disposition", "trackingNumber"],
    cursorField: "shipmentDate",
    requestable: true,
  }),

  GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_SALES_DATA: defineReport({
    reportType: "GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_SALES_DATA",
    purpose: "Units shipped to customers per FC and order",
    columns: {
      shipmentDate: col.dateTime("shipment-date", { required: true }),
      sku: col.text("sku"),
      fnsku: col.text("fnsku"),
      asin: col.text("asin"),
      fulfillmentCenterId: col.text("fulfillment-center-id"),
      quantity: col.int("quantity", { required: true }),
      amazonOrderId: col.text("amazon-order-id", { required: true }),
      currency: col.text("currency"),
      itemPricePerUnit: col.money("item-price-per-unit"),
      shippingPrice: col.money("shipping-price"),
      giftWrapPrice: col.money("gift-wrap-price"),
      shipCity: col.text("ship-city"),
      shipState: col.text("ship-state"),
      shipPostalCode: col.text("ship-postal-code"),
    },
    currencyField: "currency",
    naturalKey: ["amazonOrderId", "fnsku", "shipmentDate", "fulfillmentCenterId"],
    cursorField: "shipmentDate",
    requestable: true,
  }),

  GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA: defineReport({
    reportType: "GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA",
    purpose: "Replacement shipments: a replacement whose original never came back is a claim",
    columns: {
      shipmentDate: col.dateTime("shipment-date", { required: true }),
      sku: col.text("sku"),
      asin: col.text("asin"),
      fulfillmentCenterId: col.text("fulfillment-center-id"),
      originalFulfillmentCenterId: col.text("original-fulfillment-center-id"),
      quantity: col.int("quantity", { required: true }),
      replacementReasonCode: col.text("replacement-reason-code"),
      replacementAmazonOrderId: col.text("replacement-amazon-order-id", { required: true }),
      originalAmazonOrderId: col.text("original-amazon-order-id"),
    },
    naturalKey: ["replacementAmazonOrderId", "sku"],
    cursorField: "shipmentDate",
    requestable: true,
  }),

  // Beyond the issue's list: the monthly storage-fee charges behind storage-overcharge checks. Header
  // names are unverified (sp-api.md lists the report, not its columns); they match the sandbox's.
  GET_FBA_STORAGE_FEE_CHARGES_DATA: defineReport({
    reportType: "GET_FBA_STORAGE_FEE_CHARGES_DATA",
    purpose: "Monthly storage fee per ASIN/FNSKU and FC (storage-fee overcharge checks)",
    columns: {
      asin: col.text("asin"),
      fnsku: col.text("fnsku", { required: true }),
      productName: col.text("product_name"),
      fulfillmentCenter: col.text("fulfillment_center"),
      countryCode: col.text("country_code"),
      longestSide: col.decimal("longest_side"),
      medianSide: col.decimal("median_side"),
      shortestSide: col.decimal("shortest_side"),
      measurementUnits: col.text("measurement_units"),
      weight: col.decimal("weight"),
      weightUnits: col.text("weight_units"),
      itemVolume: col.decimal("item_volume"),
      volumeUnits: col.text("volume_units"),
      productSizeTier: col.text("product_size_tier"),
      averageQuantityOnHand: col.decimal("average_quantity_on_hand"),
      averageQuantityPendingRemoval: col.decimal("average_quantity_pending_removal"),
      estimatedTotalItemVolume: col.decimal("estimated_total_item_volume"),
      monthOfCharge: col.date("month_of_charge", { required: true }),
      storageUtilizationRatio: col.decimal("storage_utilization_ratio"),
      storageUtilizationRatioUnits: col.text("storage_utilization_ratio_units"),
      baseRate: col.decimal("base_rate"),
      utilizationSurchargeRate: col.decimal("utilization_surcharge_rate"),
      currency: col.text("currency"),
      estimatedMonthlyStorageFee: col.money("estimated_monthly_storage_fee"),
    },
    currencyField: "currency",
    naturalKey: ["monthOfCharge", "fnsku", "fulfillmentCenter"],
    cursorField: "monthOfCharge",
    requestable: true,
  }),
} as const;

export type ReportType = keyof typeof REPORT_DEFINITIONS;
export const REPORT_TYPES = Object.keys(REPORT_DEFINITIONS) as ReportType[];

type ColumnsOf<T extends ReportType> = (typeof REPORT_DEFINITIONS)[T]["columns"];

/** The normalised row of a report type: money in minor units, dates as UTC ISO strings, quantities integers. */
export type ReportRow<T extends ReportType> = {
  [K in keyof ColumnsOf<T>]: ColumnsOf<T>[K] extends ColumnSpec<infer V> ? V : never;
};

export function isReportType(value: string): value is ReportType {
  return Object.prototype.hasOwnProperty.call(REPORT_DEFINITIONS, value);
}

export function reportDefinition<T extends ReportType>(reportType: T): (typeof REPORT_DEFINITIONS)[T] {
  return REPORT_DEFINITIONS[reportType];
}

export { currencyExponent };
