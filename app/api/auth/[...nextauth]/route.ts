import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/auth-options";
import { otherMethods } from "@/lib/api/route-wrappers";

function handler(request: Request, context: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(authOptions())(request, context);
}

export { handler as GET, handler as POST };

// Every other method: 405 in the JSON error shape.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
