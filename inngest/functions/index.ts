// Every function the app serves; app/api/inngest/route.ts hands this list to serve().
import { detectDiscrepancies } from "./detect-discrepancies";
import { onAmazonConnected } from "./on-amazon-connected";
import { onSyncStopped } from "./on-sync-stopped";
import { resendSyncTriggers } from "./resend-sync-triggers";
import { syncSeller } from "./sync-seller";
import { syncSource } from "./sync-source";
import { syncCron } from "./sync-cron";
import { syncSchedule } from "@/lib/env";

// The incremental cron is served only while background sync is on (ENABLE_BACKGROUND_SYNC).
export const functions = [onAmazonConnected, resendSyncTriggers, syncSeller, syncSource, onSyncStopped, detectDiscrepancies, ...(syncSchedule().ENABLE_BACKGROUND_SYNC ? [syncCron] : [])];
