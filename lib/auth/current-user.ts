// Resolves the signed-in user for pages and route handlers. Every route that touches seller data goes
// through `withUser` (or `withSeller`), so no handler can forget the tenant check.
import { getServerSession } from "next-auth";
import { notFound, redirect } from "next/navigation";
import { ApiError, toErrorResponse } from "../api/errors";
import { db } from "../db";
import { z } from "zod";
import { env } from "../env";
import { getSellerConnectionOrThrow, type OwnedSellerConnection } from "../sellers/get-seller-connection-or-throw";
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
 * For route handlers about one seller: resolves the signed-in user and their seller connection from
 * the `sellerConnectionId` route parameter (or `?sellerConnectionId=`) before the handler runs, so no
 * handler can forget the tenant check. Another user's connection is a 404.
 */
export function withSeller<P extends Record<string, string> = Record<string, string>>(
  handler: (request: Request, context: { user: CurrentUser; seller: OwnedSellerConnection; params: P }) => Promise<Response>,
) {
  return withUser<P>(async (request, { user, params }) => {
    const id = sellerIdSchema.parse(
      (params as Record<string, string | undefined>).sellerConnectionId ?? new URL(request.url).searchParams.get("sellerConnectionId"),
    );
    const seller = await getSellerConnectionOrThrow(user.id, id);
    return handler(request, { user, seller, params });
  });
}

const sellerIdSchema = z.string({ error: "sellerConnectionId is required" }).min(1).max(64);

/** Operators see every tenant's background runs, so the list is explicit in production. */
export function isOperator(user: CurrentUser): boolean {
  const { OPERATOR_EMAILS, NODE_ENV } = env();
  if (!OPERATOR_EMAILS) return NODE_ENV !== "production";
  return OPERATOR_EMAILS.includes(user.email.toLowerCase());
}

/** For operator pages: the user, a redirect to sign-in, or a 404 for non-operators. */
export async function requireOperator(callbackPath: string): Promise<CurrentUser> {
  const user = await requireUser(callbackPath);
  if (!isOperator(user)) notFound();
  return user;
}

/** For operator route handlers: like withUser, but answers 404 to signed-in non-operators. */
export function withOperator<P = Record<string, string>>(
  handler: (request: Request, context: { user: CurrentUser; params: P }) => Promise<Response>,
) {
  return withUser<P>(async (request, context) => {
    if (!isOperator(context.user)) throw new ApiError("not_found", "Not found.");
    return handler(request, context);
  });
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
