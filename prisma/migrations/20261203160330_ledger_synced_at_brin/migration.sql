-- CreateIndex
CREATE INDEX "CustomerReturn_syncedAt_idx" ON "CustomerReturn" USING BRIN ("syncedAt");

-- CreateIndex
CREATE INDEX "CustomerShipment_syncedAt_idx" ON "CustomerShipment" USING BRIN ("syncedAt");

-- CreateIndex
CREATE INDEX "FeePreview_syncedAt_idx" ON "FeePreview" USING BRIN ("syncedAt");

-- CreateIndex
CREATE INDEX "FinancialEvent_syncedAt_idx" ON "FinancialEvent" USING BRIN ("syncedAt");

-- CreateIndex
CREATE INDEX "InboundShipment_syncedAt_idx" ON "InboundShipment" USING BRIN ("syncedAt");

-- CreateIndex
CREATE INDEX "InboundShipmentItem_syncedAt_idx" ON "InboundShipmentItem" USING BRIN ("syncedAt");

-- CreateIndex
CREATE INDEX "InventorySnapshot_syncedAt_idx" ON "InventorySnapshot" USING BRIN ("syncedAt");

-- CreateIndex
CREATE INDEX "InventorySummary_syncedAt_idx" ON "InventorySummary" USING BRIN ("syncedAt");

-- CreateIndex
CREATE INDEX "LedgerDetail_syncedAt_idx" ON "LedgerDetail" USING BRIN ("syncedAt");

-- CreateIndex
CREATE INDEX "LedgerSummary_syncedAt_idx" ON "LedgerSummary" USING BRIN ("syncedAt");

-- CreateIndex
CREATE INDEX "OrderItem_syncedAt_idx" ON "OrderItem" USING BRIN ("syncedAt");

-- CreateIndex
CREATE INDEX "Reimbursement_syncedAt_idx" ON "Reimbursement" USING BRIN ("syncedAt");

-- CreateIndex
CREATE INDEX "RemovalOrder_syncedAt_idx" ON "RemovalOrder" USING BRIN ("syncedAt");

-- CreateIndex
CREATE INDEX "RemovalShipment_syncedAt_idx" ON "RemovalShipment" USING BRIN ("syncedAt");

-- CreateIndex
CREATE INDEX "ReplacementShipment_syncedAt_idx" ON "ReplacementShipment" USING BRIN ("syncedAt");

-- CreateIndex
CREATE INDEX "SettlementLine_syncedAt_idx" ON "SettlementLine" USING BRIN ("syncedAt");

-- CreateIndex
CREATE INDEX "StorageFee_syncedAt_idx" ON "StorageFee" USING BRIN ("syncedAt");
