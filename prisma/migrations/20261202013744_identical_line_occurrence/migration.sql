-- DropIndex
DROP INDEX "CustomerShipment_sellerConnectionId_amazonOrderId_fnsku_shi_key";

-- DropIndex
DROP INDEX "OrderItem_sellerConnectionId_amazonOrderId_sku_key";

-- AlterTable
ALTER TABLE "CustomerShipment" ADD COLUMN     "occurrence" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "OrderItem" ADD COLUMN     "occurrence" INTEGER NOT NULL DEFAULT 1;

-- CreateIndex
CREATE UNIQUE INDEX "CustomerShipment_sellerConnectionId_amazonOrderId_fnsku_shi_key" ON "CustomerShipment"("sellerConnectionId", "amazonOrderId", "fnsku", "shipmentDate", "fulfillmentCenterId", "occurrence");

-- CreateIndex
CREATE UNIQUE INDEX "OrderItem_sellerConnectionId_amazonOrderId_sku_occurrence_key" ON "OrderItem"("sellerConnectionId", "amazonOrderId", "sku", "occurrence");
