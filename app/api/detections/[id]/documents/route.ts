// GET /api/detections/:id/documents: { required, documents, missing }: the document kinds the claim needs, those it cites, those not uploaded.
import { otherMethods } from "@/lib/api/route-wrappers";
import { claimDocumentsHandler } from "@/lib/detection/evidence/handlers";

export const dynamic = "force-dynamic";

export const GET = claimDocumentsHandler;

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
