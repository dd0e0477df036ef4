// Every function the app serves; app/api/inngest/route.ts hands this list to serve().
import { onAmazonConnected } from "./on-amazon-connected";
import { resendSyncTriggers } from "./resend-sync-triggers";

export const functions = [onAmazonConnected, resendSyncTriggers];
