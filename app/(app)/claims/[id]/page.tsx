// One claim: why it is owed, the evidence, its value and window, its status and documents. The page
// checks the claim is the signed-in seller's before anything renders: another seller's claim (or a
// made-up id) is the not-found page, exactly like a missing one.
import { notFound } from "next/navigation";
import { ClaimDetail } from "@/components/claims/claim-detail";
import { ApiError } from "@/lib/api/errors";
import { requireUser } from "@/lib/auth/current-user";
import { getDetectionOrThrow } from "@/lib/detection/api/scope";

export const metadata = { title: "Claim · FBA Recovery" };

export default async function ClaimPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/claims/${encodeURIComponent(id)}`);
  if (id.length > 64) notFound();
  try {
    await getDetectionOrThrow(user.id, id);
  } catch (error) {
    if (error instanceof ApiError && error.code === "not_found") notFound();
    throw error;
  }
  return <ClaimDetail id={id} />;
}
