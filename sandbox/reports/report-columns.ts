// Documented column lists per report type (sp-api.md §d) — the single table both the document writer
// and the header conformance test use. Order is the order the files are written in.
export const REPORT_COLUMNS = {
  GET_LEDGER_DETAIL_VIEW_DATA: [
    "Date", "FNSKU", "ASIN", "MSKU", "Title", "Event Type", "Reference ID", "Quantity", "Fulfillment Center",
    "Disposition", "Reason", "Country", "Reconciled Quantity", "Unreconciled Quantity", "Date and Time",
  ],
  GET_LEDGER_SUMMARY_VIEW_DATA: [
    "Date", "FNSKU", "ASIN", "MSKU", "Title", "Disposition", "Starting Warehouse Balance", "In Transit Between Warehouses",
    "Receipts", "Customer Shipments", "Customer Returns", "Vendor Returns", "Warehouse Transfer In/Out", "Found", "Lost",
    "Damaged", "Disposed", "Other Events", "Ending Warehouse Balance", "Unknown Events", "Location",
  ],
  GET_FBA_REIMBURSEMENTS_DATA: [
    "approval-date", "reimbursement-id", "case-id", "amazon-order-id", "reason", "sku", "fnsku", "asin", "product-name",
    "condition", "currency-unit", "amount-per-unit", "amount-total", "quantity-reimbursed-cash",
    "quantity-reimbursed-inventory", "quantity-reimbursed-total", "original-reimbursement-id", "original-reimbursement-type",
  ],
  GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA: [
    "return-date", "order-id", "sku", "asin", "fnsku", "product-name", "quantity", "fulfillment-center-id",
    "detailed-disposition", "reason", "status", "license-plate-number", "customer-comments",
  ],
  // NA layout (Airbyte schema); the estimated-future-* names are our best reading (unverified).
  GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA: [
    "sku", "fnsku", "asin", "product-name", "product-group", "brand", "fulfilled-by", "your-price", "sales-price",
    "longest-side", "median-side", "shortest-side", "length-and-girth", "unit-of-dimension", "item-package-weight",
    "unit-of-weight", "product-size-tier", "currency", "estimated-fee-total", "estimated-referral-fee-per-unit",
    "estimated-variable-closing-fee", "estimated-order-handling-fee-per-order", "estimated-pick-pack-fee-per-unit",
    "estimated-weight-handling-fee-per-unit", "expected-fulfillment-fee-per-unit", "estimated-future-fee",
    "estimated-future-order-handling-fee-per-order", "estimated-future-pick-pack-fee-per-unit",
    "estimated-future-weight-handling-fee-per-unit", "expected-future-fulfillment-fee-per-unit", "current-fee-category",
    "future-fee-category", "future-fee-category-effective-date",
  ],
  GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL: [
    "amazon-order-id", "merchant-order-id", "purchase-date", "last-updated-date", "order-status", "fulfillment-channel",
    "sales-channel", "order-channel", "ship-service-level", "product-name", "sku", "asin", "item-status", "quantity",
    "currency", "item-price", "item-tax", "shipping-price", "shipping-tax", "gift-wrap-price", "gift-wrap-tax",
    "item-promotion-discount", "ship-promotion-discount", "ship-city", "ship-state", "ship-postal-code", "ship-country",
    "promotion-ids", "cpf", "is-business-order", "purchase-order-number", "price-designation",
    "signature-confirmation-recommended",
  ],
  GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2: [
    "settlement-id", "settlement-start-date", "settlement-end-date", "deposit-date", "total-amount", "currency",
    "transaction-type", "order-id", "merchant-order-id", "adjustment-id", "shipment-id", "marketplace-name",
    "amount-type", "amount-description", "amount", "fulfillment-id", "posted-date", "posted-date-time",
    "order-item-code", "merchant-order-item-id", "merchant-adjustment-item-id", "sku", "quantity-purchased", "promotion-id",
  ],
  GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA: [
    "sku", "fnsku", "asin", "product-name", "condition", "your-price", "mfn-listing-exists", "mfn-fulfillable-quantity",
    "afn-listing-exists", "afn-warehouse-quantity", "afn-fulfillable-quantity", "afn-unsellable-quantity",
    "afn-reserved-quantity", "afn-total-quantity", "per-unit-volume", "afn-inbound-working-quantity",
    "afn-inbound-shipped-quantity", "afn-inbound-receiving-quantity", "afn-researching-quantity",
    "afn-reserved-future-supply", "afn-future-supply-buyable",
  ],
  GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA: [
    "request-date", "order-id", "order-type", "service-speed", "order-status", "last-updated-date", "sku", "fnsku",
    "disposition", "requested-quantity", "cancelled-quantity", "disposed-quantity", "shipped-quantity",
    "in-process-quantity", "removal-fee", "currency",
  ],
  GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA: [
    "request-date", "order-id", "shipment-date", "sku", "fnsku", "disposition", "shipped-quantity", "carrier",
    "tracking-number", "removal-order-type",
  ],
  GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_SALES_DATA: [
    "shipment-date", "sku", "fnsku", "asin", "fulfillment-center-id", "quantity", "amazon-order-id", "currency",
    "item-price-per-unit", "shipping-price", "gift-wrap-price", "ship-city", "ship-state", "ship-postal-code",
  ],
  GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA: [
    "shipment-date", "sku", "asin", "fulfillment-center-id", "original-fulfillment-center-id", "quantity",
    "replacement-reason-code", "replacement-amazon-order-id", "original-amazon-order-id",
  ],
  // Not in sp-api.md; column names from Amazon's storage-fee report help page as we remember it (unverified).
  GET_FBA_STORAGE_FEE_CHARGES_DATA: [
    "asin", "fnsku", "product_name", "fulfillment_center", "country_code", "longest_side", "median_side",
    "shortest_side", "measurement_units", "weight", "weight_units", "item_volume", "volume_units", "product_size_tier",
    "average_quantity_on_hand", "average_quantity_pending_removal", "estimated_total_item_volume", "month_of_charge",
    "storage_utilization_ratio", "storage_utilization_ratio_units", "base_rate", "utilization_surcharge_rate",
    "currency", "estimated_monthly_storage_fee",
  ],
} as const;

export type ReportType = keyof typeof REPORT_COLUMNS;
export type ReportRow<T extends ReportType> = Record<(typeof REPORT_COLUMNS)[T][number], string>;

export const REPORT_TYPES = Object.keys(REPORT_COLUMNS) as ReportType[];

export function isReportType(value: string): value is ReportType {
  return Object.prototype.hasOwnProperty.call(REPORT_COLUMNS, value);
}
