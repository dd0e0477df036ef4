-- CreateTable
CREATE TABLE "ReconciliationRule" (
    "id" TEXT NOT NULL,
    "sellerConnectionId" TEXT NOT NULL,
    "ruleType" TEXT NOT NULL,
    "threshold" DECIMAL(14,2),
    "minUnits" INTEGER,
    "severity" TEXT,
    "autoResolve" BOOLEAN NOT NULL DEFAULT false,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "conditions" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ReconciliationRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SellerDocument" (
    "id" TEXT NOT NULL,
    "sellerConnectionId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sku" TEXT,
    "shipmentId" TEXT,
    "removalOrderId" TEXT,
    "fileName" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "storage" TEXT NOT NULL,
    "storageKey" TEXT NOT NULL,
    "note" TEXT,
    "uploadedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SellerDocument_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ReconciliationRule_sellerConnectionId_ruleType_key" ON "ReconciliationRule"("sellerConnectionId", "ruleType");

-- CreateIndex
CREATE INDEX "SellerDocument_sellerConnectionId_sku_idx" ON "SellerDocument"("sellerConnectionId", "sku");

-- CreateIndex
CREATE INDEX "SellerDocument_sellerConnectionId_shipmentId_idx" ON "SellerDocument"("sellerConnectionId", "shipmentId");

-- CreateIndex
CREATE INDEX "SellerDocument_sellerConnectionId_removalOrderId_idx" ON "SellerDocument"("sellerConnectionId", "removalOrderId");

-- AddForeignKey
ALTER TABLE "ReconciliationRule" ADD CONSTRAINT "ReconciliationRule_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SellerDocument" ADD CONSTRAINT "SellerDocument_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;
