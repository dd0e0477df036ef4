"use server";
// The sign-in form's server action (works without JavaScript: the form posts here) and sign-out.
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { checkCredentials } from "@/lib/auth/auth-options";
import { echoEmail, formText } from "@/lib/auth/form-input";
import { clearedSessionCookie, issueSessionCookie, sessionIdFromCookie } from "@/lib/auth/session-cookie";
import { describeFailedSignIn, describeSignInError } from "@/lib/auth/sign-in-messages";
import { revokeSession } from "@/lib/auth/sessions";
import { safeRedirectPath } from "@/lib/http/safe-redirect";
import { log } from "@/lib/observability/logger";

export interface SignInFormState {
  error: string | null;
  email: string;
}

export async function signInAction(_previous: SignInFormState, form: FormData): Promise<SignInFormState> {
  const email = formText(form, "email");
  const destination = safeRedirectPath(formText(form, "callbackUrl"));
  try {
    const result = await checkCredentials({ email, password: formText(form, "password") }, await headers());
    if (!result.ok) return { error: describeFailedSignIn(result), email: echoEmail(email) };
    const cookie = await issueSessionCookie(result.user);
    (await cookies()).set(cookie.name, cookie.value, cookie.options);
  } catch (error) {
    log.error({ errorClass: error instanceof Error ? error.name : "unknown error" }, "Sign-in failed");
    return { error: describeSignInError("SignInUnavailable"), email: echoEmail(email) };
  }
  redirect(destination);
}

/** Ends this browser's session on the server and removes its cookie. */
export async function signOutAction(): Promise<void> {
  const jar = await cookies();
  const cleared = clearedSessionCookie();
  await revokeSession(await sessionIdFromCookie(jar.get(cleared.name)?.value));
  jar.set(cleared.name, cleared.value, cleared.options);
  redirect("/signin");
}
