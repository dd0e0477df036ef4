-- DropIndex
DROP INDEX "SellerConnection_sellingPartnerId_region_key";

-- AlterTable
ALTER TABLE "SellerConnection" ADD COLUMN     "accountFingerprint" TEXT;

-- CreateIndex
CREATE INDEX "SellerConnection_region_accountFingerprint_idx" ON "SellerConnection"("region", "accountFingerprint");

-- CreateIndex
CREATE UNIQUE INDEX "SellerConnection_userId_sellingPartnerId_region_key" ON "SellerConnection"("userId", "sellingPartnerId", "region");
