// GET /api/documents/:id/file: the document's bytes as an attachment (its content type as sniffed at upload).
import { otherMethods } from "@/lib/api/route-wrappers";
import { documentFileHandler } from "@/lib/documents/handlers";

export const dynamic = "force-dynamic";

export const GET = documentFileHandler;

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
