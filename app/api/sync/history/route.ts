// GET /api/sync/history?limit&offset: the seller's syncs, newest first. Same handler as /api/v1/integrations/sync/history.
import { otherMethods } from "@/lib/api/route-wrappers";
import { syncHistoryHandler } from "@/lib/sync/api/view-handlers";

export const dynamic = "force-dynamic";

export const GET = syncHistoryHandler;

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
