// POST /api/auth/password-reset { email }: mails a reset link when the email has an account. The
// answer is the same either way (202); too many requests for one email are a 429 either way.
import { NextResponse } from "next/server";
import { parseJsonBody } from "@/lib/api/errors";
import { otherMethods, withAnonymous } from "@/lib/api/route-wrappers";
import { RESET_REQUESTED_MESSAGE, requestPasswordReset, resetRequestSchema } from "@/lib/auth/password-reset";

export const POST = withAnonymous(async (request) => {
  const input = await parseJsonBody(request, resetRequestSchema);
  // Not waiting for the mail server: the answer takes as long for unknown emails as for known ones.
  const { delivery } = await requestPasswordReset(input);
  void delivery;
  return NextResponse.json({ message: RESET_REQUESTED_MESSAGE }, { status: 202 });
});

// Every other method: 405 in the JSON error shape.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
