// Resolves the signed-in user for pages and route handlers. Every route that touches seller data goes
// through `withUser` (or `withSeller`), so no handler can forget the tenant check.
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { ApiError, toErrorResponse } from "../api/errors";
import { db } from "../db";
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

type RouteContext<P> = { params: Promise<P> };

/** For route handlers: runs `handler` with the signed-in user; 401 JSON otherwise; errors as JSON. */
export function withUser<P = Record<string, string>>(
  handler: (request: Request, context: { user: CurrentUser; params: P }) => Promise<Response>,
) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      const user = await getCurrentUser();
      if (!user) throw new ApiError("unauthorized", "Sign in to continue.");
      return await handler(request, { user, params: await context.params });
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}
