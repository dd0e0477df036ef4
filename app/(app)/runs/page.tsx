// Operator view of the embedded Inngest runner: recent runs, filtered by status and function.
import Link from "next/link";
import { requireOperator } from "@/lib/auth/current-user";
import { RUN_STATUSES, listRunFunctions, listRuns, listRunsQuerySchema } from "@/lib/runs/run-queries";
import { StatusBadge, formatDuration } from "./status-badge";
import { Tenant } from "./tenant";

export const dynamic = "force-dynamic";

function href(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => Boolean(e[1])));
  const text = search.toString();
  return text ? `/runs?${text}` : "/runs";
}

export default async function RunsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await requireOperator("/runs");
  const raw = await searchParams;
  const parsed = listRunsQuerySchema.safeParse(raw);
  const query = parsed.success ? parsed.data : listRunsQuerySchema.parse({});
  const [{ runs, nextCursor }, functions] = await Promise.all([listRuns(query), listRunFunctions()]);

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Runs</h1>
        <p className="mt-1 text-sm text-slate-500">
          Background functions run by the embedded Inngest runner. In production, use Inngest&apos;s dashboard.
        </p>
      </div>
      {!parsed.success && (
        <p role="alert" className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-800">
          Ignored an invalid filter: {parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}
        </p>
      )}
      <form className="flex flex-wrap items-end gap-3 text-sm" action="/runs">
        <label className="flex flex-col gap-1">
          <span className="text-slate-600">Status</span>
          <select name="status" defaultValue={query.status ?? ""} className="rounded-md border border-slate-300 px-2 py-1.5">
            <option value="">any</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-slate-600">Function</span>
          <select name="function" defaultValue={query.function ?? ""} className="rounded-md border border-slate-300 px-2 py-1.5">
            <option value="">any</option>
            {functions.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white">
          Filter
        </button>
      </form>

      <section aria-label="Runs" tabIndex={0} className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
        <table className="w-full text-left text-sm" data-testid="runs-table">
          <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
            <tr>
              <th className="px-4 py-2">Function</th>
              <th className="px-4 py-2">Trigger</th>
              <th className="px-4 py-2">Seller · user</th>
              <th className="px-4 py-2">Status</th>
              <th className="px-4 py-2">Started (UTC)</th>
              <th className="px-4 py-2">Duration</th>
              <th className="px-4 py-2">Attempts</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {runs.length === 0 && (
              <tr>
                <td colSpan={7} className="px-4 py-8 text-center text-slate-500">
                  No runs yet.
                </td>
              </tr>
            )}
            {runs.map((run) => (
              <tr key={run.id} data-testid="run-row">
                <td className="px-4 py-2 font-medium">
                  <Link href={`/runs/${run.id}`} className="hover:underline">
                    {run.functionId}
                  </Link>
                </td>
                <td className="px-4 py-2 text-slate-600">
                  {run.trigger.kind === "event" ? run.trigger.event : run.trigger.kind}
                </td>
                <td className="px-4 py-2">
                  <Tenant tenant={run.tenant} />
                </td>
                <td className="px-4 py-2">
                  <StatusBadge status={run.status} />
                </td>
                <td className="px-4 py-2 text-slate-600">{(run.startedAt ?? run.createdAt).replace("T", " ").slice(0, 19)}</td>
                <td className="px-4 py-2 text-slate-600">{formatDuration(run.durationMs)}</td>
                <td className="px-4 py-2 text-slate-600">{run.attempts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {nextCursor && (
        <Link href={href({ status: query.status, function: query.function, cursor: nextCursor })} className="text-sm font-medium text-slate-900 hover:underline">
          Older runs →
        </Link>
      )}
    </div>
  );
}
