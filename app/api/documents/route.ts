// POST /api/documents (multipart: file, kind, sku?, shipmentId?, removalOrderId?, note?, sellerConnectionId?) -> 201 { document };
// GET /api/documents?sku=&shipmentId=&removalOrderId=&sellerConnectionId= -> { items }.
import { otherMethods } from "@/lib/api/route-wrappers";
import { listDocumentsHandler, uploadDocumentHandler } from "@/lib/documents/handlers";

export const dynamic = "force-dynamic";

export const GET = listDocumentsHandler;
export const POST = uploadDocumentHandler;

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
