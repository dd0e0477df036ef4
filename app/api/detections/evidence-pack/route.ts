// GET /api/detections/evidence-pack?sellerConnectionId=: a ZIP of every open claim's CSV, case text and cited documents, plus index.csv (streamed).
import { otherMethods } from "@/lib/api/route-wrappers";
import { evidencePackHandler } from "@/lib/detection/evidence/handlers";

export const dynamic = "force-dynamic";

export const GET = evidencePackHandler;

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
