"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Field, FormError, primaryButton } from "./auth-card";
import { safeRedirectPath } from "@/lib/http/safe-redirect";
import { signInWithPassword } from "./credentials-sign-in";

function describe(error: string): string {
  if (error.startsWith("TooManyAttempts")) {
    const seconds = Number(error.split(":")[1]);
    return `Too many failed attempts. Try again in ${Number.isFinite(seconds) ? seconds : 60} seconds.`;
  }
  if (error === "CredentialsSignin") return "Wrong email or password.";
  if (error === "SessionRequired") return "Sign in to continue.";
  return "Could not sign in. Please try again.";
}

export function SignInForm() {
  const router = useRouter();
  const params = useSearchParams();
  const [error, setError] = useState<string | null>(params.get("error") ? describe(params.get("error")!) : null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const form = new FormData(event.currentTarget);
    const error = await signInWithPassword(String(form.get("email") ?? ""), String(form.get("password") ?? ""));
    setPending(false);
    if (error) {
      setError(describe(error));
      return;
    }
    router.push(safeRedirectPath(params.get("callbackUrl")));
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <Field label="Email" name="email" type="email" autoComplete="email" />
      <Field label="Password" name="password" type="password" autoComplete="current-password" />
      <FormError message={error} />
      <button type="submit" disabled={pending} className={primaryButton}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
