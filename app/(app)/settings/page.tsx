// Settings: the Amazon connection (use it again, disconnect), the sync schedule the server runs
// (read-only: SYNC_CRON and ENABLE_BACKGROUND_SYNC), and the seller's reconciliation rules.
import { Cron } from "croner";
import type { Metadata } from "next";
import { ConnectionSettings } from "@/components/dashboard/connection-settings";
import { ReconciliationRules } from "@/components/dashboard/reconciliation-rules";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { LocalTime } from "@/components/ui/time";
import { requireUser } from "@/lib/auth/current-user";
import { RULES } from "@/lib/detection/rules";
import { syncSchedule } from "@/lib/env";
import { listSellerConnections } from "@/lib/sellers/list-seller-connections";
import { cronPeriodMs } from "@/lib/sync/schedule";

export const metadata: Metadata = { title: "Settings · FBA Recovery" };

/** "every 6 hours", "every day", "every 30 minutes": the schedule's longest gap in words. */
function periodInWords(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes % 1440 === 0) return minutes === 1440 ? "every day" : `every ${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? "every hour" : `every ${minutes / 60} hours`;
  return `every ${minutes} minutes`;
}

function nextRuns(expression: string, count: number): string[] {
  const match = /^TZ=(\S+)\s+(.+)$/.exec(expression.trim());
  const cron = new Cron(match ? match[2]!.trim() : expression.trim(), { timezone: match?.[1], paused: true });
  return cron.nextRuns(count).map((d) => d.toISOString());
}

export default async function SettingsPage() {
  const user = await requireUser("/settings");
  const connections = await listSellerConnections(user.id);
  const schedule = syncSchedule();
  const period = cronPeriodMs(schedule.SYNC_CRON);
  const upcoming = schedule.ENABLE_BACKGROUND_SYNC ? nextRuns(schedule.SYNC_CRON, 3) : [];
  const ruleOptions = RULES.map((r) => ({ id: r.id, title: r.title, supported: r.supported }));

  return (
    <div className="space-y-6">
      <PageHeader title="Settings" description="Your Amazon connection, when your data syncs, and how findings are reconciled." />

      <Card id="connection" title="Amazon connection" description="The seller account we read your data from" padding="none">
        <ConnectionSettings connections={connections} />
      </Card>

      <Card id="schedule" title="Sync schedule" description="What the server runs on its own; set by the operator (SYNC_CRON, ENABLE_BACKGROUND_SYNC)">
        <dl className="grid gap-4 text-sm sm:grid-cols-3">
          <div>
            <dt className="text-xs text-slate-500">Automatic sync</dt>
            <dd className="mt-1">
              {schedule.ENABLE_BACKGROUND_SYNC ? (
                <Badge tone="success" dot>
                  On, {periodInWords(period)}
                </Badge>
              ) : (
                <Badge tone="neutral">Off: syncs run when you start one</Badge>
              )}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">Schedule (cron)</dt>
            <dd className="mt-1 font-mono text-slate-800">{schedule.SYNC_CRON}</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">Next runs (your time)</dt>
            <dd className="mt-1 text-slate-800">
              {upcoming.length === 0 ? (
                "—"
              ) : (
                <ul className="space-y-0.5">
                  {upcoming.map((iso) => (
                    <li key={iso}>
                      <LocalTime iso={iso} />
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        </dl>
        <p className="mt-4 text-xs text-slate-500">
          Each scheduled sync is incremental: it re-reads the last 14–90 days of each source (Amazon restates recent data) and adds what is new. A
          data source is shown as stale when its last pull is older than two scheduled periods.
        </p>
      </Card>

      <Card id="rules" title="Reconciliation rules" description="Tune what detection offers you: minimum amounts, severities, checks switched off">
        <ReconciliationRules ruleOptions={ruleOptions} />
      </Card>
    </div>
  );
}
