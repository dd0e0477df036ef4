import { NextResponse } from "next/server";
import { z } from "zod";
import { ApiError } from "@/lib/api/errors";
import { otherMethods, withOperator } from "@/lib/api/route-wrappers";
import { runIdSchema } from "@/lib/runs/run-id";
import { getRun } from "@/lib/runs/run-queries";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ runId: runIdSchema });

export const GET = withOperator<{ runId: string }>(async (_request, { params }) => {
  const { runId } = paramsSchema.parse(params);
  const run = await getRun(runId);
  if (!run) throw new ApiError("not_found", "No run with this id.");
  return NextResponse.json(run);
});

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
