// POST /api/auth/password-reset/confirm { token, password }: sets a new password with an emailed
// token (single use, 30 minutes). Every session of the account ends; the user signs in again.
import { NextResponse } from "next/server";
import { parseJsonBody } from "@/lib/api/errors";
import { otherMethods, withAnonymous } from "@/lib/api/route-wrappers";
import { resetConfirmSchema, resetPassword } from "@/lib/auth/password-reset";

export const POST = withAnonymous(async (request) => {
  const input = await parseJsonBody(request, resetConfirmSchema);
  await resetPassword(input);
  return NextResponse.json({ reset: true });
});

// Every other method: 405 in the JSON error shape.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
