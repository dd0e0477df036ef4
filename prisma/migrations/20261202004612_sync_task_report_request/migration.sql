-- AlterTable
ALTER TABLE "SyncTask" ADD COLUMN     "notBefore" TIMESTAMPTZ(3),
ADD COLUMN     "reportRequestedAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "SyncTask_reportId_idx" ON "SyncTask"("reportId");
