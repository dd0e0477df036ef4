import { otherMethods } from "@/lib/api/route-wrappers";
import { forceSyncHandler } from "@/app/api/sync/_write/handlers";

export const dynamic = "force-dynamic";
export const POST = forceSyncHandler;
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
