// GET /api/sync/status: whether a sync of the seller runs, and the one to show (lib/sync/api/views.ts).
import { otherMethods } from "@/lib/api/route-wrappers";
import { syncStatusHandler } from "@/lib/sync/api/view-handlers";

export const dynamic = "force-dynamic";

export const GET = syncStatusHandler;

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
