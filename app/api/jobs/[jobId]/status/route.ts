// GET /api/jobs/:jobId/status (seed 000): a sync run as a job. Same handler as /api/v1/jobs/:jobId/status.
import { otherMethods } from "@/lib/api/route-wrappers";
import { jobStatusHandler } from "@/lib/sync/api/view-handlers";

export const dynamic = "force-dynamic";

export const GET = jobStatusHandler;

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
