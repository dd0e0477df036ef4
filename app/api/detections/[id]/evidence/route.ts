// GET /api/detections/:id/evidence: the claim's evidence CSV (rows, rule, arithmetic, case text) as an attachment.
import { otherMethods } from "@/lib/api/route-wrappers";
import { evidenceCsvHandler } from "@/lib/detection/evidence/handlers";

export const dynamic = "force-dynamic";

export const GET = evidenceCsvHandler;

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
