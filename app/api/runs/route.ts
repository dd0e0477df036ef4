import { NextResponse } from "next/server";
import { parseSearchParams } from "@/lib/api/errors";
import { otherMethods, withOperator } from "@/lib/api/route-wrappers";
import { listRuns, listRunsQuerySchema } from "@/lib/runs/run-queries";

export const dynamic = "force-dynamic";

export const GET = withOperator(async (request) => {
  const query = parseSearchParams(request, listRunsQuerySchema);
  return NextResponse.json(await listRuns(query));
});

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
