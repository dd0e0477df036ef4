// GET /api/detections/:id (one finding with its explanation, evidence, history and the SKU's set-asides)
// and PATCH /api/detections/:id (the seller's status with a note, in the audit trail). docs/detection-api.md.
import { otherMethods } from "@/lib/api/route-wrappers";
import { detectionDetailHandler, detectionStatusHandler } from "@/lib/detection/api/handlers";

export const dynamic = "force-dynamic";

export const GET = detectionDetailHandler;
export const PATCH = detectionStatusHandler;

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, DELETE, OPTIONS } = otherMethods("GET", "PATCH");
