// The detection routes' read and status handlers (docs/detection-api.md; the two that send Inngest
// events, run and recoveries, are app/api/detections/_write/handlers.ts, since lib/ never imports the
// Inngest client). Each route file exports one of these, and an alias exports the same one
// (`export const GET = discrepanciesSummaryHandler;`), so two paths of one answer cannot drift apart. Every handler is session-authenticated (withUser / withOwned: 401 without a
// session), validates its input with zod (422 naming the field), answers another user's detection,
// connection or user id with the same 404 as a missing one, and leaves errors to the wrappers' JSON body.
//
// The clock: a finding's window is judged by Amazon's clock (lib/sync/amazon-time.ts; the system clock
// against real Amazon), the same one detection runs by, so "expired" here and in the run agree.
import { NextResponse } from "next/server";
import { z } from "zod";
import { ApiError, parseJsonBody } from "../../api/errors";
import { resourceIdSchema, withOwned, withUser } from "../../api/route-wrappers";
import type { CurrentUser } from "../../auth/current-user";
import { safeText } from "../../api/validation";
import { amazonTime } from "../../sync/amazon-time";
import { sellerScope, sellerScopeSchema } from "../../sync/api/scope";
import { setAsidesOf } from "../queries";
import { RULES } from "../rules";
import { detectionResource } from "./scope";
import { changeDetectionStatus, statusChangeSchema } from "./status";
import { claimsHealth, claimsSummary, detectionSummary, discrepanciesSummary } from "./summary";
import { DERIVED_STATUSES, detectionDetail, listDetections, SEVERITIES, type DetectionSort } from "./views";

const MAX_OFFSET = 2_147_483_647;
const RULE_IDS = RULES.map((r) => r.id) as [string, ...string[]];

/** Amazon's now: what a finding's window is judged by. */
export function detectionClock(): Date {
  return new Date(amazonTime().clock.now());
}

export function json(body: unknown, status = 200): NextResponse {
  return NextResponse.json(body, { status, headers: { "cache-control": "no-store" } });
}

/** A user id that is not the caller's is answered like a missing one. */
export function assertSelf(user: CurrentUser, userId: string | undefined): void {
  if (userId !== undefined && userId !== user.id) throw new ApiError("not_found", "No such user.");
}

/** A query parameter that may repeat or hold a comma list (`?ruleId=R01&ruleId=R03`, `?status=pending,filed`). */
function listParam(params: URLSearchParams, name: string): string[] | undefined {
  const values = params
    .getAll(name)
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
  return values.length > 0 ? values : undefined;
}

export const scopeQuery = sellerScopeSchema.extend({ userId: resourceIdSchema.optional() });

const ruleIdSchema = z.enum(RULE_IDS, { error: `must be a rule id of the catalogue (${RULE_IDS[0]}..${RULE_IDS.at(-1)})` });
const skuSchema = safeText(200).min(1, "must not be empty");

