import { NextResponse } from "next/server";
import { amazonDisconnected, inngest } from "@/inngest/client";
import { parseJsonBody } from "@/lib/api/errors";
import { withSeller } from "@/lib/api/route-wrappers";
import { disconnectSchema, disconnectSeller } from "@/lib/sellers/disconnect-seller";

export const POST = withSeller(async (request, { seller }) => {
  const input = await parseJsonBody(request, disconnectSchema);
  const result = await disconnectSeller(seller, input, async (data, { id }) => {
    await inngest.send(amazonDisconnected.create(data, { id }));
  });
  return NextResponse.json(result);
});
