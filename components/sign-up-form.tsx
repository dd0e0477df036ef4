"use client";

// Posts to a server action (works without JavaScript; the password never goes into a URL).
import { useActionState } from "react";
import { signUpAction, type SignUpFormState } from "@/app/signup/actions";
import { Field, FormError, primaryButton, NewPasswordField } from "./auth-card";

export function SignUpForm() {
  const [state, formAction, pending] = useActionState<SignUpFormState, FormData>(signUpAction, { error: null, email: "" });
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <Field label="Email" name="email" type="email" autoComplete="email" defaultValue={state.email} />
      <NewPasswordField label="Password" name="password" />
      <FormError message={state.error} />
      <button type="submit" disabled={pending} className={primaryButton}>
        {pending ? "Creating account…" : "Create account"}
      </button>
    </form>
  );
}
