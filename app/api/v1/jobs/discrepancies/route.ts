// POST /api/v1/jobs/discrepancies (seed 003): the same handler as POST /api/detections/run.
import { otherMethods } from "@/lib/api/route-wrappers";
import { runDetectionHandler } from "@/app/api/detections/_write/handlers";

export const dynamic = "force-dynamic";

export const POST = runDetectionHandler;

// Every other method: 405 in the JSON error shape.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
