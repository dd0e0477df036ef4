// Cron triggers: 5-field (or 6 with seconds) expressions, optionally prefixed `TZ=<zone> `,
// evaluated with croner so time zones and DST follow the IANA database.
import { Cron } from "croner";

export function parseCron(expression: string): { pattern: string; timezone?: string } {
  const match = /^TZ=(\S+)\s+(.+)$/.exec(expression.trim());
  return match ? { pattern: (match[2] ?? "").trim(), timezone: match[1] } : { pattern: expression.trim() };
}

/** The first tick strictly after `after`, as a UTC Date; throws on a bad expression or zone. */
export function nextCronTick(expression: string, after: Date): Date {
  const { pattern, timezone } = parseCron(expression);
  const next = new Cron(pattern, { timezone, paused: true }).nextRun(after);
  if (!next) throw new Error(`Cron "${expression}" has no next run`);
  return next;
}
