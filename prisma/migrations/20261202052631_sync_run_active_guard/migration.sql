-- AlterTable
ALTER TABLE "SyncRun" ADD COLUMN     "activeFor" TEXT,
ADD COLUMN     "claimsDetected" INTEGER NOT NULL DEFAULT 0;

-- Backfill: the latest running run of each seller holds the guard.
UPDATE "SyncRun" r SET "activeFor" = r."sellerConnectionId"
WHERE r."status" = 'running'
  AND r."id" = (SELECT r2."id" FROM "SyncRun" r2 WHERE r2."sellerConnectionId" = r."sellerConnectionId" AND r2."status" = 'running' ORDER BY r2."startedAt" DESC, r2."id" DESC LIMIT 1);

-- CreateIndex
CREATE UNIQUE INDEX "SyncRun_activeFor_key" ON "SyncRun"("activeFor");
