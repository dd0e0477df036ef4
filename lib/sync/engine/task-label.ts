// How a task reads in step names and logs: `GET_LEDGER_DETAIL_VIEW_DATA:2025-01..2025-06`.
import { db } from "../../db";
import { lanesOf, planEntry } from "../plan";
import { windowLabel } from "../windows";

export type TaskKind = "report" | "financial-events" | "inbound-shipments" | "inventory-summaries" | "list-reports";

export interface TaskRef {
  id: string;
  label: string;
  kind: TaskKind;
}

export function taskLabel(task: { source: string; windowStart: Date | null; windowEnd: Date | null; reportId: string | null }): string {
  const entry = planEntry(task.source);
  const what = "reportType" in entry ? entry.reportType : entry.operation;
  if (entry.kind === "listed-report" && task.reportId) return `${what}:${task.reportId}`;
  if (entry.kind === "listed-report") return what;
  if (!task.windowStart) return `${what}:${task.windowEnd?.toISOString().slice(0, 10) ?? "now"}`;
  return `${what}:${windowLabel({ start: task.windowStart.toISOString(), end: task.windowEnd!.toISOString() })}`;
}

export function taskKind(task: { source: string; reportId: string | null }): TaskKind {
  const entry = planEntry(task.source);
  switch (entry.kind) {
    case "report":
    case "snapshot-report":
      return "report";
    case "listed-report":
      return task.reportId ? "report" : "list-reports";
    case "api":
      return entry.operation === "listFinancialEvents" ? "financial-events" : "inbound-shipments";
    case "snapshot-api":
      return "inventory-summaries";
  }
}

/** The unfinished tasks of a source in a run, oldest window first. */
export async function openTasks(syncRunId: string, source: string): Promise<TaskRef[]> {
  const tasks = await db.syncTask.findMany({
    where: { syncRunId, source, status: { in: ["pending", "running"] } },
    orderBy: [{ windowStart: "asc" }, { id: "asc" }],
  });
  return tasks.map(toRef);
}

export async function taskRefs(ids: readonly string[]): Promise<TaskRef[]> {
  const tasks = await db.syncTask.findMany({ where: { id: { in: [...ids] } } });
  const byId = new Map(tasks.map((t) => [t.id, t]));
  return ids.flatMap((id) => (byId.get(id) ? [toRef(byId.get(id)!)] : []));
}

function toRef(task: { id: string; source: string; windowStart: Date | null; windowEnd: Date | null; reportId: string | null }): TaskRef {
  return { id: task.id, label: taskLabel(task), kind: taskKind(task) };
}

/** The open tasks of each laned source dealt round-robin (oldest window first) to its lanes; empty lanes dropped. */
export async function dealLanes(syncRunId: string, sources: readonly string[]): Promise<Record<string, string[][]>> {
  const dealt: Record<string, string[][]> = {};
  for (const source of sources) {
    const tasks = await openTasks(syncRunId, source);
    const lanes: string[][] = Array.from({ length: lanesOf(source) }, () => []);
    tasks.forEach((task, i) => lanes[i % lanes.length]!.push(task.id));
    dealt[source] = lanes.filter((lane) => lane.length > 0);
  }
  return dealt;
}
