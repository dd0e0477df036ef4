// What the sign-in page says for a sign-in outcome. Only fixed sentences: an `error` code in the
// URL (next-auth's redirects) is looked up, never shown as it is. Runs in the browser too.

/** The sentence for a next-auth error code (`CredentialsSignin`, `TooManyAttempts:<seconds>`, ...). */
export function describeSignInError(code: string): string {
  if (code.startsWith("TooManyAttempts")) {
    const seconds = Number(code.split(":")[1]);
    return `Too many failed attempts. Try again in ${Number.isInteger(seconds) && seconds > 0 ? seconds : 60} seconds.`;
  }
  if (code === "CredentialsSignin") return "Wrong email or password.";
  if (code === "SessionRequired") return "Sign in to continue.";
  return "Could not sign in. Please try again.";
}

/** The same for the result of a credentials check. */
export function describeFailedSignIn(result: { reason: string; retryAfterSeconds?: number }): string {
  if (result.reason === "too_many_attempts") return describeSignInError(`TooManyAttempts:${result.retryAfterSeconds ?? 60}`);
  return describeSignInError("CredentialsSignin");
}
