// Finances v0 listFinancialEvents: PostedAfter/PostedBefore window (> 180 days -> empty), pages of up to
// MaxResultsPerPage events, NextToken valid for 25 minutes of sandbox time.
import { z } from "zod";
import { toV0, type V0ListName } from "../generator/finances";
import type { WorldEvent } from "../generator/types";
import { DAY_MS } from "../generator/world";
import { streamWorld } from "../generator/world-stream";
import { invalidInput } from "../http/errors";
import type { ApiContext, ApiHandler } from "./context";
import { PeekIterator, take } from "./page-tokens";
import { intParam, isoDateTime, parseOrThrow } from "./validation";

export const NEXT_TOKEN_TTL_MS = 25 * 60_000;
const TWO_MINUTES = 2 * 60_000;

const Query = z.object({
  MaxResultsPerPage: intParam.pipe(z.number().int().min(1).max(100).optional()),
  PostedAfter: isoDateTime.optional(),
  PostedBefore: isoDateTime.optional(),
  NextToken: z.string().optional(),
});

interface Cursor {
  it: PeekIterator<WorldEvent>;
}

function pageOf(ctx: ApiContext, cursor: Cursor, max: number, parent?: string) {
  const lists: Partial<Record<V0ListName, unknown[]>> = {};
  const { items } = take(cursor.it, max);
  for (const ev of items) {
    if (ev.kind !== "fin") continue;
    const { list, event } = toV0(ctx.seller.world, ev.ev);
    (lists[list] ??= []).push(event);
  }
  const payload: { FinancialEvents: Record<string, unknown[]>; NextToken?: string } = {
    FinancialEvents: { ShipmentEventList: [], RefundEventList: [], AdjustmentEventList: [], ServiceFeeEventList: [], ...lists },
  };
  if (cursor.it.hasMore()) payload.NextToken = ctx.seller.tokens.issue("listFinancialEvents", cursor, NEXT_TOKEN_TTL_MS, parent);
  return { payload };
}

export const listFinancialEvents: ApiHandler = async (ctx) => {
  const q = parseOrThrow(Query, ctx.query);
  const max = q.MaxResultsPerPage ?? 100;
  if (q.NextToken !== undefined) {
    const entry = ctx.seller.tokens.get<Cursor>("listFinancialEvents", q.NextToken);
    if (entry === "expired") throw invalidInput("Token is not valid, token duration is 25 minutes.");
    if (entry === "invalid") throw invalidInput("Invalid NextToken.");
    if (!entry.page) entry.page = pageOf(ctx, entry.state, max, q.NextToken);
    return { status: 200, body: entry.page };
  }
  const now = ctx.clock.nowMs();
  if (!q.PostedAfter) throw invalidInput("PostedAfter is required when NextToken is not specified.");
  const after = Date.parse(q.PostedAfter);
  const before = q.PostedBefore ? Date.parse(q.PostedBefore) : now - TWO_MINUTES;
  if (after > now - TWO_MINUTES) throw invalidInput("PostedAfter must be at least 2 minutes before the time of the request.");
  if (before > now - TWO_MINUTES) throw invalidInput("PostedBefore must be at least 2 minutes before the time of the request.");
  if (before <= after) throw invalidInput("PostedBefore must be after PostedAfter.");
  // Amazon answers an over-long window with an empty result rather than an error.
  if (before - after > 180 * DAY_MS) return { status: 200, body: { payload: { FinancialEvents: {} } } };
  const it = streamWorld(ctx.seller.world, { fromMs: after, toMs: before, kinds: new Set(["fin"]) });
  return { status: 200, body: pageOf(ctx, { it: new PeekIterator(it) }, max) };
};
