// The detection routes that send Inngest events, one handler each, shared by every path that serves it
// (POST /api/detections/run, /api/v1/claims/detect, /api/v1/jobs/discrepancies; GET /api/recoveries,
// /api/v1/integrations/amazon/recoveries): the same code, not copies. The rest of the detection routes'
// handlers are lib/detection/api/handlers.ts; the meanings are in docs/detection-api.md.
import { z } from "zod";
import { inngest, detectionRequested, syncRequested } from "@/inngest/client";
import { parseJsonBody } from "@/lib/api/errors";
import { withUser } from "@/lib/api/route-wrappers";
import { assertSelf, detectionClock, json, scopeOf, scopeQuery } from "@/lib/detection/api/handlers";
import { idempotencyKeySchema, requestDetection, runDetectionBodySchema, type RunDetectionBody } from "@/lib/detection/api/run";
import { everSynced, recoveries } from "@/lib/detection/api/summary";
import { getSellerConnectionOrThrow } from "@/lib/sellers/get-seller-connection-or-throw";
import { sellerScope } from "@/lib/sync/api/scope";
import { startFirstSyncIfNone } from "@/lib/sync/api/start";

async function readRunBody(request: Request): Promise<RunDetectionBody> {
  // A bodyless POST (a "Run detection" button) runs the default.
  const text = await request.clone().text();
  if (text.trim() === "") return {};
  return parseJsonBody(request, runDetectionBodySchema);
}

/** POST /api/detections/run, /api/v1/claims/detect, /api/v1/jobs/discrepancies: queue a detection run (202). */
export const runDetectionHandler = withUser(async (request, { user }) => {
  const body = await readRunBody(request);
  assertSelf(user, body.userId);
  const header = request.headers.get("idempotency-key");
  const headerKey = header === null ? undefined : z.object({ "Idempotency-Key": idempotencyKeySchema }).parse({ "Idempotency-Key": header })["Idempotency-Key"];
  const [sellerConnectionId] = await sellerScope(user.id, body.sellerConnectionId, { single: true });
  const connection = await getSellerConnectionOrThrow(user.id, sellerConnectionId!);
  const answer = await requestDetection(connection, { mode: body.mode, idempotencyKey: body.idempotencyKey ?? headerKey, now: new Date() }, async (data, { id }) => {
    await inngest.send(detectionRequested.create(data, { id }));
  });
  return json(answer, 202);
});

/**
 * GET /api/recoveries and /api/v1/integrations/amazon/recoveries (seed 001: the dashboard's totals).
 * When none of the user's sellers ever synced it asks for the first sync (the fallback trigger,
 * startFirstSyncIfNone: once per seller, one insert and one event send, never throwing) and answers the
 * zeros at once, naming the sync it started.
 */
export const recoveriesHandler = withUser(async (request, { user }) => {
  const { sellerConnectionIds } = await scopeOf(request, user, scopeQuery);
  let started: string[] = [];
  if (sellerConnectionIds.length > 0 && !(await everSynced(user.id, sellerConnectionIds))) {
    started = await startFirstSyncIfNone(user.id, async (data, { id }) => {
      await inngest.send(syncRequested.create(data, { id }));
    });
  }
  return json(await recoveries(user.id, sellerConnectionIds, detectionClock(), started));
});
