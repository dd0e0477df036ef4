import { NextResponse } from "next/server";
import { otherMethods, withUser } from "@/lib/api/route-wrappers";
import { listSellerConnections } from "@/lib/sellers/list-seller-connections";

export const GET = withUser(async (_request, { user }) => {
  return NextResponse.json({ connections: await listSellerConnections(user.id) });
});

// Every other method: 405 in the JSON error shape.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
