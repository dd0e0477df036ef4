import Link from "next/link";
import { ConnectAmazonButton } from "@/components/connect-amazon-button";

// Closed set of outcomes the callback can redirect here with; anything else reads as unknown.
const messages: Record<string, { title: string; body: string }> = {
  cancelled: { title: "Connection cancelled", body: "You cancelled on Amazon's consent page. Nothing was connected." },
  state_unknown: {
    title: "This link is not valid",
    body: "The authorization did not start from this app. Start again with Connect Amazon.",
  },
  state_reused: { title: "This link was already used", body: "Each Connect Amazon attempt works once. Start again." },
  state_expired: { title: "This link expired", body: "Connect Amazon attempts expire after 10 minutes. Start again." },
  state_foreign: {
    title: "This link belongs to another account",
    body: "The authorization was started by a different user. Sign in as that user, or start again here.",
  },
  missing_parameters: { title: "Amazon's answer was incomplete", body: "Start again with Connect Amazon." },
  code_rejected: {
    title: "Amazon rejected the authorization",
    body: "The authorization code was invalid or expired. Start again with Connect Amazon.",
  },
  amazon_unavailable: { title: "Amazon did not answer", body: "Amazon's login service did not respond. Try again in a few minutes." },
  already_connected_elsewhere: {
    title: "Already connected to another account",
    body: "This Amazon selling account is connected to a different user of this app. Disconnect it there first.",
  },
};

export default async function ConnectAmazonResult({ searchParams }: { searchParams: Promise<{ result?: string }> }) {
  const { result } = await searchParams;
  const message = messages[result ?? ""] ?? { title: "Something went wrong", body: "Start again with Connect Amazon." };
  return (
    <section role="alert" className="mx-auto max-w-lg rounded-xl border border-slate-200 bg-white p-8">
      <h1 className="text-xl font-semibold">{message.title}</h1>
      <p className="mt-2 text-sm text-slate-600">{message.body}</p>
      <div className="mt-6 flex items-center gap-4">
        <ConnectAmazonButton />
        <Link href="/dashboard" className="text-sm text-slate-600 hover:underline">
          Back to the dashboard
        </Link>
      </div>
    </section>
  );
}
