import { headers } from "next/headers";
import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/sign-out-button";
import { isOperator, requireUser } from "@/lib/auth/current-user";
import { safeRedirectPath } from "@/lib/http/safe-redirect";
import { formPageMetadata } from "@/lib/auth/form-page-metadata";

// Forms posting to server actions work without JavaScript only with this (see formPageMetadata).
export const metadata = formPageMetadata;

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const requested = (await headers()).get("x-request-path");
  const user = await requireUser(safeRedirectPath(requested));
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center justify-between px-6 py-3">
          <nav className="flex items-center gap-6 text-sm">
            <Link href="/dashboard" className="font-semibold text-slate-900">
              FBA Recovery
            </Link>
            <Link href="/dashboard" className="text-slate-600 hover:text-slate-900">
              Dashboard
            </Link>
            {isOperator(user) && (
              <Link href="/runs" className="text-slate-600 hover:text-slate-900">
                Runs
              </Link>
            )}
          </nav>
          <div className="flex items-center gap-4 text-sm text-slate-600">
            <span data-testid="user-email">{user.email}</span>
            <Link href="/account" className="text-slate-600 hover:text-slate-900">
              Account
            </Link>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </div>
  );
}
