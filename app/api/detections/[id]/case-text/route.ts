// GET /api/detections/:id/case-text: { caseText }, ready to paste into a Seller Central case.
import { otherMethods } from "@/lib/api/route-wrappers";
import { caseTextHandler } from "@/lib/detection/evidence/handlers";

export const dynamic = "force-dynamic";

export const GET = caseTextHandler;

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
