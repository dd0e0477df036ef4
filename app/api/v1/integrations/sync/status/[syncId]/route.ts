// GET /api/v1/integrations/sync/status/:syncId: alias of /api/sync/status/:syncId (the same handler).
import { otherMethods } from "@/lib/api/route-wrappers";
import { syncRunStatusHandler } from "@/lib/sync/api/view-handlers";

export const dynamic = "force-dynamic";

export const GET = syncRunStatusHandler;

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
