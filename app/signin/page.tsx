import Link from "next/link";
import { AuthCard, FormMessage } from "@/components/auth-card";
import { SignInForm } from "@/components/sign-in-form";
import { describeSignInError } from "@/lib/auth/sign-in-messages";
import { safeRedirectPath } from "@/lib/http/safe-redirect";
import { formPageMetadata } from "@/lib/auth/form-page-metadata";

// Forms posting to server actions work without JavaScript only with this (see formPageMetadata).
export const metadata = formPageMetadata;

// Rendered per request from the query (no client-side search params), so the whole form is in the
// HTML and works before, or without, the page's JavaScript.
export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const one = (name: string) => (typeof params[name] === "string" ? (params[name] as string) : undefined);
  const error = one("error");
  const notice = one("reset")
    ? "Your password was changed. Sign in with the new one."
    : one("deleted")
      ? "Your account and all its data were deleted."
      : null;
  return (
    <AuthCard
      title="Sign in"
      subtitle={
        <>
          New here?{" "}
          <Link className="font-medium text-amber-700 hover:underline" href="/signup">
            Create an account
          </Link>
        </>
      }
    >
      <div className="space-y-4">
        <FormMessage message={notice} />
        <SignInForm callbackUrl={safeRedirectPath(one("callbackUrl"))} initialError={error ? describeSignInError(error) : null} />
        <p className="text-center text-sm">
          <Link className="text-amber-700 hover:underline" href="/reset-password">
            Forgot password?
          </Link>
        </p>
      </div>
    </AuthCard>
  );
}
