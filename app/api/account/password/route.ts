// POST /api/account/password { currentPassword, newPassword }: changes the signed-in user's password.
// Every session of the account ends; the response carries a fresh session cookie for this client.
import { NextResponse } from "next/server";
import { parseJsonBody } from "@/lib/api/errors";
import { otherMethods, withUser } from "@/lib/api/route-wrappers";
import { checkCredentials } from "@/lib/auth/auth-options";
import { changePassword, changePasswordSchema } from "@/lib/auth/change-password";

export const POST = withUser(async (request, { user }) => {
  const input = await parseJsonBody(request, changePasswordSchema);
  const { cookie, endedSessions } = await changePassword(user, input, (credentials) => checkCredentials(credentials, request.headers));
  const response = NextResponse.json({ changed: true, endedSessions });
  response.cookies.set(cookie.name, cookie.value, cookie.options);
  return response;
});

// Every other method: 405 in the JSON error shape.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
