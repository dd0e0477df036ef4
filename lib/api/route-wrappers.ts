// The wrappers every route handler goes through. Each resolves who is calling, and, for a route
// about one resource, loads that resource scoped to the caller before the handler body runs: a
// handler cannot forget the tenant check, and another tenant's id is answered exactly like a
// missing one (404). Errors of any kind leave as the JSON error body.
import { z } from "zod";
import { getCurrentUser, isOperator, type CurrentUser } from "../auth/current-user";
import { getSellerConnectionOrThrow, type OwnedSellerConnection } from "../sellers/get-seller-connection-or-throw";
import { enforceApiRateLimit } from "../http/rate-limit";
import { ApiError, toErrorResponse, type ErrorBody } from "./errors";

type RouteContext<P> = { params: Promise<P> };
type Params = Record<string, string | string[] | undefined>;

/** Runs `handler` with the signed-in user; 401 JSON otherwise; errors as JSON. Counts against the API rate limit (user and address). */
export function withUser<P = Params>(handler: (request: Request, context: { user: CurrentUser; params: P }) => Promise<Response>) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      const user = await getCurrentUser();
      await enforceApiRateLimit(request, user);
      if (!user) throw new ApiError("unauthorized", "Sign in to continue.");
      return await handler(request, { user, params: await context.params });
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

/** For routes open to visitors who are not signed in: the API rate limit per client address; errors as JSON. */
export function withAnonymous<P = Params>(handler: (request: Request, context: { params: P }) => Promise<Response>) {
  return async (request: Request, context?: RouteContext<P>): Promise<Response> => {
    try {
      await enforceApiRateLimit(request);
      return await handler(request, { params: ((await context?.params) ?? {}) as P });
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

/** Like withUser, but answers 404 to signed-in users who are not operators. */
export function withOperator<P = Params>(handler: (request: Request, context: { user: CurrentUser; params: P }) => Promise<Response>) {
  return withUser<P>(async (request, context) => {
    if (!isOperator(context.user)) throw new ApiError("not_found", "Not found.");
    return handler(request, context);
  });
}

/** A kind of row a user owns, addressed by a route parameter (or, failing that, a query parameter). */
export interface OwnedResource<R> {
  /** Name of the route or query parameter carrying the id; a malformed one is a 422 naming it. */
  param: string;
  /** The row, scoped to `userId`; throws ApiError("not_found") for a missing or foreign id. */
  load(userId: string, id: string): Promise<R>;
}

/** Ids are cuid/ulid-like: letters, digits, `_` and `-`. Anything else (a NUL byte, a path) never reaches a query. */
export const resourceIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, "is not a valid id");

/** Runs `handler` with the signed-in user and their `resource` row, loaded before the body runs. */
export function withOwned<R, P extends Params = Params>(
  resource: OwnedResource<R>,
  handler: (request: Request, context: { user: CurrentUser; resource: R; params: P }) => Promise<Response>,
) {
  return withUser<P>(async (request, { user, params }) => {
    const raw = params[resource.param] ?? new URL(request.url).searchParams.get(resource.param) ?? undefined;
    const parsed = z.object({ [resource.param]: resourceIdSchema }).parse({ [resource.param]: raw });
    const row = await resource.load(user.id, parsed[resource.param] as string);
    return handler(request, { user, resource: row, params });
  });
}

/** The seller connection named by `sellerConnectionId`. */
export const sellerConnectionResource: OwnedResource<OwnedSellerConnection> = {
  param: "sellerConnectionId",
  load: getSellerConnectionOrThrow,
};

/** For routes about one seller connection (`[sellerConnectionId]` or `?sellerConnectionId=`). */
export function withSeller<P extends Params = Params>(
  handler: (request: Request, context: { user: CurrentUser; seller: OwnedSellerConnection; params: P }) => Promise<Response>,
) {
  return withOwned<OwnedSellerConnection, P>(sellerConnectionResource, (request, { user, resource, params }) =>
    handler(request, { user, seller: resource, params }),
  );
}

const ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type RouteMethod = (typeof ROUTE_METHODS)[number];
type MethodHandler = (request: Request) => Response;

/**
 * The methods a route does not export, answering 405 in the JSON error shape with `Allow` (Next's
 * own 405 has an empty body), and OPTIONS listing what the route does accept. HEAD stays Next's
 * (the GET handler without a body, or an empty 405). Use:
 * `export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");`
 */
export function otherMethods<A extends RouteMethod>(...allowed: A[]): Record<Exclude<RouteMethod, A>, MethodHandler> & { OPTIONS: MethodHandler } {
  const allow = [...allowed, ...(allowed.includes("GET" as A) ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const refuse: MethodHandler = (request) => {
    const body: ErrorBody = { error: { code: "method_not_allowed", message: `This endpoint does not accept ${request.method}. It accepts ${allow}.` } };
    return Response.json(body, { status: 405, headers: { allow } });
  };
  const handlers: Record<string, MethodHandler> = { OPTIONS: () => new Response(null, { status: 204, headers: { allow } }) };
  for (const method of ROUTE_METHODS) if (!allowed.includes(method as A)) handlers[method] = refuse;
  return handlers as Record<Exclude<RouteMethod, A>, MethodHandler> & { OPTIONS: MethodHandler };
}
