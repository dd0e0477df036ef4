"use client";

// The account page's forms. Each posts to a server action, so it works without JavaScript and no
// password ever goes into a URL.
import { useActionState } from "react";
import { changePasswordAction, deleteAccountAction, type AccountFormState } from "@/app/(app)/account/actions";
import { Field, FormError, FormMessage, primaryButton, NewPasswordField } from "./auth-card";

const initial: AccountFormState = { error: null, message: null };

export function ChangePasswordForm() {
  const [state, formAction, pending] = useActionState(changePasswordAction, initial);
  return (
    <form action={formAction} className="space-y-4" noValidate aria-label="Change password">
      <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" />
      <NewPasswordField label="New password" name="newPassword" />
      <FormError message={state.error} />
      <FormMessage message={state.message} />
      <button type="submit" disabled={pending} className={primaryButton}>
        {pending ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}

export function DeleteAccountForm() {
  const [state, formAction, pending] = useActionState(deleteAccountAction, initial);
  return (
    <form action={formAction} className="space-y-4" noValidate aria-label="Delete account">
      <Field label="Your password" name="password" type="password" autoComplete="current-password" />
      <Field label="Type DELETE to confirm" name="confirm" type="text" autoComplete="off" />
      <FormError message={state.error} />
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-600 disabled:opacity-60"
      >
        {pending ? "Deleting…" : "Delete my account and its data"}
      </button>
    </form>
  );
}
