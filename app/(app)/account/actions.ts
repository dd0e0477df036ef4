"use server";
// The account page's server actions (they work without JavaScript: the forms post here).
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { amazonDisconnected, inngest } from "@/inngest/client";
import { checkCredentials } from "@/lib/auth/auth-options";
import { changePassword, changePasswordSchema } from "@/lib/auth/change-password";
import { getCurrentUser } from "@/lib/auth/current-user";
import { deleteAccount, deleteAccountSchema } from "@/lib/auth/delete-account";
import { formErrorMessage, formText } from "@/lib/auth/form-input";
import { clearedSessionCookie } from "@/lib/auth/session-cookie";

export interface AccountFormState {
  error: string | null;
  message: string | null;
}

async function signedInUser() {
  const user = await getCurrentUser();
  if (!user) redirect("/signin?callbackUrl=%2Faccount");
  return user;
}

export async function changePasswordAction(_previous: AccountFormState, form: FormData): Promise<AccountFormState> {
  const user = await signedInUser();
  try {
    const input = changePasswordSchema.parse({ currentPassword: formText(form, "currentPassword"), newPassword: formText(form, "newPassword") });
    const requestHeaders = await headers();
    const { cookie } = await changePassword(user, input, (credentials) => checkCredentials(credentials, requestHeaders));
    (await cookies()).set(cookie.name, cookie.value, cookie.options);
  } catch (error) {
    return { error: formErrorMessage(error), message: null };
  }
  return { error: null, message: "Password changed. Every other device was signed out." };
}

export async function deleteAccountAction(_previous: AccountFormState, form: FormData): Promise<AccountFormState> {
  const user = await signedInUser();
  try {
    const input = deleteAccountSchema.parse({ password: formText(form, "password"), confirm: formText(form, "confirm") });
    const requestHeaders = await headers();
    await deleteAccount(
      user,
      input,
      (credentials) => checkCredentials(credentials, requestHeaders),
      async (data, { id }) => void (await inngest.send(amazonDisconnected.create(data, { id }))),
    );
    const cleared = clearedSessionCookie();
    (await cookies()).set(cleared.name, cleared.value, cleared.options);
  } catch (error) {
    return { error: formErrorMessage(error), message: null };
  }
  redirect("/signin?deleted=1");
}
