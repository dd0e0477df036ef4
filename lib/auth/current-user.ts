// Resolves the signed-in user for pages (requireUser, requireOperator). Route handlers go through the
// wrappers in lib/api/route-wrappers.ts, which use getCurrentUser.
import { getServerSession } from "next-auth";
import { notFound, redirect } from "next/navigation";
import { db } from "../db";
import { env, type Env } from "../env";
import { authOptions } from "./auth-options";

export interface CurrentUser {
  id: string;
  email: string;
}

export async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) return null;
  // The account may have been deleted since the cookie was issued.
  return db.user.findUnique({ where: { id }, select: { id: true, email: true } });
}

/** For server pages: the user, or a redirect to the sign-in page. */
export async function requireUser(callbackPath = "/dashboard"): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(callbackPath)}`);
  return user;
}

/**
 * Operators see every tenant's background runs, so they are named, in every environment: the emails in
 * OPERATOR_EMAILS, nobody when it is unset. (Not "everyone locally" nor "the first account": a dev
 * server reachable from the network, a shared staging database or a test database would hand every
 * tenant's runs to whoever signed up, or signed up first.) A pure function of the configuration and
 * the email, so callers need no database and cannot forget an await.
 */
export function isOperator(user: CurrentUser, config: Pick<Env, "OPERATOR_EMAILS"> = env()): boolean {
  return config.OPERATOR_EMAILS?.includes(user.email.toLowerCase()) ?? false;
}

/** For operator pages: the user, a redirect to sign-in, or a 404 for non-operators. */
export async function requireOperator(callbackPath: string): Promise<CurrentUser> {
  const user = await requireUser(callbackPath);
  if (!isOperator(user)) notFound();
  return user;
}
