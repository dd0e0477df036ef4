// Seed 000's callback path: the same handler as /api/amazon/callback.
import { otherMethods } from "@/lib/api/route-wrappers";

export { GET } from "@/app/api/amazon/callback/route";
export const dynamic = "force-dynamic";
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
