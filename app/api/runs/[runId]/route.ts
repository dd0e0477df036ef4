import { NextResponse } from "next/server";
import { z } from "zod";
import { ApiError } from "@/lib/api/errors";
import { withOperator } from "@/lib/api/route-wrappers";
import { getRun } from "@/lib/runs/run-queries";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ runId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "must be a run id") });

export const GET = withOperator<{ runId: string }>(async (_request, { params }) => {
  const { runId } = paramsSchema.parse(params);
  const run = await getRun(runId);
  if (!run) throw new ApiError("not_found", "No run with this id.");
  return NextResponse.json(run);
});
