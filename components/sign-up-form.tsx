"use client";

// Posts to a server action (works without JavaScript; the password never goes into a URL).
import { useActionState } from "react";
import { signUpAction, type SignUpFormState } from "@/app/signup/actions";
import { Field, FormError, primaryButton } from "./auth-card";

export function SignUpForm() {
  const [state, formAction, pending] = useActionState<SignUpFormState, FormData>(signUpAction, { error: null, email: "" });
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <Field label="Email" name="email" type="email" autoComplete="email" defaultValue={state.email} />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        hint="At least 10 characters, mixing letters with digits or symbols."
      />
      <FormError message={state.error} />
      <button type="submit" disabled={pending} className={primaryButton}>
        {pending ? "Creating account…" : "Create account"}
      </button>
    </form>
  );
}
