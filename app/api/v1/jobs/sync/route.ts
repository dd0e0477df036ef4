import { otherMethods } from "@/lib/api/route-wrappers";
import { startSyncHandler } from "@/app/api/sync/_write/handlers";

export const dynamic = "force-dynamic";
export const POST = startSyncHandler;
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
