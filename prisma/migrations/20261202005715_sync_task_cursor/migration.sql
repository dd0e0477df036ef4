-- AlterTable
ALTER TABLE "SyncTask" ADD COLUMN     "cursor" JSONB;
