// GET /api/v1/claims/summary/:userId (seed 003): the caller's own claims summary; another user's id is a 404.
import { otherMethods } from "@/lib/api/route-wrappers";
import { claimsSummaryHandler } from "@/lib/detection/api/handlers";

export const dynamic = "force-dynamic";

export const GET = claimsSummaryHandler;

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
