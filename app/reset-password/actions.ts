"use server";
// The reset-password page's server actions: ask for a link, then choose a new password with it.
// They work without JavaScript (the forms post here).
import { redirect } from "next/navigation";
import { echoEmail, formErrorMessage, formText } from "@/lib/auth/form-input";
import {
  RESET_REQUESTED_MESSAGE,
  requestPasswordReset,
  resetConfirmSchema,
  resetPassword,
  resetRequestSchema,
} from "@/lib/auth/password-reset";

export interface ResetFormState {
  error: string | null;
  message: string | null;
  email: string;
}

export async function requestResetAction(_previous: ResetFormState, form: FormData): Promise<ResetFormState> {
  const email = formText(form, "email");
  try {
    const { delivery } = await requestPasswordReset(resetRequestSchema.parse({ email }));
    // Not waiting for the mail server: the answer takes as long for unknown emails as for known ones.
    void delivery;
  } catch (error) {
    return { error: formErrorMessage(error), message: null, email: echoEmail(email) };
  }
  return { error: null, message: RESET_REQUESTED_MESSAGE, email: echoEmail(email) };
}

export async function resetPasswordAction(_previous: ResetFormState, form: FormData): Promise<ResetFormState> {
  try {
    await resetPassword(resetConfirmSchema.parse({ token: formText(form, "token"), password: formText(form, "password") }));
  } catch (error) {
    return { error: formErrorMessage(error), message: null, email: "" };
  }
  redirect("/signin?reset=1");
}
