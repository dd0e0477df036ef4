// Asking for a detection run on demand (POST /api/detections/run and its seed aliases): the
// `detection/requested` event for one of the user's sellers, with an id derived from the request so a
// double click, a retried request or a resent event is one run: the caller's idempotency key when it
// gives one (body `idempotencyKey` or the `Idempotency-Key` header), else the seller, the mode and the
// minute it was asked in. The function runs one detection per seller at a time (its concurrency key), so
// a request while one runs is queued behind it, never refused.
import { z } from "zod";
import { ApiError } from "../../api/errors";
import { resourceIdSchema } from "../../api/route-wrappers";
import type { DetectionMode } from "../types";

export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._:-]+$/, "may hold letters, digits and . _ : - only");

export const runDetectionBodySchema = z
  .object({
    sellerConnectionId: resourceIdSchema.optional(),
    mode: z.enum(["full", "incremental"], { error: 'must be "full" or "incremental"' }).optional(),
    idempotencyKey: idempotencyKeySchema.optional(),
    /** Seed 003 sends the user's id along: it must be the caller's own (another id is a 404). */
    userId: resourceIdSchema.optional(),
  })
  .strict();

export type RunDetectionBody = z.infer<typeof runDetectionBodySchema>;

export type SendDetectionRequested = (data: { sellerConnectionId: string; mode: DetectionMode }, options: { id: string }) => Promise<void>;

/** The event id: the same request (key, or seller + mode + minute) always gives the same one. */
export function detectionEventId(sellerConnectionId: string, mode: DetectionMode, now: Date, idempotencyKey?: string): string {
  if (idempotencyKey) return `detection-requested:${sellerConnectionId}:key:${idempotencyKey}`;
  return `detection-requested:${sellerConnectionId}:${mode}:${now.toISOString().slice(0, 16)}`;
}

export interface RunAnswer {
  status: "queued";
  mode: DetectionMode;
  message: string;
  eventId: string;
  sellerConnectionId: string;
}

export async function requestDetection(
  connection: { id: string; status: string },
  options: { mode?: DetectionMode; idempotencyKey?: string; now: Date },
  send: SendDetectionRequested,
): Promise<RunAnswer> {
  if (connection.status === "disconnected") throw new ApiError("conflict", "This Amazon account is disconnected. Connect it again to check it for claims.");
  const mode = options.mode ?? "full";
  const eventId = detectionEventId(connection.id, mode, options.now, options.idempotencyKey);
  try {
    await send({ sellerConnectionId: connection.id, mode }, { id: eventId });
  } catch {
    throw new ApiError("service_unavailable", "Detection could not be queued right now. Please try again in a minute.");
  }
  return {
    status: "queued",
    mode,
    message:
      mode === "full"
        ? "Detection queued: every rule rechecks all your synced data. Results appear on the claims page when it finishes."
        : "Detection queued: the rules recheck what changed since the last sync. Results appear on the claims page when it finishes.",
    eventId,
    sellerConnectionId: connection.id,
  };
}
