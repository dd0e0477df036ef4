import { otherMethods } from "@/lib/api/route-wrappers";
import { useConnectionHandler } from "@/app/api/sync/_write/handlers";

export const dynamic = "force-dynamic";
export const POST = useConnectionHandler;
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
