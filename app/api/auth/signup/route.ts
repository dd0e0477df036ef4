import { NextResponse } from "next/server";
import { parseJsonBody } from "@/lib/api/errors";
import { otherMethods, withAnonymous } from "@/lib/api/route-wrappers";
import { signUp, signUpSchema } from "@/lib/auth/sign-up";
import { enforceRateLimits, signUpRateLimitRules } from "@/lib/http/rate-limit";

export const POST = withAnonymous(async (request) => {
  const input = await parseJsonBody(request, signUpSchema);
  // Counted once the request is valid and before the (deliberately slow) password hashing.
  await enforceRateLimits(signUpRateLimitRules(request));
  const user = await signUp(input);
  return NextResponse.json({ user }, { status: 201 });
});

// Every other method: 405 in the JSON error shape.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
