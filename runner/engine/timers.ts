// Durable timers: each is a runner_job row due at its time, so a restart neither loses nor
// shortens it. sleep ends a step.sleep; wait_timeout ends a waitForEvent with null;
// invoke_timeout fails an invoke step; start_timeout / finish_timeout cancel a run (timeouts).
import { ACTIVE_RUN_STATUSES, lockRun, type EngineContext } from "./context";
import { withTx } from "./db";
import type { ClaimedJob } from "./calls";
import { finishRun, maybeDiscover, memoStep } from "./runs";

export async function processTimer(ctx: EngineContext, job: ClaimedJob): Promise<void> {
  await withTx(ctx.db, async (tx) => {
    const mine = await tx.runnerJob.deleteMany({ where: { id: job.id, lockedBy: job.owner } });
    if (mine.count === 0 || !job.runId) return;
    const run = await lockRun(tx, job.runId);
    if (!run || !ACTIVE_RUN_STATUSES.includes(run.status as never)) return;
    const step = { id: job.target };
    switch (job.kind) {
      case "sleep": {
        const current = await tx.runnerStep.findUnique({ where: { runId_id: { runId: run.id, id: job.target } } });
        if (current?.status !== "sleeping") return;
        if (await memoStep(tx, ctx, run, step, { data: null })) await maybeDiscover(tx, ctx, run.id, run.status);
        return;
      }
      case "wait_timeout": {
        const taken = await tx.runnerWaiter.deleteMany({ where: { runId: run.id, stepId: job.target } });
        if (taken.count === 0) return; // an event got there first
        if (await memoStep(tx, ctx, run, step, { data: null })) await maybeDiscover(tx, ctx, run.id, run.status);
        return;
      }
      case "invoke_timeout": {
        const current = await tx.runnerStep.findUnique({ where: { runId_id: { runId: run.id, id: job.target } } });
        if (current?.status !== "invoking") return;
        const error = { name: "InngestInvokeTimeoutError", message: "Timed out waiting for the invoked function to finish" };
        if (await memoStep(tx, ctx, run, step, { error })) await maybeDiscover(tx, ctx, run.id, run.status);
        return;
      }
      case "start_timeout":
        if (run.status !== "queued") return;
        await finishRun(tx, ctx, run, "cancelled", {
          error: { name: "FunctionTimeout", message: "The run did not start within timeouts.start" },
        });
        return;
      case "finish_timeout":
        await finishRun(tx, ctx, run, "cancelled", {
          error: { name: "FunctionTimeout", message: "The run did not finish within timeouts.finish" },
        });
        return;
      default:
        ctx.log(`job ${job.id} has unknown kind ${job.kind}: dropped`, "warn");
    }
  });
}
