import Link from "next/link";
import { AuthCard } from "@/components/auth-card";
import { ResetPasswordForm, ResetRequestForm } from "@/components/reset-password-forms";
import { formPageMetadata } from "@/lib/auth/form-page-metadata";

// Forms posting to server actions work without JavaScript only with this (see formPageMetadata).
export const metadata = formPageMetadata;

// Without a token: ask for a reset link. With the token from the emailed link: choose a new password.
// (Referrer-Policy: no-referrer, set for every page, keeps the token out of other sites' logs.)
export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token } = await searchParams;
  const signInLink = (
    <Link className="font-medium text-amber-700 hover:underline" href="/signin">
      Back to sign in
    </Link>
  );
  if (typeof token === "string" && token) {
    return (
      <AuthCard title="Choose a new password" subtitle={signInLink}>
        <ResetPasswordForm token={token} />
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Reset your password" subtitle={<>We will email you a link. {signInLink}</>}>
      <ResetRequestForm />
    </AuthCard>
  );
}
