import { otherMethods } from "@/lib/api/route-wrappers";
import { cancelJobHandler } from "@/app/api/sync/_write/handlers";

export const dynamic = "force-dynamic";
export const POST = cancelJobHandler;
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
