// DELETE /api/account { password, confirm: "DELETE" }: deletes the signed-in user's account and
// everything it owns (seller connections and their data), then clears the session cookie.
import { NextResponse } from "next/server";
import { amazonDisconnected, inngest } from "@/inngest/client";
import { parseJsonBody } from "@/lib/api/errors";
import { otherMethods, withUser } from "@/lib/api/route-wrappers";
import { checkCredentials } from "@/lib/auth/auth-options";
import { deleteAccount, deleteAccountSchema } from "@/lib/auth/delete-account";
import { clearedSessionCookie } from "@/lib/auth/session-cookie";

export const DELETE = withUser(async (request, { user }) => {
  const input = await parseJsonBody(request, deleteAccountSchema);
  const result = await deleteAccount(
    user,
    input,
    (credentials) => checkCredentials(credentials, request.headers),
    async (data, { id }) => void (await inngest.send(amazonDisconnected.create(data, { id }))),
  );
  const response = NextResponse.json({ deleted: true, ...result });
  const cleared = clearedSessionCookie();
  response.cookies.set(cleared.name, cleared.value, cleared.options);
  return response;
});

// Every other method: 405 in the JSON error shape.
export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");
