// GET /api/v1/jobs/:jobId/status (seed 003): alias of /api/jobs/:jobId/status (the same handler).
import { otherMethods } from "@/lib/api/route-wrappers";
import { jobStatusHandler } from "@/lib/sync/api/view-handlers";

export const dynamic = "force-dynamic";

export const GET = jobStatusHandler;

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
