// One source of one sync (a child run of the sync function): its windows in order, one durable step
// per unit of work. Waits are step.sleep (usage plans, report processing, cooldowns), never a sleep
// inside a step. Step names tell the story: create-report:<TYPE>:<window>, check-report:..., download-report:...
import { NonRetriableError } from "inngest";
import { z } from "zod";
import { inngest, amazonDisconnected, detectionRequested, syncCancelled } from "../client";
import { earlyDetectionEventId, earlyDetectionReadiness } from "@/lib/detection/early";
import { amazonConnectorFor } from "@/lib/sync/amazon-connector";
import { financialEventsUnit, inboundItemsUnit, inboundShipmentsUnit, inventorySummariesUnit, listGeneratedReportsUnit } from "@/lib/sync/engine/api-task";
import { checkReportUnit, ingestReportUnit, requestReportUnit } from "@/lib/sync/engine/report-task";
import { StepNames } from "@/lib/sync/engine/step-names";
import { unitContext } from "@/lib/sync/engine/sync-settings";
import { openTasks, taskRefs, type TaskRef } from "@/lib/sync/engine/task-label";
import { SellerDisconnectedError } from "@/lib/amazon/errors";
import { markReauthorizationRequired, REAUTHORIZATION_MESSAGE } from "@/lib/sellers/reauthorization";
import { isSyncStopping, reasonOf, type UnitResult } from "@/lib/sync/engine/unit-result";
import { failSource, finishTask } from "@/lib/sync/run-store";
import { withLogContext } from "@/lib/observability/logger";
import type { UnitContext } from "@/lib/sync/engine/context";

export const syncSourceInput = z.object({
  syncRunId: z.string().min(1),
  sellerConnectionId: z.string().min(1),
  source: z.string().min(1),
  /** A lane of a source: just these tasks (the parent dealt them); otherwise every open task of the source. */
  taskIds: z.array(z.string().min(1)).optional(),
});

export type SyncSourceResult = { source: string; tasks: number; refused?: string };

export const syncSource = inngest.createFunction(
  {
    id: "sync-source",
    retries: 5,
    triggers: [],
    cancelOn: [
      { event: amazonDisconnected, match: "data.sellerConnectionId" },
      { event: syncCancelled, match: "data.sellerConnectionId" },
    ],
  },
  async ({ event, step }): Promise<SyncSourceResult> => {
    const { syncRunId, sellerConnectionId, source, taskIds } = syncSourceInput.parse(event.data);
    const names = new StepNames();
    const ctx = async (): Promise<UnitContext> => unitContext(await amazonConnectorFor(sellerConnectionId));

    /** One unit as one step; a refusal that stops the whole sync becomes non-retriable. */
    // Unit results are plain JSON already: what the step memoizes is what the body returned.
    const unit = <T extends UnitResult>(name: string, body: (c: UnitContext) => Promise<T>): Promise<T> =>
      step.run(names.unique(name), () =>
        // Every log line of the unit says which seller and sync it is about.
        withLogContext({ syncRunId, sellerConnectionId }, async () => {
          try {
            return await body(await ctx());
          } catch (error) {
            // The seller revoked the app (or the grant lapsed): every lane stops at its next unit.
            if (error instanceof SellerDisconnectedError) {
              await markReauthorizationRequired(sellerConnectionId, { syncRunId });
              throw new NonRetriableError(REAUTHORIZATION_MESSAGE, { cause: error });
            }
            if (isSyncStopping(error)) throw new NonRetriableError(reasonOf(error), { cause: error });
            throw error;
          }
        }),
      ) as Promise<T>;
    const sleep = async (name: string, ms: number) => {
      if (ms > 0) await step.sleep(names.unique(name), Math.ceil(ms));
    };

    const queue: TaskRef[] = await step.run(`plan:${source}`, () => (taskIds ? taskRefs(taskIds) : openTasks(syncRunId, source)));
    let ran = 0;
    while (queue.length > 0) {
      const task = queue.shift()!;
      ran++;
      let outcome: TaskOutcome;
      try {
        outcome = await runTask(task, { unit, sleep });
      } catch (error) {
        if (error instanceof NonRetriableError) throw error;
        // The unit gave up after its retries: record it on the task and go on with the next window.
        const reason = `Could not be pulled after several tries: ${reasonOf(error)}`.slice(0, 500);
        await step.run(names.unique(`give-up:${task.label}`), () => finishTask(task.id, { status: "failed", error: reason }));
        continue;
      }
      if (outcome.kind === "refused") {
        await step.run(`refuse-source:${source}`, () => failSource(syncRunId, source, outcome.reason, task.id));
        return { source, tasks: ran, refused: outcome.reason };
      }
      if (outcome.kind === "more") {
        const more = await step.run(names.unique(`plan:${source}`), () => taskRefs(outcome.taskIds));
        queue.unshift(...more);
      }
    }
    // A historical sync runs each rule early, once every source it needs is in: the lane that stores
    // the last of them finds it here (each check follows its own tasks' commits, so the last one sees
    // them all), and the first findings come while slower sources still download. One event per
    // (sync, rule): a rule found ready again by a later lane is the same event, dropped.
    const ready = await step.run(`early-detection-check:${source}`, () => earlyDetectionReadiness(syncRunId));
    if (ready.readyRuleIds.length > 0) {
      await step.sendEvent(
        `start-early-detection:${source}`,
        ready.readyRuleIds.map((ruleId) => detectionRequested.create({ sellerConnectionId, syncRunId, mode: "full", ruleIds: [ruleId] }, { id: earlyDetectionEventId(syncRunId, ruleId) })),
      );
    }
    return { source, tasks: ran };
  },
);

