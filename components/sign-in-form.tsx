"use client";

// Posts to a server action: without JavaScript the browser submits the form itself (POST, never the
// password in a URL) and the page comes back with the outcome; with it, React submits it in place.
import { useActionState } from "react";
import { signInAction, type SignInFormState } from "@/app/signin/actions";
import { Field, FormError, primaryButton } from "./auth-card";

export function SignInForm({ callbackUrl, initialError }: { callbackUrl: string; initialError: string | null }) {
  const [state, formAction, pending] = useActionState<SignInFormState, FormData>(signInAction, { error: initialError, email: "" });
  // Uncontrolled with the action's echoed email as default: React's reset of the form after a failed
  // attempt restores the typed email, a value typed before hydration survives it, and without
  // JavaScript the server renders the page again with the email from the action's state.
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field label="Email" name="email" type="email" autoComplete="email" defaultValue={state.email} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" />
      <FormError message={state.error} />
      <button type="submit" disabled={pending} className={primaryButton}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
