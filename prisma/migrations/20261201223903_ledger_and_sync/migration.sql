-- CreateTable
CREATE TABLE "FinancialEvent" (
    "id" BIGSERIAL NOT NULL,
    "sellerConnectionId" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "postedDate" TIMESTAMPTZ(3),
    "amazonOrderId" TEXT,
    "sellerOrderId" TEXT,
    "marketplaceName" TEXT,
    "adjustmentType" TEXT,
    "feeReason" TEXT,
    "sellerSku" TEXT,
    "fnsku" TEXT,
    "asin" TEXT,
    "quantity" INTEGER,
    "totalAmount" BIGINT,
    "currency" TEXT,
    "raw" JSONB NOT NULL,
    "sourceReport" TEXT NOT NULL,
    "sourceLine" INTEGER NOT NULL,
    "syncedAt" TIMESTAMPTZ(3) NOT NULL,
    "isSandbox" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "FinancialEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboundShipment" (
    "id" BIGSERIAL NOT NULL,
    "sellerConnectionId" TEXT NOT NULL,
    "shipmentId" TEXT NOT NULL,
    "shipmentName" TEXT,
    "shipmentStatus" TEXT,
    "destinationFulfillmentCenterId" TEXT,
    "labelPrepType" TEXT,
    "areCasesRequired" BOOLEAN,
    "confirmedNeedByDate" DATE,
    "boxContentsSource" TEXT,
    "raw" JSONB NOT NULL,
    "sourceReport" TEXT NOT NULL,
    "sourceLine" INTEGER NOT NULL,
    "syncedAt" TIMESTAMPTZ(3) NOT NULL,
    "isSandbox" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "InboundShipment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboundShipmentItem" (
    "id" BIGSERIAL NOT NULL,
    "sellerConnectionId" TEXT NOT NULL,
    "shipmentId" TEXT NOT NULL,
    "sellerSku" TEXT NOT NULL,
    "fnsku" TEXT,
    "quantityShipped" INTEGER,
    "quantityReceived" INTEGER,
    "quantityInCase" INTEGER,
    "releaseDate" DATE,
    "raw" JSONB NOT NULL,
    "sourceReport" TEXT NOT NULL,
    "sourceLine" INTEGER NOT NULL,
    "syncedAt" TIMESTAMPTZ(3) NOT NULL,
    "isSandbox" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "InboundShipmentItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InventorySummary" (
    "id" BIGSERIAL NOT NULL,
    "sellerConnectionId" TEXT NOT NULL,
    "snapshotDate" DATE NOT NULL,
    "marketplaceId" TEXT NOT NULL,
    "sellerSku" TEXT NOT NULL,
    "fnsku" TEXT,
    "asin" TEXT,
    "condition" TEXT,
    "totalQuantity" INTEGER,
    "fulfillableQuantity" INTEGER,
    "inboundWorkingQuantity" INTEGER,
    "inboundShippedQuantity" INTEGER,
    "inboundReceivingQuantity" INTEGER,
    "reservedQuantity" INTEGER,
    "researchingQuantity" INTEGER,
    "unfulfillableQuantity" INTEGER,
    "warehouseDamagedQuantity" INTEGER,
    "lastUpdatedTime" TIMESTAMPTZ(3),
    "raw" JSONB NOT NULL,
    "sourceReport" TEXT NOT NULL,
    "sourceLine" INTEGER NOT NULL,
    "syncedAt" TIMESTAMPTZ(3) NOT NULL,
    "isSandbox" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "InventorySummary_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerDetail" (
    "id" BIGSERIAL NOT NULL,
    "sellerConnectionId" TEXT NOT NULL,
    "occurrence" INTEGER NOT NULL DEFAULT 1,
    "date" DATE NOT NULL,
    "fnsku" TEXT NOT NULL DEFAULT '',
    "asin" TEXT,
    "msku" TEXT,
    "title" TEXT,
    "eventType" TEXT NOT NULL DEFAULT '',
    "referenceId" TEXT NOT NULL DEFAULT '',
    "quantity" INTEGER NOT NULL,
    "fulfillmentCenter" TEXT NOT NULL DEFAULT '',
    "disposition" TEXT NOT NULL DEFAULT '',
    "reason" TEXT NOT NULL DEFAULT '',
    "country" TEXT,
    "reconciledQuantity" INTEGER,
    "unreconciledQuantity" INTEGER,
    "dateAndTime" TIMESTAMPTZ(3),
    "store" TEXT,
    "raw" JSONB NOT NULL,
    "sourceReport" TEXT NOT NULL,
    "sourceLine" INTEGER NOT NULL,
    "syncedAt" TIMESTAMPTZ(3) NOT NULL,
    "isSandbox" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "LedgerDetail_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Reimbursement" (
    "id" BIGSERIAL NOT NULL,
    "sellerConnectionId" TEXT NOT NULL,
    "approvalDate" TIMESTAMPTZ(3),
    "reimbursementId" TEXT NOT NULL DEFAULT '',
    "caseId" TEXT,
    "amazonOrderId" TEXT,
    "reason" TEXT,
    "sku" TEXT NOT NULL DEFAULT '',
    "fnsku" TEXT NOT NULL DEFAULT '',
    "asin" TEXT,
    "productName" TEXT,
    "condition" TEXT,
    "currencyUnit" TEXT,
    "amountPerUnit" BIGINT,
    "amountTotal" BIGINT,
    "quantityReimbursedCash" INTEGER,
    "quantityReimbursedInventory" INTEGER,
    "quantityReimbursedTotal" INTEGER,
    "originalReimbursementId" TEXT,
    "originalReimbursementType" TEXT,
    "raw" JSONB NOT NULL,
    "sourceReport" TEXT NOT NULL,
    "sourceLine" INTEGER NOT NULL,
    "syncedAt" TIMESTAMPTZ(3) NOT NULL,
    "isSandbox" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Reimbursement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerReturn" (
    "id" BIGSERIAL NOT NULL,
    "sellerConnectionId" TEXT NOT NULL,
    "returnDate" TIMESTAMPTZ(3) NOT NULL,
    "orderId" TEXT NOT NULL DEFAULT '',
    "sku" TEXT,
    "asin" TEXT,
    "fnsku" TEXT NOT NULL DEFAULT '',
    "productName" TEXT,
    "quantity" INTEGER,
    "fulfillmentCenterId" TEXT,
    "detailedDisposition" TEXT,
    "reason" TEXT,
    "status" TEXT,
    "licensePlateNumber" TEXT NOT NULL DEFAULT '',
    "customerComments" TEXT,
    "raw" JSONB NOT NULL,
    "sourceReport" TEXT NOT NULL,
    "sourceLine" INTEGER NOT NULL,
    "syncedAt" TIMESTAMPTZ(3) NOT NULL,
    "isSandbox" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "CustomerReturn_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RemovalOrder" (
    "id" BIGSERIAL NOT NULL,
    "sellerConnectionId" TEXT NOT NULL,
    "requestDate" TIMESTAMPTZ(3),
    "orderId" TEXT NOT NULL DEFAULT '',
    "orderType" TEXT,
    "serviceSpeed" TEXT,
    "orderStatus" TEXT,
    "lastUpdatedDate" TIMESTAMPTZ(3),
    "sku" TEXT,
    "fnsku" TEXT NOT NULL DEFAULT '',
    "disposition" TEXT NOT NULL DEFAULT '',
    "requestedQuantity" INTEGER,
    "cancelledQuantity" INTEGER,
    "disposedQuantity" INTEGER,
    "shippedQuantity" INTEGER,
    "inProcessQuantity" INTEGER,
    "removalFee" BIGINT,
    "currency" TEXT,
    "raw" JSONB NOT NULL,
    "sourceReport" TEXT NOT NULL,
    "sourceLine" INTEGER NOT NULL,
    "syncedAt" TIMESTAMPTZ(3) NOT NULL,
    "isSandbox" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "RemovalOrder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RemovalShipment" (
    "id" BIGSERIAL NOT NULL,
    "sellerConnectionId" TEXT NOT NULL,
    "requestDate" TIMESTAMPTZ(3),
    "orderId" TEXT NOT NULL DEFAULT '',
    "shipmentDate" TIMESTAMPTZ(3),
    "sku" TEXT,
    "fnsku" TEXT NOT NULL DEFAULT '',
    "disposition" TEXT NOT NULL DEFAULT '',
    "shippedQuantity" INTEGER,
    "carrier" TEXT,
    "trackingNumber" TEXT NOT NULL DEFAULT '',
    "removalOrderType" TEXT,
    "raw" JSONB NOT NULL,
    "sourceReport" TEXT NOT NULL,
    "sourceLine" INTEGER NOT NULL,
    "syncedAt" TIMESTAMPTZ(3) NOT NULL,
    "isSandbox" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "RemovalShipment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderItem" (
    "id" BIGSERIAL NOT NULL,
    "sellerConnectionId" TEXT NOT NULL,
    "amazonOrderId" TEXT NOT NULL DEFAULT '',
    "merchantOrderId" TEXT,
    "purchaseDate" TIMESTAMPTZ(3),
    "lastUpdatedDate" TIMESTAMPTZ(3),
    "orderStatus" TEXT,
    "fulfillmentChannel" TEXT,
    "salesChannel" TEXT,
    "orderChannel" TEXT,
    "shipServiceLevel" TEXT,
    "productName" TEXT,
    "sku" TEXT NOT NULL DEFAULT '',
    "asin" TEXT,
    "itemStatus" TEXT,
    "quantity" INTEGER,
    "currency" TEXT,
    "itemPrice" BIGINT,
    "itemTax" BIGINT,
    "shippingPrice" BIGINT,
    "shippingTax" BIGINT,
    "giftWrapPrice" BIGINT,
    "giftWrapTax" BIGINT,
    "itemPromotionDiscount" BIGINT,
    "shipPromotionDiscount" BIGINT,
    "shipCity" TEXT,
    "shipState" TEXT,
    "shipPostalCode" TEXT,
    "shipCountry" TEXT,
    "promotionIds" TEXT,
    "cpf" TEXT,
    "isBusinessOrder" BOOLEAN,
    "purchaseOrderNumber" TEXT,
    "priceDesignation" TEXT,
    "signatureConfirmationRecommended" BOOLEAN,
    "raw" JSONB NOT NULL,
    "sourceReport" TEXT NOT NULL,
    "sourceLine" INTEGER NOT NULL,
    "syncedAt" TIMESTAMPTZ(3) NOT NULL,
    "isSandbox" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "OrderItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerShipment" (
    "id" BIGSERIAL NOT NULL,
    "sellerConnectionId" TEXT NOT NULL,
    "shipmentDate" TIMESTAMPTZ(3) NOT NULL,
    "sku" TEXT,
    "fnsku" TEXT NOT NULL DEFAULT '',
    "asin" TEXT,
    "fulfillmentCenterId" TEXT NOT NULL DEFAULT '',
    "quantity" INTEGER,
    "amazonOrderId" TEXT NOT NULL DEFAULT '',
    "currency" TEXT,
    "itemPricePerUnit" BIGINT,
    "shippingPrice" BIGINT,
    "giftWrapPrice" BIGINT,
    "shipCity" TEXT,
    "shipState" TEXT,
    "shipPostalCode" TEXT,
    "raw" JSONB NOT NULL,
    "sourceReport" TEXT NOT NULL,
    "sourceLine" INTEGER NOT NULL,
    "syncedAt" TIMESTAMPTZ(3) NOT NULL,
    "isSandbox" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "CustomerShipment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReplacementShipment" (
    "id" BIGSERIAL NOT NULL,
    "sellerConnectionId" TEXT NOT NULL,
    "shipmentDate" TIMESTAMPTZ(3),
    "sku" TEXT NOT NULL DEFAULT '',
    "asin" TEXT,
    "fulfillmentCenterId" TEXT,
    "originalFulfillmentCenterId" TEXT,
    "quantity" INTEGER,
    "replacementReasonCode" TEXT,
    "replacementAmazonOrderId" TEXT NOT NULL DEFAULT '',
    "originalAmazonOrderId" TEXT,
    "raw" JSONB NOT NULL,
    "sourceReport" TEXT NOT NULL,
    "sourceLine" INTEGER NOT NULL,
    "syncedAt" TIMESTAMPTZ(3) NOT NULL,
    "isSandbox" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ReplacementShipment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerSummary" (
    "id" BIGSERIAL NOT NULL,
    "sellerConnectionId" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "fnsku" TEXT NOT NULL DEFAULT '',
    "asin" TEXT,
    "msku" TEXT,
    "title" TEXT,
    "disposition" TEXT NOT NULL DEFAULT '',
    "startingWarehouseBalance" INTEGER,
    "inTransitBetweenWarehouses" INTEGER,
    "receipts" INTEGER,
    "customerShipments" INTEGER,
    "customerReturns" INTEGER,
    "vendorReturns" INTEGER,
    "warehouseTransferInOut" INTEGER,
    "found" INTEGER,
    "lost" INTEGER,
    "damaged" INTEGER,
    "disposed" INTEGER,
    "otherEvents" INTEGER,
    "endingWarehouseBalance" INTEGER,
    "unknownEvents" INTEGER,
    "location" TEXT NOT NULL DEFAULT '',
    "store" TEXT,
    "raw" JSONB NOT NULL,
    "sourceReport" TEXT NOT NULL,
    "sourceLine" INTEGER NOT NULL,
    "syncedAt" TIMESTAMPTZ(3) NOT NULL,
    "isSandbox" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "LedgerSummary_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StorageFee" (
    "id" BIGSERIAL NOT NULL,
    "sellerConnectionId" TEXT NOT NULL,
    "asin" TEXT,
    "fnsku" TEXT NOT NULL DEFAULT '',
    "productName" TEXT,
    "fulfillmentCenter" TEXT NOT NULL DEFAULT '',
    "countryCode" TEXT,
    "longestSide" DECIMAL(65,30),
    "medianSide" DECIMAL(65,30),
    "shortestSide" DECIMAL(65,30),
    "measurementUnits" TEXT,
    "weight" DECIMAL(65,30),
    "weightUnits" TEXT,
    "itemVolume" DECIMAL(65,30),
    "volumeUnits" TEXT,
    "productSizeTier" TEXT,
    "averageQuantityOnHand" DECIMAL(65,30),
    "averageQuantityPendingRemoval" DECIMAL(65,30),
    "estimatedTotalItemVolume" DECIMAL(65,30),
    "monthOfCharge" DATE NOT NULL,
    "storageUtilizationRatio" DECIMAL(65,30),
    "storageUtilizationRatioUnits" TEXT,
    "baseRate" DECIMAL(65,30),
    "utilizationSurchargeRate" DECIMAL(65,30),
    "currency" TEXT,
    "estimatedMonthlyStorageFee" BIGINT,
    "raw" JSONB NOT NULL,
    "sourceReport" TEXT NOT NULL,
    "sourceLine" INTEGER NOT NULL,
    "syncedAt" TIMESTAMPTZ(3) NOT NULL,
    "isSandbox" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "StorageFee_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FeePreview" (
    "id" BIGSERIAL NOT NULL,
    "sellerConnectionId" TEXT NOT NULL,
    "snapshotDate" DATE NOT NULL,
    "sku" TEXT NOT NULL DEFAULT '',
    "fnsku" TEXT,
    "asin" TEXT,
    "productName" TEXT,
    "productGroup" TEXT,
    "brand" TEXT,
    "fulfilledBy" TEXT,
    "yourPrice" BIGINT,
    "salesPrice" BIGINT,
    "longestSide" DECIMAL(65,30),
    "medianSide" DECIMAL(65,30),
    "shortestSide" DECIMAL(65,30),
    "lengthAndGirth" DECIMAL(65,30),
    "unitOfDimension" TEXT,
    "itemPackageWeight" DECIMAL(65,30),
    "unitOfWeight" TEXT,
    "productSizeTier" TEXT,
    "currency" TEXT,
    "estimatedFeeTotal" BIGINT,
    "estimatedReferralFeePerUnit" BIGINT,
    "estimatedVariableClosingFee" BIGINT,
    "estimatedOrderHandlingFeePerOrder" BIGINT,
    "estimatedPickPackFeePerUnit" BIGINT,
    "estimatedWeightHandlingFeePerUnit" BIGINT,
    "expectedFulfillmentFeePerUnit" BIGINT,
    "estimatedFutureFee" BIGINT,
    "estimatedFutureOrderHandlingFeePerOrder" BIGINT,
    "estimatedFuturePickPackFeePerUnit" BIGINT,
    "estimatedFutureWeightHandlingFeePerUnit" BIGINT,
    "expectedFutureFulfillmentFeePerUnit" BIGINT,
    "currentFeeCategory" TEXT,
    "futureFeeCategory" TEXT,
    "futureFeeCategoryEffectiveDate" TIMESTAMPTZ(3),
    "raw" JSONB NOT NULL,
    "sourceReport" TEXT NOT NULL,
    "sourceLine" INTEGER NOT NULL,
    "syncedAt" TIMESTAMPTZ(3) NOT NULL,
    "isSandbox" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "FeePreview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InventorySnapshot" (
    "id" BIGSERIAL NOT NULL,
    "sellerConnectionId" TEXT NOT NULL,
    "snapshotDate" DATE NOT NULL,
    "sku" TEXT NOT NULL DEFAULT '',
    "fnsku" TEXT,
    "asin" TEXT,
    "productName" TEXT,
    "condition" TEXT,
    "yourPrice" BIGINT,
    "mfnListingExists" BOOLEAN,
    "mfnFulfillableQuantity" INTEGER,
    "afnListingExists" BOOLEAN,
    "afnWarehouseQuantity" INTEGER,
    "afnFulfillableQuantity" INTEGER,
    "afnUnsellableQuantity" INTEGER,
    "afnReservedQuantity" INTEGER,
    "afnTotalQuantity" INTEGER,
    "perUnitVolume" DECIMAL(65,30),
    "afnInboundWorkingQuantity" INTEGER,
    "afnInboundShippedQuantity" INTEGER,
    "afnInboundReceivingQuantity" INTEGER,
    "afnResearchingQuantity" INTEGER,
    "afnReservedFutureSupply" INTEGER,
    "afnFutureSupplyBuyable" INTEGER,
    "raw" JSONB NOT NULL,
    "sourceReport" TEXT NOT NULL,
    "sourceLine" INTEGER NOT NULL,
    "syncedAt" TIMESTAMPTZ(3) NOT NULL,
    "isSandbox" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "InventorySnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SettlementLine" (
    "id" BIGSERIAL NOT NULL,
    "sellerConnectionId" TEXT NOT NULL,
    "settlementId" TEXT NOT NULL DEFAULT '',
    "settlementStartDate" TIMESTAMPTZ(3),
    "settlementEndDate" TIMESTAMPTZ(3),
    "depositDate" TIMESTAMPTZ(3),
    "totalAmount" BIGINT,
    "currency" TEXT,
    "transactionType" TEXT NOT NULL DEFAULT '',
    "orderId" TEXT NOT NULL DEFAULT '',
    "merchantOrderId" TEXT,
    "adjustmentId" TEXT NOT NULL DEFAULT '',
    "shipmentId" TEXT,
    "marketplaceName" TEXT,
    "amountType" TEXT NOT NULL DEFAULT '',
    "amountDescription" TEXT NOT NULL DEFAULT '',
    "amount" BIGINT,
    "fulfillmentId" TEXT,
    "postedDate" DATE,
    "postedDateTime" TIMESTAMPTZ(3),
    "orderItemCode" TEXT NOT NULL DEFAULT '',
    "merchantOrderItemId" TEXT,
    "merchantAdjustmentItemId" TEXT,
    "sku" TEXT,
    "quantityPurchased" INTEGER,
    "promotionId" TEXT,
    "raw" JSONB NOT NULL,
    "sourceReport" TEXT NOT NULL,
    "sourceLine" INTEGER NOT NULL,
    "syncedAt" TIMESTAMPTZ(3) NOT NULL,
    "isSandbox" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "SettlementLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncRun" (
    "id" TEXT NOT NULL,
    "sellerConnectionId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "progress" INTEGER NOT NULL DEFAULT 0,
    "message" TEXT NOT NULL DEFAULT '',
    "counts" JSONB NOT NULL DEFAULT '{}',
    "unitsPlanned" INTEGER NOT NULL DEFAULT 0,
    "unitsDone" INTEGER NOT NULL DEFAULT 0,
    "etaAt" TIMESTAMPTZ(3),
    "error" TEXT,
    "trigger" TEXT NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncTask" (
    "id" TEXT NOT NULL,
    "syncRunId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "windowStart" TIMESTAMPTZ(3),
    "windowEnd" TIMESTAMPTZ(3),
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "rows" INTEGER NOT NULL DEFAULT 0,
    "malformedRows" INTEGER NOT NULL DEFAULT 0,
    "reportId" TEXT,
    "reportDocumentId" TEXT,
    "resumeLine" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "SyncTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncRejectedRow" (
    "id" BIGSERIAL NOT NULL,
    "syncTaskId" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SyncRejectedRow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataSourceState" (
    "sellerConnectionId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "lastPulledAt" TIMESTAMPTZ(3),
    "watermark" TIMESTAMPTZ(3),
    "health" TEXT NOT NULL DEFAULT 'never',
    "lastError" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DataSourceState_pkey" PRIMARY KEY ("sellerConnectionId","source")
);

-- CreateTable
CREATE TABLE "ProgressEvent" (
    "id" BIGSERIAL NOT NULL,
    "syncRunId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "progress" INTEGER NOT NULL,
    "message" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProgressEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "userId" TEXT,
    "sellerConnectionId" TEXT,
    "syncRunId" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FinancialEvent_sellerConnectionId_postedDate_idx" ON "FinancialEvent"("sellerConnectionId", "postedDate");

-- CreateIndex
CREATE INDEX "FinancialEvent_sellerConnectionId_amazonOrderId_idx" ON "FinancialEvent"("sellerConnectionId", "amazonOrderId");

-- CreateIndex
CREATE INDEX "FinancialEvent_sellerConnectionId_sellerSku_idx" ON "FinancialEvent"("sellerConnectionId", "sellerSku");

-- CreateIndex
CREATE INDEX "FinancialEvent_sellerConnectionId_fnsku_idx" ON "FinancialEvent"("sellerConnectionId", "fnsku");

-- CreateIndex
CREATE UNIQUE INDEX "FinancialEvent_sellerConnectionId_eventType_eventKey_key" ON "FinancialEvent"("sellerConnectionId", "eventType", "eventKey");

-- CreateIndex
CREATE INDEX "InboundShipment_sellerConnectionId_shipmentStatus_idx" ON "InboundShipment"("sellerConnectionId", "shipmentStatus");

-- CreateIndex
CREATE UNIQUE INDEX "InboundShipment_sellerConnectionId_shipmentId_key" ON "InboundShipment"("sellerConnectionId", "shipmentId");

-- CreateIndex
CREATE INDEX "InboundShipmentItem_sellerConnectionId_fnsku_idx" ON "InboundShipmentItem"("sellerConnectionId", "fnsku");

-- CreateIndex
CREATE INDEX "InboundShipmentItem_sellerConnectionId_sellerSku_idx" ON "InboundShipmentItem"("sellerConnectionId", "sellerSku");

-- CreateIndex
CREATE UNIQUE INDEX "InboundShipmentItem_sellerConnectionId_shipmentId_sellerSku_key" ON "InboundShipmentItem"("sellerConnectionId", "shipmentId", "sellerSku");

-- CreateIndex
CREATE INDEX "InventorySummary_sellerConnectionId_fnsku_idx" ON "InventorySummary"("sellerConnectionId", "fnsku");

-- CreateIndex
CREATE INDEX "InventorySummary_sellerConnectionId_sellerSku_idx" ON "InventorySummary"("sellerConnectionId", "sellerSku");

-- CreateIndex
CREATE UNIQUE INDEX "InventorySummary_sellerConnectionId_snapshotDate_marketplac_key" ON "InventorySummary"("sellerConnectionId", "snapshotDate", "marketplaceId", "sellerSku");

-- CreateIndex
CREATE INDEX "LedgerDetail_sellerConnectionId_fnsku_idx" ON "LedgerDetail"("sellerConnectionId", "fnsku");

-- CreateIndex
CREATE INDEX "LedgerDetail_sellerConnectionId_asin_idx" ON "LedgerDetail"("sellerConnectionId", "asin");

-- CreateIndex
CREATE INDEX "LedgerDetail_sellerConnectionId_msku_idx" ON "LedgerDetail"("sellerConnectionId", "msku");

-- CreateIndex
CREATE INDEX "LedgerDetail_sellerConnectionId_date_idx" ON "LedgerDetail"("sellerConnectionId", "date");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerDetail_sellerConnectionId_date_fnsku_eventType_refere_key" ON "LedgerDetail"("sellerConnectionId", "date", "fnsku", "eventType", "referenceId", "fulfillmentCenter", "disposition", "reason", "quantity", "occurrence");

-- CreateIndex
CREATE INDEX "Reimbursement_sellerConnectionId_sku_idx" ON "Reimbursement"("sellerConnectionId", "sku");

-- CreateIndex
CREATE INDEX "Reimbursement_sellerConnectionId_fnsku_idx" ON "Reimbursement"("sellerConnectionId", "fnsku");

-- CreateIndex
CREATE INDEX "Reimbursement_sellerConnectionId_asin_idx" ON "Reimbursement"("sellerConnectionId", "asin");

-- CreateIndex
CREATE INDEX "Reimbursement_sellerConnectionId_approvalDate_idx" ON "Reimbursement"("sellerConnectionId", "approvalDate");

-- CreateIndex
CREATE UNIQUE INDEX "Reimbursement_sellerConnectionId_reimbursementId_fnsku_sku_key" ON "Reimbursement"("sellerConnectionId", "reimbursementId", "fnsku", "sku");

-- CreateIndex
CREATE INDEX "CustomerReturn_sellerConnectionId_sku_idx" ON "CustomerReturn"("sellerConnectionId", "sku");

-- CreateIndex
CREATE INDEX "CustomerReturn_sellerConnectionId_asin_idx" ON "CustomerReturn"("sellerConnectionId", "asin");

-- CreateIndex
CREATE INDEX "CustomerReturn_sellerConnectionId_fnsku_idx" ON "CustomerReturn"("sellerConnectionId", "fnsku");

-- CreateIndex
CREATE INDEX "CustomerReturn_sellerConnectionId_returnDate_idx" ON "CustomerReturn"("sellerConnectionId", "returnDate");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerReturn_sellerConnectionId_orderId_fnsku_licensePlat_key" ON "CustomerReturn"("sellerConnectionId", "orderId", "fnsku", "licensePlateNumber", "returnDate");

-- CreateIndex
CREATE INDEX "RemovalOrder_sellerConnectionId_sku_idx" ON "RemovalOrder"("sellerConnectionId", "sku");

-- CreateIndex
CREATE INDEX "RemovalOrder_sellerConnectionId_fnsku_idx" ON "RemovalOrder"("sellerConnectionId", "fnsku");

-- CreateIndex
CREATE INDEX "RemovalOrder_sellerConnectionId_lastUpdatedDate_idx" ON "RemovalOrder"("sellerConnectionId", "lastUpdatedDate");

-- CreateIndex
CREATE UNIQUE INDEX "RemovalOrder_sellerConnectionId_orderId_fnsku_disposition_key" ON "RemovalOrder"("sellerConnectionId", "orderId", "fnsku", "disposition");

-- CreateIndex
CREATE INDEX "RemovalShipment_sellerConnectionId_sku_idx" ON "RemovalShipment"("sellerConnectionId", "sku");

-- CreateIndex
CREATE INDEX "RemovalShipment_sellerConnectionId_fnsku_idx" ON "RemovalShipment"("sellerConnectionId", "fnsku");

-- CreateIndex
CREATE INDEX "RemovalShipment_sellerConnectionId_shipmentDate_idx" ON "RemovalShipment"("sellerConnectionId", "shipmentDate");

-- CreateIndex
CREATE UNIQUE INDEX "RemovalShipment_sellerConnectionId_orderId_fnsku_dispositio_key" ON "RemovalShipment"("sellerConnectionId", "orderId", "fnsku", "disposition", "trackingNumber");

-- CreateIndex
CREATE INDEX "OrderItem_sellerConnectionId_sku_idx" ON "OrderItem"("sellerConnectionId", "sku");

-- CreateIndex
CREATE INDEX "OrderItem_sellerConnectionId_asin_idx" ON "OrderItem"("sellerConnectionId", "asin");

-- CreateIndex
CREATE INDEX "OrderItem_sellerConnectionId_lastUpdatedDate_idx" ON "OrderItem"("sellerConnectionId", "lastUpdatedDate");

-- CreateIndex
CREATE UNIQUE INDEX "OrderItem_sellerConnectionId_amazonOrderId_sku_key" ON "OrderItem"("sellerConnectionId", "amazonOrderId", "sku");

-- CreateIndex
CREATE INDEX "CustomerShipment_sellerConnectionId_sku_idx" ON "CustomerShipment"("sellerConnectionId", "sku");

-- CreateIndex
CREATE INDEX "CustomerShipment_sellerConnectionId_fnsku_idx" ON "CustomerShipment"("sellerConnectionId", "fnsku");

-- CreateIndex
CREATE INDEX "CustomerShipment_sellerConnectionId_asin_idx" ON "CustomerShipment"("sellerConnectionId", "asin");

-- CreateIndex
CREATE INDEX "CustomerShipment_sellerConnectionId_shipmentDate_idx" ON "CustomerShipment"("sellerConnectionId", "shipmentDate");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerShipment_sellerConnectionId_amazonOrderId_fnsku_shi_key" ON "CustomerShipment"("sellerConnectionId", "amazonOrderId", "fnsku", "shipmentDate", "fulfillmentCenterId");

-- CreateIndex
CREATE INDEX "ReplacementShipment_sellerConnectionId_sku_idx" ON "ReplacementShipment"("sellerConnectionId", "sku");

-- CreateIndex
CREATE INDEX "ReplacementShipment_sellerConnectionId_asin_idx" ON "ReplacementShipment"("sellerConnectionId", "asin");

-- CreateIndex
CREATE INDEX "ReplacementShipment_sellerConnectionId_shipmentDate_idx" ON "ReplacementShipment"("sellerConnectionId", "shipmentDate");

-- CreateIndex
CREATE UNIQUE INDEX "ReplacementShipment_sellerConnectionId_replacementAmazonOrd_key" ON "ReplacementShipment"("sellerConnectionId", "replacementAmazonOrderId", "sku");

-- CreateIndex
CREATE INDEX "LedgerSummary_sellerConnectionId_fnsku_idx" ON "LedgerSummary"("sellerConnectionId", "fnsku");

-- CreateIndex
CREATE INDEX "LedgerSummary_sellerConnectionId_asin_idx" ON "LedgerSummary"("sellerConnectionId", "asin");

-- CreateIndex
CREATE INDEX "LedgerSummary_sellerConnectionId_msku_idx" ON "LedgerSummary"("sellerConnectionId", "msku");

-- CreateIndex
CREATE INDEX "LedgerSummary_sellerConnectionId_date_idx" ON "LedgerSummary"("sellerConnectionId", "date");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerSummary_sellerConnectionId_date_fnsku_disposition_loc_key" ON "LedgerSummary"("sellerConnectionId", "date", "fnsku", "disposition", "location");

-- CreateIndex
CREATE INDEX "StorageFee_sellerConnectionId_asin_idx" ON "StorageFee"("sellerConnectionId", "asin");

-- CreateIndex
CREATE INDEX "StorageFee_sellerConnectionId_fnsku_idx" ON "StorageFee"("sellerConnectionId", "fnsku");

-- CreateIndex
CREATE INDEX "StorageFee_sellerConnectionId_monthOfCharge_idx" ON "StorageFee"("sellerConnectionId", "monthOfCharge");

-- CreateIndex
CREATE UNIQUE INDEX "StorageFee_sellerConnectionId_monthOfCharge_fnsku_fulfillme_key" ON "StorageFee"("sellerConnectionId", "monthOfCharge", "fnsku", "fulfillmentCenter");

-- CreateIndex
CREATE INDEX "FeePreview_sellerConnectionId_sku_idx" ON "FeePreview"("sellerConnectionId", "sku");

-- CreateIndex
CREATE INDEX "FeePreview_sellerConnectionId_fnsku_idx" ON "FeePreview"("sellerConnectionId", "fnsku");

-- CreateIndex
CREATE INDEX "FeePreview_sellerConnectionId_asin_idx" ON "FeePreview"("sellerConnectionId", "asin");

-- CreateIndex
CREATE INDEX "FeePreview_sellerConnectionId_snapshotDate_idx" ON "FeePreview"("sellerConnectionId", "snapshotDate");

-- CreateIndex
CREATE UNIQUE INDEX "FeePreview_sellerConnectionId_snapshotDate_sku_key" ON "FeePreview"("sellerConnectionId", "snapshotDate", "sku");

-- CreateIndex
CREATE INDEX "InventorySnapshot_sellerConnectionId_sku_idx" ON "InventorySnapshot"("sellerConnectionId", "sku");

-- CreateIndex
CREATE INDEX "InventorySnapshot_sellerConnectionId_fnsku_idx" ON "InventorySnapshot"("sellerConnectionId", "fnsku");

-- CreateIndex
CREATE INDEX "InventorySnapshot_sellerConnectionId_asin_idx" ON "InventorySnapshot"("sellerConnectionId", "asin");

-- CreateIndex
CREATE INDEX "InventorySnapshot_sellerConnectionId_snapshotDate_idx" ON "InventorySnapshot"("sellerConnectionId", "snapshotDate");

-- CreateIndex
CREATE UNIQUE INDEX "InventorySnapshot_sellerConnectionId_snapshotDate_sku_key" ON "InventorySnapshot"("sellerConnectionId", "snapshotDate", "sku");

-- CreateIndex
CREATE INDEX "SettlementLine_sellerConnectionId_sku_idx" ON "SettlementLine"("sellerConnectionId", "sku");

-- CreateIndex
CREATE INDEX "SettlementLine_sellerConnectionId_postedDateTime_idx" ON "SettlementLine"("sellerConnectionId", "postedDateTime");

-- CreateIndex
CREATE UNIQUE INDEX "SettlementLine_sellerConnectionId_settlementId_transactionT_key" ON "SettlementLine"("sellerConnectionId", "settlementId", "transactionType", "orderId", "adjustmentId", "orderItemCode", "amountType", "amountDescription");

-- CreateIndex
CREATE INDEX "SyncRun_sellerConnectionId_startedAt_idx" ON "SyncRun"("sellerConnectionId", "startedAt");

-- CreateIndex
CREATE INDEX "SyncRun_status_idx" ON "SyncRun"("status");

-- CreateIndex
CREATE INDEX "SyncTask_syncRunId_status_idx" ON "SyncTask"("syncRunId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "SyncTask_syncRunId_source_windowStart_key" ON "SyncTask"("syncRunId", "source", "windowStart");

-- CreateIndex
CREATE UNIQUE INDEX "SyncRejectedRow_syncTaskId_line_key" ON "SyncRejectedRow"("syncTaskId", "line");

-- CreateIndex
CREATE INDEX "ProgressEvent_syncRunId_id_idx" ON "ProgressEvent"("syncRunId", "id");

-- CreateIndex
CREATE INDEX "AuditLog_sellerConnectionId_at_idx" ON "AuditLog"("sellerConnectionId", "at");

-- CreateIndex
CREATE INDEX "AuditLog_userId_at_idx" ON "AuditLog"("userId", "at");

-- AddForeignKey
ALTER TABLE "FinancialEvent" ADD CONSTRAINT "FinancialEvent_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboundShipment" ADD CONSTRAINT "InboundShipment_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboundShipmentItem" ADD CONSTRAINT "InboundShipmentItem_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InventorySummary" ADD CONSTRAINT "InventorySummary_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerDetail" ADD CONSTRAINT "LedgerDetail_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reimbursement" ADD CONSTRAINT "Reimbursement_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerReturn" ADD CONSTRAINT "CustomerReturn_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RemovalOrder" ADD CONSTRAINT "RemovalOrder_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RemovalShipment" ADD CONSTRAINT "RemovalShipment_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderItem" ADD CONSTRAINT "OrderItem_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerShipment" ADD CONSTRAINT "CustomerShipment_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReplacementShipment" ADD CONSTRAINT "ReplacementShipment_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerSummary" ADD CONSTRAINT "LedgerSummary_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StorageFee" ADD CONSTRAINT "StorageFee_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FeePreview" ADD CONSTRAINT "FeePreview_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InventorySnapshot" ADD CONSTRAINT "InventorySnapshot_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SettlementLine" ADD CONSTRAINT "SettlementLine_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncRun" ADD CONSTRAINT "SyncRun_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncTask" ADD CONSTRAINT "SyncTask_syncRunId_fkey" FOREIGN KEY ("syncRunId") REFERENCES "SyncRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DataSourceState" ADD CONSTRAINT "DataSourceState_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProgressEvent" ADD CONSTRAINT "ProgressEvent_syncRunId_fkey" FOREIGN KEY ("syncRunId") REFERENCES "SyncRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
