// The read-only sync routes' handlers. Each route file exports one of these (an alias exports the same
// one: `export const GET = syncRunStatusHandler;`), so two paths of one answer cannot drift apart.
// Every handler is session-authenticated (withUser / withOwned: 401 without a session), validates its
// query with zod (422 naming the field), answers another user's sync, job, user or connection id with
// the same 404 as a missing one, and leaves errors to the wrappers' JSON error body.
import { NextResponse } from "next/server";
import { z } from "zod";
import { ApiError, parseSearchParams } from "../../api/errors";
import { resourceIdSchema, withOwned, withUser } from "../../api/route-wrappers";
import type { CurrentUser } from "../../auth/current-user";
import { sellerScope, sellerScopeSchema, syncRunResource } from "./scope";
import {
  connectorsHealth,
  dataSourceCards,
  jobById,
  jobsOf,
  jobsOverview,
  syncHistory,
  syncMetrics,
  syncRunDetail,
  syncStatistics,
  syncStatusOverview,
} from "./views";

const MAX_OFFSET = 2_147_483_647;

/** `?sellerConnectionId=` (one of the user's, else all their connections that are not disconnected) and `?userId=` (only the caller's). */
const scopeQuery = sellerScopeSchema.extend({ userId: resourceIdSchema.optional() });

const pageQuery = scopeQuery.extend({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(MAX_OFFSET).default(0),
});

const recentQuery = scopeQuery.extend({ limit: z.coerce.number().int().min(1).max(100).default(10) });

/** A user id that is not the caller's is answered like a missing one. */
function assertSelf(user: CurrentUser, userId: string | undefined): void {
  if (userId !== undefined && userId !== user.id) throw new ApiError("not_found", "No such user.");
}

async function scopeOf<T extends typeof scopeQuery>(request: Request, user: CurrentUser, schema: T) {
  const query = parseSearchParams(request, schema) as z.infer<T>;
  assertSelf(user, query.userId);
  return { query, sellerConnectionIds: await sellerScope(user.id, query.sellerConnectionId) };
}

function json(body: unknown): NextResponse {
  return NextResponse.json(body, { headers: { "cache-control": "no-store" } });
}

/** GET /api/sync/status: whether a sync runs and the one to show. */
export const syncStatusHandler = withUser(async (request, { user }) => {
  const { sellerConnectionIds } = await scopeOf(request, user, scopeQuery);
  return json(await syncStatusOverview(user.id, sellerConnectionIds));
});

/** GET /api/sync/status/:syncId and /api/v1/integrations/sync/status/:syncId. */
export const syncRunStatusHandler = withOwned(syncRunResource("syncId"), async (request, { user, resource }) => {
  assertSelf(user, parseSearchParams(request, scopeQuery).userId);
  return json(await syncRunDetail(user.id, resource.id));
});

/** GET /api/sync/history and /api/v1/integrations/sync/history: `?limit=1..100&offset=0..`. */
export const syncHistoryHandler = withUser(async (request, { user }) => {
  const { query, sellerConnectionIds } = await scopeOf(request, user, pageQuery);
  return json(await syncHistory(user.id, sellerConnectionIds, { limit: query.limit, offset: query.offset }));
});

/** GET /api/v1/integrations/sync/statistics. */
export const syncStatisticsHandler = withUser(async (request, { user }) => {
  const { sellerConnectionIds } = await scopeOf(request, user, scopeQuery);
  return json(await syncStatistics(user.id, sellerConnectionIds));
});

/** GET /api/sync/data-sources/health: the seven data-source cards. */
export const dataSourcesHealthHandler = withUser(async (request, { user }) => {
  const { sellerConnectionIds } = await scopeOf(request, user, scopeQuery);
  return json(await dataSourceCards(user.id, sellerConnectionIds, new Date()));
});

/** GET /api/jobs/:jobId/status and /api/v1/jobs/:jobId/status: a sync run as a job. */
export const jobStatusHandler = withOwned(syncRunResource("jobId"), async (request, { user, resource }) => {
  assertSelf(user, parseSearchParams(request, scopeQuery).userId);
  return json(await jobById(user.id, resource.id));
});

/** GET /api/jobs/user/:userId: the caller's jobs, newest first (`?limit&offset`); another id is a 404. */
export const userJobsHandler = withUser<{ userId?: string | string[] }>(async (request, { user, params }) => {
  const { userId } = z.object({ userId: resourceIdSchema }).parse({ userId: params.userId });
  assertSelf(user, userId);
  const { query, sellerConnectionIds } = await scopeOf(request, user, pageQuery);
  return json(await jobsOf(user.id, sellerConnectionIds, { limit: query.limit, offset: query.offset }));
});

/** GET /api/v1/jobs/status: the caller's running jobs and the newest ended ones (`?limit`, default 10). */
export const jobsOverviewHandler = withUser(async (request, { user }) => {
  const { query, sellerConnectionIds } = await scopeOf(request, user, recentQuery);
  return json(await jobsOverview(user.id, sellerConnectionIds, query.limit));
});

/** GET /api/v1/metrics: the seller's sync metrics. */
export const metricsHandler = withUser(async (request, { user }) => {
  const { sellerConnectionIds } = await scopeOf(request, user, scopeQuery);
  return json(await syncMetrics(user.id, sellerConnectionIds));
});

/** GET /api/v1/connectors/health: the Amazon connector, each connection with its cards. */
export const connectorsHealthHandler = withUser(async (request, { user }) => {
  const { sellerConnectionIds } = await scopeOf(request, user, scopeQuery);
  return json(await connectorsHealth(user.id, sellerConnectionIds, new Date()));
});
