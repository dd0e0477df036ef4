import { otherMethods } from "@/lib/api/route-wrappers";
import { cancelSyncHandler } from "@/app/api/sync/_write/handlers";

export const dynamic = "force-dynamic";
export const POST = cancelSyncHandler;
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
