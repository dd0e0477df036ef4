import { NextResponse } from "next/server";
import { parseJsonBody, toErrorResponse } from "@/lib/api/errors";
import { signUp, signUpSchema } from "@/lib/auth/sign-up";

export async function POST(request: Request) {
  try {
    const input = await parseJsonBody(request, signUpSchema);
    const user = await signUp(input);
    return NextResponse.json({ user }, { status: 201 });
  } catch (error) {
    return toErrorResponse(error);
  }
}
