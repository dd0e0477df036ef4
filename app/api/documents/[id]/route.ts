// GET /api/documents/:id -> { document }; DELETE /api/documents/:id -> 204 (the row, then the stored file).
import { otherMethods } from "@/lib/api/route-wrappers";
import { deleteDocumentHandler, documentHandler } from "@/lib/documents/handlers";

export const dynamic = "force-dynamic";

export const GET = documentHandler;
export const DELETE = deleteDocumentHandler;

export const { POST, PUT, PATCH, OPTIONS } = otherMethods("GET", "DELETE");
