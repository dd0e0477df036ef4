import { z } from "zod";

/** Run ids are ULIDs (Crockford base32, 26 characters), as Inngest and the embedded runner mint them. */
const RUN_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const runIdSchema = z.string().regex(RUN_ID, "must be a run id");

export function isRunId(value: string): boolean {
  return RUN_ID.test(value);
}
