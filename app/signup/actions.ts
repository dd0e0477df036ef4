"use server";
// The sign-up form's server action: creates the account, signs it in, goes to the dashboard. Works
// without JavaScript (the form posts here); the same checks and limit as POST /api/auth/signup.
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { echoEmail, formErrorMessage, formText } from "@/lib/auth/form-input";
import { issueSessionCookie } from "@/lib/auth/session-cookie";
import { signUp, signUpSchema } from "@/lib/auth/sign-up";
import { env } from "@/lib/env";
import { enforceRateLimits, signUpRateLimitRules } from "@/lib/http/rate-limit";

export interface SignUpFormState {
  error: string | null;
  email: string;
}

export async function signUpAction(_previous: SignUpFormState, form: FormData): Promise<SignUpFormState> {
  const email = formText(form, "email");
  try {
    const input = signUpSchema.parse({ email, password: formText(form, "password") });
    // The sign-up limit reads the client address from the request's headers.
    await enforceRateLimits(signUpRateLimitRules(new Request(env().APP_URL, { headers: await headers() })));
    const user = await signUp(input);
    const cookie = await issueSessionCookie(user);
    (await cookies()).set(cookie.name, cookie.value, cookie.options);
  } catch (error) {
    return { error: formErrorMessage(error), email: echoEmail(email) };
  }
  redirect("/dashboard");
}
