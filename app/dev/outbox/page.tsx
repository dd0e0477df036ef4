import { notFound } from "next/navigation";
import { env } from "@/lib/env";
import { listOutbox } from "@/lib/mail/outbox";

export const dynamic = "force-dynamic";

const URL_PATTERN = /(https?:\/\/[^\s]+)/g;

function Linked({ text }: { text: string }) {
  return (
    <>
      {text.split(URL_PATTERN).map((part, index) =>
        index % 2 === 1 ? (
          <a key={index} href={part} className="text-amber-700 underline">
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}

/** The local mailbox: what the app would have mailed (SMTP_URL unset). Not served in production. */
export default async function OutboxPage() {
  if (env().NODE_ENV === "production") notFound();
  const messages = await listOutbox({ limit: 50 });
  return (
    <main className="mx-auto max-w-3xl space-y-6 px-6 py-8">
      <div>
        <h1 className="text-2xl font-semibold">Outbox</h1>
        <p className="mt-1 text-sm text-slate-500">
          Mail the app sent while no SMTP server is configured (SMTP_URL), newest first. Development only.
        </p>
      </div>
      {messages.length === 0 && <p className="text-sm text-slate-500">No mail yet.</p>}
      {messages.map((message) => (
        <article key={message.id} data-testid="outbox-message" className="rounded-xl border border-slate-200 bg-white p-5 text-sm">
          <p className="text-slate-500">
            To <span className="font-medium text-slate-800">{message.to}</span> · {message.createdAt.toISOString()}
          </p>
          <h2 className="mt-1 font-semibold">{message.subject}</h2>
          <pre className="mt-3 whitespace-pre-wrap font-sans text-slate-700">
            <Linked text={message.text} />
          </pre>
        </article>
      ))}
    </main>
  );
}
