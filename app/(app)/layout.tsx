import { headers } from "next/headers";
import Link from "next/link";
import type { ReactNode } from "react";
import { AppNav, type NavItem } from "@/components/dashboard/app-nav";
import { SignOutButton } from "@/components/sign-out-button";
import { isOperator, requireUser } from "@/lib/auth/current-user";
import { safeRedirectPath } from "@/lib/http/safe-redirect";
import { formPageMetadata } from "@/lib/auth/form-page-metadata";

// Forms posting to server actions work without JavaScript only with this (see formPageMetadata).
export const metadata = formPageMetadata;

export const dynamic = "force-dynamic";

const PAGES: NavItem[] = [
  { href: "/dashboard", label: "Overview" },
  { href: "/sync", label: "Sync" },
  { href: "/sources", label: "Sources" },
  { href: "/claims", label: "Claims" },
  { href: "/settings", label: "Settings" },
];

export default async function AppLayout({ children }: { children: ReactNode }) {
  const requested = (await headers()).get("x-request-path");
  const user = await requireUser(safeRedirectPath(requested));
  const items = isOperator(user) ? [...PAGES, { href: "/runs", label: "Runs" }] : PAGES;
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-3 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:shadow">
        Skip to content
      </a>
      <header className="sticky top-0 z-40 border-b border-slate-200 bg-white/95 backdrop-blur">
        <AppNav
          items={items}
          account={
            <>
              <span data-testid="user-email" className="min-w-0 max-w-[10rem] truncate lg:max-w-[16rem]" title={user.email}>
                {user.email}
              </span>
              <Link href="/account" className="text-slate-600 hover:text-slate-900">
                Account
              </Link>
              <SignOutButton />
            </>
          }
        />
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
        {children}
      </main>
    </div>
  );
}
