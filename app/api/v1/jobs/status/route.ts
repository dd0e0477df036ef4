// GET /api/v1/jobs/status (seed 003): the caller's running jobs and the newest ended ones.
import { otherMethods } from "@/lib/api/route-wrappers";
import { jobsOverviewHandler } from "@/lib/sync/api/view-handlers";

export const dynamic = "force-dynamic";

export const GET = jobsOverviewHandler;

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
