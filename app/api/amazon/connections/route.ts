import { NextResponse } from "next/server";
import { withUser } from "@/lib/api/route-wrappers";
import { listSellerConnections } from "@/lib/sellers/list-seller-connections";

export const GET = withUser(async (_request, { user }) => {
  return NextResponse.json({ connections: await listSellerConnections(user.id) });
});
