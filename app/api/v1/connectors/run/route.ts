import { otherMethods } from "@/lib/api/route-wrappers";
import { runConnectorHandler } from "@/app/api/sync/_write/handlers";

export const dynamic = "force-dynamic";
export const POST = runConnectorHandler;
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
