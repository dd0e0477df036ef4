// POST /api/unit-costs/import: a CSV of unit costs (text/csv body or multipart `file`), line by line.
import { otherMethods } from "@/lib/api/route-wrappers";
import { importUnitCostsHandler } from "@/lib/detection/unit-costs/handlers";

export const dynamic = "force-dynamic";

export const POST = importUnitCostsHandler;

// Every other method: 405 in the JSON error shape.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
