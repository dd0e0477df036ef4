// GET /api/jobs/user/:userId (seed 000): the signed-in user's jobs; any other user id is a 404.
import { otherMethods } from "@/lib/api/route-wrappers";
import { userJobsHandler } from "@/lib/sync/api/view-handlers";

export const dynamic = "force-dynamic";

export const GET = userJobsHandler;

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
