import { NextResponse } from "next/server";
import { z } from "zod";
import { amazonDisconnected, inngest } from "@/inngest/client";
import { disconnectSchema, disconnectSeller } from "@/lib/amazon-connect/disconnect-seller";
import { parseJsonBody } from "@/lib/api/errors";
import { withUser } from "@/lib/auth/current-user";

const paramsSchema = z.object({ connectionId: z.string().min(1).max(64) });

export const POST = withUser<{ connectionId: string }>(async (request, { user, params }) => {
  const { connectionId } = paramsSchema.parse(params);
  const input = await parseJsonBody(request, disconnectSchema);
  const result = await disconnectSeller(user.id, connectionId, input, async (data) => {
    await inngest.send(amazonDisconnected.create(data));
  });
  return NextResponse.json(result);
});