type TaskOutcome = { kind: "finished" } | { kind: "refused"; reason: string } | { kind: "more"; taskIds: string[] };

interface Runner {
  unit: <T extends UnitResult>(name: string, body: (c: UnitContext) => Promise<T>) => Promise<T>;
  sleep: (name: string, ms: number) => Promise<void>;
}

async function runTask(task: TaskRef, r: Runner): Promise<TaskOutcome> {
  switch (task.kind) {
    case "report":
      return runReport(task, r);
    case "financial-events":
      return runFinancialEvents(task, r);
    case "inbound-shipments":
      return runInbound(task, r);
    case "inventory-summaries":
      return runSimple(task, r, `inventory-summaries:${task.label}`, (c) => inventorySummariesUnit(c, task.id));
    case "list-reports":
      return runSimple(task, r, `list-reports:${task.label}`, (c) => listGeneratedReportsUnit(c, task.id));
  }
}

/** Maps a unit's final result to the task's outcome. */
function outcomeOf(result: UnitResult): TaskOutcome | undefined {
  if (result.next === "done") return { kind: "finished" };
  if (result.next === "source-refused") return { kind: "refused", reason: result.reason };
  if (result.next === "tasks") return { kind: "more", taskIds: result.taskIds };
  return undefined;
}

async function runSimple(task: TaskRef, r: Runner, name: string, body: (c: UnitContext) => Promise<UnitResult>): Promise<TaskOutcome> {
  for (;;) {
    const result = await r.unit(name, body);
    if (result.next === "wait") {
      await r.sleep(`wait:${task.label}`, result.ms);
      continue;
    }
    return outcomeOf(result) ?? { kind: "finished" };
  }
}

async function runReport(task: TaskRef, r: Runner): Promise<TaskOutcome> {
  let checks = 0;
  let chunk = 0;
  for (;;) {
    let result = await r.unit(`create-report:${task.label}`, (c) => requestReportUnit(c, task.id));
    while (result.next === "poll" || (result.next === "wait" && result.why.startsWith("quota:"))) {
      await r.sleep(result.next === "poll" ? `wait-report:${task.label}` : `wait-quota:${task.label}`, result.ms);
      const n = checks++;
      result = await r.unit(`check-report:${task.label}`, (c) => checkReportUnit(c, task.id, n));
    }
    while (result.next === "ingest" || (chunk > 0 && (result.next === "continue" || (result.next === "wait" && result.why.startsWith("quota:"))))) {
      if (result.next === "wait") await r.sleep(`wait-quota:${task.label}`, result.ms);
      result = await r.unit(chunk === 0 ? `download-report:${task.label}` : `ingest-report:${task.label}`, (c) => ingestReportUnit(c, task.id));
      chunk++;
    }
    const outcome = outcomeOf(result);
    if (outcome) return outcome;
    if (result.next === "wait") {
      // A cooldown (regeneration limit, FATAL retry) or a report to ask for again.
      await r.sleep(`wait:${task.label}`, result.ms);
      continue;
    }
    return { kind: "finished" };
  }
}

async function runFinancialEvents(task: TaskRef, r: Runner): Promise<TaskOutcome> {
  let token: string | undefined;
  let offset = 1;
  for (;;) {
    const [from, to] = [token, offset];
    const result = await r.unit(`financial-events:${task.label}`, (c) => financialEventsUnit(c, task.id, from, to));
    if (result.next === "continue" || result.next === "wait") {
      token = result.token;
      offset = result.offset ?? 1;
      if (result.next === "wait") await r.sleep(`wait-quota:${task.label}`, result.ms);
      continue;
    }
    return outcomeOf(result) ?? { kind: "finished" };
  }
}

async function runInbound(task: TaskRef, r: Runner): Promise<TaskOutcome> {
  let listed;
  for (;;) {
    listed = await r.unit(`list-shipments:${task.label}`, (c) => inboundShipmentsUnit(c, task.id));
    if (listed.next !== "wait") break;
    await r.sleep(`wait-quota:${task.label}`, listed.ms);
  }
  const outcome = outcomeOf(listed);
  if (outcome) return outcome;
  const ids = listed.shipmentIds ?? [];
  let offset = 0;
  for (;;) {
    const at = offset;
    const result = await r.unit(`shipment-items:${task.label}`, (c) => inboundItemsUnit(c, task.id, ids, at));
    if (result.next === "continue" || result.next === "wait") {
      offset = result.offset ?? offset;
      if (result.next === "wait") await r.sleep(`wait-quota:${task.label}`, result.ms);
      continue;
    }
    return outcomeOf(result) ?? { kind: "finished" };
  }
}
