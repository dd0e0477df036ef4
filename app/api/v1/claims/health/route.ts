// GET /api/v1/claims/health: whether detection can run for the user's sellers, rule by rule (docs/detection-api.md).
import { otherMethods } from "@/lib/api/route-wrappers";
import { claimsHealthHandler } from "@/lib/detection/api/handlers";

export const dynamic = "force-dynamic";

export const GET = claimsHealthHandler;

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
