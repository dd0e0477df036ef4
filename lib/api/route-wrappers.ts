// The wrappers every route handler goes through. Each resolves who is calling, and, for a route
// about one resource, loads that resource scoped to the caller before the handler body runs: a
// handler cannot forget the tenant check, and another tenant's id is answered exactly like a
// missing one (404). Errors of any kind leave as the JSON error body.
//
// Every request through them gets a request id (the caller's `x-request-id` when it is a plain token,
// a new one otherwise), answered in the `x-request-id` header and carried by every log line written
// while the request runs (with the seller connection, once a route's resource names one).
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getCurrentUser, isOperator, type CurrentUser } from "../auth/current-user";
import { getSellerConnectionOrThrow, type OwnedSellerConnection } from "../sellers/get-seller-connection-or-throw";
import { enforceApiRateLimit } from "../http/rate-limit";
import { log, withLogContext, type LogContext } from "../observability/logger";
import { ApiError, toErrorResponse, type ErrorBody } from "./errors";

type RouteContext<P> = { params: Promise<P> };
type Params = Record<string, string | string[] | undefined>;

export const REQUEST_ID_HEADER = "x-request-id";

/** An incoming request id is kept only when it is a plain token: nothing a log line or header could be forged with. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The request's id: its `x-request-id` when that is safe to log and echo, a new random one otherwise. */
export function requestIdOf(request: Request): string {
  const incoming = request.headers.get(REQUEST_ID_HEADER);
  return incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** `response` with one more header (a copy when its headers are immutable, as a redirect's or a fetch answer's are). */
function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.set(name, value);
    return copy;
  }
}

/**
 * The base of every wrapper: the request id (header and log context) and errors as JSON; no sign-in
 * check and no rate limit of its own (routes like /api/metrics decide who may pass themselves).
 */
export function withRequest<P = Params>(handler: (request: Request, context: { params: P; requestId: string }) => Promise<Response>) {
  return async (request: Request, context?: RouteContext<P>): Promise<Response> => {
    const requestId = requestIdOf(request);
    const started = performance.now();
    return withLogContext({ requestId }, async () => {
      let response: Response;
      try {
        response = await handler(request, { params: ((await context?.params) ?? {}) as P, requestId });
      } catch (error) {
        response = toErrorResponse(error);
      }
      // The path only: a query can carry one-time codes.
      log.debug(
        { method: request.method, path: new URL(request.url).pathname, status: response.status, durationMs: Math.round(performance.now() - started) },
        "API request",
      );
      return withHeader(response, REQUEST_ID_HEADER, requestId);
    });
  };
}

/** Runs `handler` with the signed-in user; 401 JSON otherwise; errors as JSON. Counts against the API rate limit (user and address). */
export function withUser<P = Params>(handler: (request: Request, context: { user: CurrentUser; params: P }) => Promise<Response>) {
  return withRequest<P>(async (request, { params }) => {
    const user = await getCurrentUser();
    await enforceApiRateLimit(request, user);
    if (!user) throw new ApiError("unauthorized", "Sign in to continue.");
    return handler(request, { user, params });
  });
}

/** For routes open to visitors who are not signed in: the API rate limit per client address; errors as JSON. */
export function withAnonymous<P = Params>(handler: (request: Request, context: { params: P }) => Promise<Response>) {
  return withRequest<P>(async (request, { params }) => {
    await enforceApiRateLimit(request);
    return handler(request, { params });
  });
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
  /** What the row adds to every log line of the request (its seller connection, its sync run). */
  logContext?(row: R): LogContext;
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
    return withLogContext(resource.logContext?.(row) ?? {}, () => handler(request, { user, resource: row, params }));
  });
}

/** The seller connection named by `sellerConnectionId`. */
export const sellerConnectionResource: OwnedResource<OwnedSellerConnection> = {
  param: "sellerConnectionId",
  load: getSellerConnectionOrThrow,
  logContext: (connection) => ({ sellerConnectionId: connection.id }),
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
