// The sync write routes, one handler each, shared by every path that serves it (seed 004's /api/sync/*,
// the /api/v1/integrations and /api/v1/jobs aliases): the same code, not copies.
import { NextResponse } from "next/server";
import { z } from "zod";
import { inngest, syncCancelled, syncRequested } from "@/inngest/client";
import { ApiError, parseJsonBody } from "@/lib/api/errors";
import { withOwned, withSeller, withUser } from "@/lib/api/route-wrappers";
import { getSellerConnectionOrThrow } from "@/lib/sellers/get-seller-connection-or-throw";
import { sellerScope, syncRunResource } from "@/lib/sync/api/scope";
import { cancelSellerSync, startSellerSync, startSyncBodySchema, type StartSyncBody } from "@/lib/sync/api/start";

// Seed 003's connector run names the connector; Amazon is the one there is.
const connectorRunSchema = startSyncBodySchema.extend({ connectorId: z.literal("amazon", { error: 'the only connector is "amazon"' }).optional() }).strict();

async function readStartBody(request: Request, schema: z.ZodType<StartSyncBody>): Promise<StartSyncBody> {
  // A bodyless POST (seed 004's fetch('/api/sync/start', { method: 'POST' })) starts the default sync.
  const text = await request.clone().text();
  if (text.trim() === "") return {};
  return parseJsonBody(request, schema);
}

function startHandler(mode: "start" | "force", schema: z.ZodType<StartSyncBody> = startSyncBodySchema) {
  return withUser(async (request, { user }) => {
    const body = await readStartBody(request, schema);
    if (body.userId !== undefined && body.userId !== user.id) throw new ApiError("not_found", "No such user.");
    const [sellerConnectionId] = await sellerScope(user.id, body.sellerConnectionId, { single: true });
    const connection = await getSellerConnectionOrThrow(user.id, sellerConnectionId!);
    const answer = await startSellerSync(connection, { kind: body.kind, force: mode === "force", trigger: `user:${user.id}` }, async (data, { id }) => {
      await inngest.send(syncRequested.create(data, { id }));
    });
    if (!answer.started) {
      // Seed 004's client reads syncId from this body and attaches to the running sync.
      return NextResponse.json(
        { error: { code: "conflict", message: answer.message }, syncId: answer.syncId, status: "running", message: answer.message },
        { status: 409 },
      );
    }
    return NextResponse.json({ syncId: answer.syncId, status: "running", message: answer.message, kind: answer.kind }, { status: 202 });
  });
}

/** POST /api/sync/start (also /api/v1/integrations/sync/start, /api/v1/jobs/sync). */
export const startSyncHandler = startHandler("start");
/** POST /api/sync/force: a full historical re-sync. */
export const forceSyncHandler = startHandler("force");
/** POST /api/v1/connectors/run (seed 003): the Amazon connector's sync. */
export const runConnectorHandler = startHandler("start", connectorRunSchema);

function cancelHandler(param: "syncId" | "jobId") {
  return withOwned(syncRunResource(param), async (_request, { resource }) => {
    const answer = await cancelSellerSync(resource, async (data, { id }) => {
      await inngest.send(syncCancelled.create(data, { id }));
    });
    return NextResponse.json(answer);
  });
}

/** POST /api/sync/cancel/:syncId. */
export const cancelSyncHandler = cancelHandler("syncId");
/** POST /api/v1/jobs/:jobId/cancel. */
export const cancelJobHandler = cancelHandler("jobId");

/**
 * POST /api/amazon/connections/:sellerConnectionId/use (seed 001's "use existing connection"): the
 * seller picks a connection that is already there instead of going through Amazon's consent again; it
 * syncs unless a sync of it runs, which is then the one named (200, not 409: nothing was refused).
 */
export const useConnectionHandler = withSeller(async (_request, { user, seller }) => {
  const answer = await startSellerSync(seller, { trigger: `user:${user.id}` }, async (data, { id }) => {
    await inngest.send(syncRequested.create(data, { id }));
  });
  if (!answer.started) return NextResponse.json({ syncId: answer.syncId, status: "running", message: answer.message, started: false });
  return NextResponse.json({ syncId: answer.syncId, status: "running", message: answer.message, kind: answer.kind, started: true }, { status: 202 });
});
