import { Suspense } from "react";
import Link from "next/link";
import { AuthCard } from "@/components/auth-card";
import { SignInForm } from "@/components/sign-in-form";

export default function SignInPage() {
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
      <Suspense>
        <SignInForm />
      </Suspense>
    </AuthCard>
  );
}
