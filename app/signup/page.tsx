import Link from "next/link";
import { AuthCard } from "@/components/auth-card";
import { SignUpForm } from "@/components/sign-up-form";
import { formPageMetadata } from "@/lib/auth/form-page-metadata";

// Forms posting to server actions work without JavaScript only with this (see formPageMetadata).
export const metadata = formPageMetadata;

export default function SignUpPage() {
  return (
    <AuthCard
      title="Create your account"
      subtitle={
        <>
          Already have one?{" "}
          <Link className="font-medium text-amber-700 hover:underline" href="/signin">
            Sign in
          </Link>
        </>
      }
    >
      <SignUpForm />
    </AuthCard>
  );
}
