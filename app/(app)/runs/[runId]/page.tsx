// One run of the embedded runner: its trigger, result, steps (outputs and errors) and calls.
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireOperator } from "@/lib/auth/current-user";
import { isRunId } from "@/lib/runs/run-id";
import { getRun } from "@/lib/runs/run-queries";
import { StatusBadge, formatDuration } from "../status-badge";
import { Tenant } from "../tenant";

export const dynamic = "force-dynamic";

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="text-slate-500">—</span>;
  const text = JSON.stringify(value, null, 2);
  return (
    <pre className="max-h-64 overflow-auto rounded-md bg-slate-50 p-2 text-xs text-slate-800">
      {text.length > 20_000 ? `${text.slice(0, 20_000)}\n… (${text.length} characters)` : text}
    </pre>
  );
}

export default async function RunPage({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  await requireOperator(`/runs/${runId}`);
  const run = isRunId(runId) ? await getRun(runId) : null;
  if (!run) notFound();

  return (
    <div className="space-y-6">
      <Link href="/runs" className="text-sm text-slate-600 hover:underline">
        ← Runs
      </Link>
      <div className="flex items-center gap-3">
        <h1 className="text-2xl font-semibold">{run.functionId}</h1>
        <StatusBadge status={run.status} />
      </div>
      <dl className="grid grid-cols-2 gap-x-8 gap-y-2 text-sm md:grid-cols-4">
        <div>
          <dt className="text-slate-500">Run</dt>
          <dd className="font-mono text-xs">{run.id}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Trigger</dt>
          <dd>{run.trigger.kind === "event" ? run.trigger.event : `${run.trigger.kind} (${run.trigger.event})`}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Seller · user</dt>
          <dd>
            <Tenant tenant={run.tenant} />
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Started (UTC)</dt>
          <dd>{(run.startedAt ?? run.createdAt).replace("T", " ").slice(0, 19)}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Duration · attempts · calls</dt>
          <dd>
            {formatDuration(run.durationMs)} · {run.attempts} · {run.calls}
          </dd>
        </div>
        {run.parentRunId && (
          <div>
            <dt className="text-slate-500">Invoked by</dt>
            <dd>
              <Link href={`/runs/${run.parentRunId}`} className="font-mono text-xs hover:underline">
                {run.parentRunId}
              </Link>
            </dd>
          </div>
        )}
      </dl>

      <section className="grid gap-4 md:grid-cols-2">
        <div>
          <h2 className="mb-1 text-sm font-semibold">Event</h2>
          <Json value={run.event} />
        </div>
        <div>
          <h2 className="mb-1 text-sm font-semibold">{run.error ? "Error" : "Output"}</h2>
          <Json value={run.error ?? run.output} />
        </div>
      </section>

      <section className="rounded-xl border border-slate-200 bg-white">
        <h2 className="border-b border-slate-200 px-4 py-2 text-sm font-semibold">Steps</h2>
        <ol className="divide-y divide-slate-100" data-testid="run-steps">
          {run.stepList.length === 0 && <li className="px-4 py-4 text-sm text-slate-500">No steps yet.</li>}
          {run.stepList.map((step) => (
            <li key={step.id} className="space-y-2 px-4 py-3 text-sm">
              <div className="flex items-center gap-3">
                <span className="w-6 text-right text-slate-500">{step.order ?? "·"}</span>
                <span className="font-medium">{step.name}</span>
                <span className="text-xs text-slate-500">{step.op}</span>
                <StatusBadge status={step.status} />
                {step.attempt > 0 && <span className="text-xs text-slate-500">attempt {step.attempt + 1}</span>}
              </div>
              {step.error ? <Json value={step.error} /> : step.status === "completed" ? <Json value={step.output} /> : null}
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="calls-heading" tabIndex={0} className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
        <h2 id="calls-heading" className="border-b border-slate-200 px-4 py-2 text-sm font-semibold">Calls to the app</h2>
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className="px-4 py-2">At (UTC)</th>
              <th className="px-4 py-2">Target</th>
              <th className="px-4 py-2">Attempt</th>
              <th className="px-4 py-2">HTTP</th>
              <th className="px-4 py-2">Outcome</th>
              <th className="px-4 py-2">Took</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {run.attemptLog.map((a, i) => (
              <tr key={i}>
                <td className="px-4 py-1.5 text-slate-600">{a.at.replace("T", " ").slice(0, 23)}</td>
                <td className="px-4 py-1.5">{a.target}</td>
                <td className="px-4 py-1.5">{a.attempt + 1}</td>
                <td className="px-4 py-1.5">{a.httpStatus || "—"}</td>
                <td className="px-4 py-1.5" title={a.error ? JSON.stringify(a.error) : undefined}>
                  {a.outcome}
                </td>
                <td className="px-4 py-1.5 text-slate-600">{a.durationMs} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
