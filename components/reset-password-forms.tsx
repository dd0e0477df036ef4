"use client";

// "Forgot password?": ask for a link, then choose a new password with it. Server actions, so both
// work without JavaScript; the token travels in the form body, the new password never in a URL.
import { useActionState } from "react";
import { requestResetAction, resetPasswordAction, type ResetFormState } from "@/app/reset-password/actions";
import { Field, FormError, FormMessage, primaryButton, NewPasswordField } from "./auth-card";

const initial: ResetFormState = { error: null, message: null, email: "" };

export function ResetRequestForm() {
  const [state, formAction, pending] = useActionState(requestResetAction, initial);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <Field label="Email" name="email" type="email" autoComplete="email" defaultValue={state.email} />
      <FormError message={state.error} />
      <FormMessage message={state.message} />
      <button type="submit" disabled={pending} className={primaryButton}>
        {pending ? "Sending…" : "Email me a reset link"}
      </button>
    </form>
  );
}

export function ResetPasswordForm({ token }: { token: string }) {
  const [state, formAction, pending] = useActionState(resetPasswordAction, initial);
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="token" value={token} />
      <NewPasswordField label="New password" name="password" />
      <FormError message={state.error} />
      <button type="submit" disabled={pending} className={primaryButton}>
        {pending ? "Saving…" : "Set new password"}
      </button>
    </form>
  );
}