const resultsQuery = scopeQuery.extend({
  ruleId: z.array(ruleIdSchema).max(RULE_IDS.length).optional(),
  status: z.array(z.enum(DERIVED_STATUSES, { error: `must be one of ${DERIVED_STATUSES.join(", ")}` })).max(DERIVED_STATUSES.length).optional(),
  severity: z.array(z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(", ")}` })).max(SEVERITIES.length).optional(),
  sku: skuSchema.optional(),
  expiringWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
  sort: z.enum(["deadline", "-deadline", "value", "-value"], { error: "must be one of deadline, -deadline, value, -value" }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(MAX_OFFSET).default(0),
});

function parseQuery<T extends z.ZodType>(request: Request, schema: T, lists: readonly string[] = []): z.infer<T> {
  const params = new URL(request.url).searchParams;
  const raw: Record<string, unknown> = Object.fromEntries(params);
  for (const name of lists) raw[name] = listParam(params, name);
  return schema.parse(raw);
}

export async function scopeOf<T extends typeof scopeQuery>(request: Request, user: CurrentUser, schema: T, lists: readonly string[] = []) {
  const query = parseQuery(request, schema, lists) as z.infer<T>;
  assertSelf(user, query.userId);
  return { query, sellerConnectionIds: await sellerScope(user.id, query.sellerConnectionId) };
}

/** GET /api/detections/results: the user's findings, filtered, sorted and paged, with the total. */
export const detectionResultsHandler = withUser(async (request, { user }) => {
  const { query, sellerConnectionIds } = await scopeOf(request, user, resultsQuery, ["ruleId", "status", "severity"]);
  const sort: DetectionSort = query.sort ?? "ranked";
  const page = await listDetections(
    user.id,
    sellerConnectionIds,
    {
      filter: { ruleIds: query.ruleId, statuses: query.status, severities: query.severity, sku: query.sku, expiringWithinDays: query.expiringWithinDays },
      sort,
      limit: query.limit,
      offset: query.offset,
    },
    detectionClock(),
  );
  return json(page);
});

/** GET /api/detections/:id: one finding with its explanation, evidence, status history and the SKU's set-asides. */
export const detectionDetailHandler = withOwned(detectionResource(), async (_request, { resource }) => {
  return json({ detection: await detectionDetail(resource.id, detectionClock()) });
});

/** PATCH /api/detections/:id `{ status, note? }`: the seller's status, kept in the audit trail. */
export const detectionStatusHandler = withOwned(detectionResource(), async (request, { user, resource }) => {
  const change = await parseJsonBody(request, statusChangeSchema);
  return json({ detection: await changeDetectionStatus(resource.id, user.id, change, detectionClock()) });
});

const setAsidesQuery = scopeQuery.extend({
  sku: skuSchema.optional(),
  ruleId: ruleIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

/** GET /api/detections/set-asides?sku= (or &ruleId=): what the rules looked at and set aside, and why. */
export const setAsidesHandler = withUser(async (request, { user }) => {
  const { query, sellerConnectionIds } = await scopeOf(request, user, setAsidesQuery);
  if (query.sku === undefined && query.ruleId === undefined) throw new ApiError("unprocessable_entity", "sku: give a SKU or a ruleId to list set-asides for.");
  return json({ items: await setAsidesOf(sellerConnectionIds, { sku: query.sku, ruleId: query.ruleId }, query.limit) });
});

/** GET /api/detections/summary: counts and values of the user's findings, per status, severity and rule. */
export const detectionSummaryHandler = withUser(async (request, { user }) => {
  const { sellerConnectionIds } = await scopeOf(request, user, scopeQuery);
  return json(await detectionSummary(user.id, sellerConnectionIds, detectionClock()));
});

/** GET /api/v1/discrepancies/summary (seed 003). */
export const discrepanciesSummaryHandler = withUser(async (request, { user }) => {
  const { sellerConnectionIds } = await scopeOf(request, user, scopeQuery);
  return json(await discrepanciesSummary(user.id, sellerConnectionIds, detectionClock()));
});

/** GET /api/v1/claims/summary/:userId (seed 003): the caller's own id only; another is a 404. */
export const claimsSummaryHandler = withUser<{ userId?: string | string[] }>(async (request, { user, params }) => {
  const { userId } = z.object({ userId: resourceIdSchema }).parse({ userId: params.userId });
  assertSelf(user, userId);
  const { sellerConnectionIds } = await scopeOf(request, user, scopeQuery);
  return json(await claimsSummary(user.id, sellerConnectionIds, detectionClock()));
});

/** GET /api/v1/claims/health: whether detection can run for the user's sellers, rule by rule. */
export const claimsHealthHandler = withUser(async (request, { user }) => {
  const { sellerConnectionIds } = await scopeOf(request, user, scopeQuery);
  return json(await claimsHealth(user.id, sellerConnectionIds, detectionClock()));
});
