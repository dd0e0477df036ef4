import { NextResponse } from "next/server";
import { amazonDisconnected, inngest } from "@/inngest/client";
import { parseJsonBody } from "@/lib/api/errors";
import { otherMethods, withSeller } from "@/lib/api/route-wrappers";
import { disconnectSchema, disconnectSeller } from "@/lib/sellers/disconnect-seller";

export const POST = withSeller(async (request, { seller }) => {
  const input = await parseJsonBody(request, disconnectSchema);
  const result = await disconnectSeller(seller, input, async (data, { id }) => {
    await inngest.send(amazonDisconnected.create(data, { id }));
  });
  return NextResponse.json(result);
});

// Every other method: 405 in the JSON error shape.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
