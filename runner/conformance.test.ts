// Conformance: real functions served by the inngest SDK's serve() over real HTTP, driven by the
// runner against the test PostgreSQL. One file, because only one runner may work a database at a
// time; each describe starts its own runner and app.
import { Inngest, NonRetriableError, RetryAfterError, referenceFunction } from "inngest";
import { ulid } from "ulid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningRunner } from "./index";
import { RunnerBusyError } from "./index";
import {
  databaseUrl,
  db,
  devClient,
  finishedRuns,
  quietLogger,
  runner,
  runsOf,
  sleep,
  startApp,
  stepsOf,
  waitFor,
  type TestApp,
} from "./test/harness";
import { startRunner } from "./index";

const counts = new Map<string, number>();
const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
const count = (key: string) => counts.get(key) ?? 0;

async function postEvents(runnerUrl: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${runnerUrl}/e/test-key`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  return { status: res.status, body: (await res.json()) as { ids?: string[]; status: number; error?: string } };
}

describe("event intake and sync", () => {
  let r: RunningRunner;
  let app: TestApp;
  let inngest: Inngest;
  const logs: string[] = [];

  beforeAll(async () => {
    r = await runner({ log: (line) => logs.push(line) });
    inngest = devClient("intake", r.url);
    const echo = inngest.createFunction({ id: "echo", triggers: [{ event: "intake/echo" }] }, async ({ event }) => {
      bump(`echo:${event.id}`);
      return { got: event.data };
    });
    const filtered = inngest.createFunction(
      { id: "filtered", triggers: [{ event: "intake/filtered", if: "event.data.amount > 100" }] },
      async ({ event }) => event.data.amount as number,
    );
    app = await startApp(inngest, [echo, filtered]);
    expect((await r.sync(app.url)).status).toBe(200);
  });
  afterAll(async () => {
    await r.close();
    await app.close();
  });

  it("registers the app's functions through the out-of-band sync", async () => {
    const fns = await db.runnerFunction.findMany({ where: { appUrl: app.url }, orderBy: { id: "asc" } });
    expect(fns.map((f) => f.id)).toEqual(["intake-echo", "intake-filtered"]);
    const health = (await (await fetch(`${r.url}/health`)).json()) as { functions: string[] };
    expect(health.functions).toEqual(expect.arrayContaining(["intake-echo", "intake-filtered"]));
  });

  it("accepts one event and a batch as the SDK sends them, giving each an id and keeping its timestamp", async () => {
    const one = await inngest.send({ name: "intake/echo", data: { n: 1 } });
    const batch = await inngest.send([
      { name: "intake/echo", data: { n: 2 } },
      { name: "intake/echo", data: { n: 3 } },
    ]);
    const ids = [...one.ids, ...batch.ids];
    expect(new Set(ids).size).toBe(3);
    const stored = await db.runnerEvent.findMany({ where: { id: { in: ids } } });
    expect(stored).toHaveLength(3);
    for (const e of stored) expect(Number(e.ts)).toBeGreaterThan(0);
    const runs = await finishedRuns("intake-echo", 3);
    expect(runs.map((run) => (run.output as { got: { n: number } }).got.n).sort()).toEqual([1, 2, 3]);
  });

  it("derives ids from the SDK's event-id seed, so a retried send is stored and run once", async () => {
    const seed = `${Date.now()},${Buffer.from("0123456789").toString("base64")}`;
    const body = JSON.stringify([{ name: "intake/echo", data: { seeded: true }, ts: Date.now() }]);
    const first = await postEvents(r.url, body, { "x-inngest-event-id-seed": seed });
    const second = await postEvents(r.url, body, { "x-inngest-event-id-seed": seed });
    expect(first.body.status).toBe(200);
    expect(second.body.ids).toEqual(first.body.ids);
    const id = first.body.ids?.[0] ?? "";
    await waitFor("the seeded event's run", async () => count(`echo:${id}`) === 1);
    await sleep(300);
    expect(await db.runnerEvent.count({ where: { id } })).toBe(1);
    expect(count(`echo:${id}`)).toBe(1);
  });

  it("treats a user-supplied event id as an idempotency key", async () => {
    const id = `user-chosen-${Date.now()}`;
    await inngest.send({ id, name: "intake/echo", data: { once: true } });
    await inngest.send({ id, name: "intake/echo", data: { once: true } });
    await waitFor("the run for the user id", async () => count(`echo:${id}`) === 1);
    await sleep(300);
    expect(count(`echo:${id}`)).toBe(1);
  });

  it("starts a run only when the trigger's CEL expression matches", async () => {
    await inngest.send([
      { name: "intake/filtered", data: { amount: 50 } },
      { name: "intake/filtered", data: { amount: 150 } },
    ]);
    const [run] = await finishedRuns("intake-filtered", 1);
    expect(run?.output).toBe(150);
    await sleep(300);
    expect(await db.runnerRun.count({ where: { functionId: "intake-filtered" } })).toBe(1);
  });

  it("answers malformed events with 400 and a message, and stores none of them", async () => {
    const before = await db.runnerEvent.count();
    const cases = [
      "not json",
      JSON.stringify({ data: { no: "name" } }),
      JSON.stringify({ name: "intake/echo", data: "not an object" }),
      JSON.stringify([{ name: "intake/echo", data: {} }, { name: "" }]),
      JSON.stringify({ name: "inngest/function.failed", data: {} }),
    ];
    for (const body of cases) {
      const res = await postEvents(r.url, body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(/\w+/);
    }
    expect(await db.runnerEvent.count()).toBe(before);
  });

  it("logs and drops a call for a function id it does not know, failing that run", async () => {
    const id = ulid();
    await db.runnerRun.create({
      data: { id, functionId: "ghost-fn", status: "queued", eventId: "e", event: { name: "x", data: {} }, triggerKind: "event", dedupeKey: id },
    });
    await db.runnerJob.create({ data: { id: ulid(), kind: "call", runId: id, target: "step", dueAt: new Date() } });
    const run = await waitFor("the ghost run to fail", async () => {
      const found = await db.runnerRun.findUnique({ where: { id } });
      return found?.status === "failed" ? found : undefined;
    });
    expect((run.error as { name: string }).name).toBe("FunctionNotFound");
    expect(await db.runnerJob.count({ where: { runId: id } })).toBe(0);
    expect(logs.some((line) => line.includes("ghost-fn") && line.includes("unknown function id"))).toBe(true);
  });

  it("refuses loudly a sync whose function uses a flow-control field the runner does not implement", async () => {
    const other = devClient("refused", r.url);
    const limited = other.createFunction(
      { id: "limited", triggers: [{ event: "intake/limited" }], rateLimit: { limit: 1, period: "1m" } },
      async () => "never",
    );
    const refusedApp = await startApp(other, [limited]);
    try {
      const result = await r.sync(refusedApp.url);
      expect(result.status).toBe(400);
      expect(result.message).toContain("rateLimit");
      expect(logs.some((line) => line.startsWith("SYNC REFUSED") && line.includes("rateLimit"))).toBe(true);
      expect(await db.runnerFunction.count({ where: { id: "refused-limited" } })).toBe(0);
    } finally {
      await refusedApp.close();
    }
  });
});

describe("steps", () => {
  const calls: { url: string; body: string }[] = [];
  let r: RunningRunner;
  let app: TestApp;
  let inngest: Inngest;

  beforeAll(async () => {
    r = await runner();
    inngest = devClient("steps", r.url);
    const memo = inngest.createFunction({ id: "memo", triggers: [{ event: "steps/memo" }] }, async ({ step }) => {
      const a = await step.run("a", () => (bump("memo:a"), 1));
      const b = await step.run("b", () => (bump("memo:b"), a + 1));
      const c = await step.run("c", () => (bump("memo:c"), b + 1));
      return [a, b, c];
    });
    const parallel = inngest.createFunction({ id: "parallel", triggers: [{ event: "steps/parallel" }] }, async ({ step }) => {
      const [x, y, z] = await Promise.all([
        step.run("x", () => (bump("par:x"), "x")),
        step.run("y", async () => (bump("par:y"), await sleep(30), "y")),
        step.run("z", () => (bump("par:z"), "z")),
      ]);
      const after = await step.run("after", () => (bump("par:after"), `${x}${y}${z}`));
      return after;
    });
    const sleeper = inngest.createFunction({ id: "sleeper", triggers: [{ event: "steps/sleep" }] }, async ({ step, event }) => {
      const before = await step.run("before", () => Date.now());
      await step.sleep("nap", "1s");
      await step.sleepUntil("until", new Date((event.data.until as number) ?? 0));
      const after = await step.run("after", () => Date.now());
      return { before, after };
    });
    const sender = inngest.createFunction({ id: "sender", triggers: [{ event: "steps/send" }] }, async ({ step, event }) => {
      const sent = await step.sendEvent("announce", { name: "steps/announced", data: { from: event.id } });
      return sent.ids;
    });
    const receiver = inngest.createFunction({ id: "receiver", triggers: [{ event: "steps/announced" }] }, async ({ event }) => event.data.from);
    const waiter = inngest.createFunction({ id: "waiter", triggers: [{ event: "steps/wait" }] }, async ({ step }) => {
      const ack = await step.waitForEvent("ack", { event: "steps/ack", timeout: "3s", match: "data.orderId" });
      return ack ? ack.data : null;
    });
    const shortWaiter = inngest.createFunction({ id: "short-waiter", triggers: [{ event: "steps/wait-short" }] }, async ({ step }) => {
      const ack = await step.waitForEvent("ack", { event: "steps/never", timeout: "1s" });
      return { timedOut: ack === null };
    });
    const add = inngest.createFunction({ id: "add", triggers: [] }, async ({ event }) => {
      const values = (event.data as { values: number[] }).values;
      return values.reduce((s, v) => s + v, 0);
    });
    const explode = inngest.createFunction({ id: "explode", retries: 0, triggers: [] }, async () => {
      throw new NonRetriableError("child exploded");
    });
    const invoker = inngest.createFunction({ id: "invoker", triggers: [{ event: "steps/invoke" }] }, async ({ step }) => {
      const sum = await step.invoke("sum", { function: add, data: { values: [1, 2, 3] } });
      let childError = "";
      try {
        await step.invoke("boom", { function: explode, data: {} });
      } catch (error) {
        childError = (error as Error).message;
      }
      let missing = "";
      try {
        await step.invoke("ghost", { function: referenceFunction({ functionId: "no-such-function", appId: "steps" }), data: {} });
      } catch (error) {
        missing = (error as Error).message;
      }
      return { sum, childError, missing };
    });
    const ticker = inngest.createFunction({ id: "ticker", triggers: [{ cron: "TZ=Europe/Paris * * * * * *" }] }, async ({ event }) => {
      bump("ticker");
      return { name: event.name, cron: (event.data as { cron: string }).cron };
    });
    app = await startApp(inngest, [memo, parallel, sleeper, sender, receiver, waiter, shortWaiter, add, explode, invoker, ticker], {
      record: (call) => calls.push(call),
    });
    expect((await r.sync(app.url)).status).toBe(200);
  });
  afterAll(async () => {
    // Stop the every-second cron from ticking in later runners.
    await db.runnerCron.deleteMany({ where: { functionId: "steps-ticker" } });
    await db.runnerFunction.deleteMany({ where: { id: "steps-ticker" } });
    await r.close();
    await app.close();
  });

  it("memoizes step.run: each step's code runs once and later steps see earlier results", async () => {
    await inngest.send({ name: "steps/memo", data: {} });
    const [run] = await finishedRuns("steps-memo");
    expect(run?.status).toBe("completed");
    expect(run?.output).toEqual([1, 2, 3]);
    expect([count("memo:a"), count("memo:b"), count("memo:c")]).toEqual([1, 1, 1]);
    const steps = await stepsOf(run?.id ?? "");
    expect(steps.map((s) => [s.name, s.seq, s.data])).toEqual([
      ["a", 1, 1],
      ["b", 2, 2],
      ["c", 3, 3],
    ]);
  });

  it("calls the app as the SDK expects: memoized steps, the stack, version negotiation, and never fn_id (checkpointing off)", async () => {
    const memoCalls = calls.filter((c) => c.url.includes("fnId=steps-memo"));
    expect(memoCalls.length).toBeGreaterThanOrEqual(4);
    const bodies = memoCalls.map((c) => JSON.parse(c.body) as { version: number; steps: Record<string, unknown>; ctx: Record<string, unknown> });
    expect(bodies[0]?.version).toBe(-1);
    expect(bodies.at(-1)?.version).toBe(2);
    for (const body of bodies) {
      expect(body.ctx).not.toHaveProperty("fn_id");
      expect(body.ctx).not.toHaveProperty("qi_id");
      expect(body.ctx.use_api).toBe(false);
      expect(body.ctx.max_attempts).toBe(4);
    }
    const last = bodies.at(-1);
    const stack = (last?.ctx.stack as { stack: string[] }).stack;
    expect(stack).toHaveLength(3);
    expect(stack.map((id) => last?.steps[id])).toEqual([{ data: 1 }, { data: 2 }, { data: 3 }]);
  });

  it("runs Promise.all steps once each and resumes with all their results", async () => {
    await inngest.send({ name: "steps/parallel", data: {} });
    const [run] = await finishedRuns("steps-parallel");
    expect(run?.output).toBe("xyz");
    expect(run?.disableImmediate).toBe(true);
    expect(["x", "y", "z", "after"].map((k) => count(`par:${k}`))).toEqual([1, 1, 1, 1]);
  });

  it("persists step.sleep and step.sleepUntil as timers and resumes after them", async () => {
    const until = Date.now() + 1500;
    const sent = await inngest.send({ name: "steps/sleep", data: { until } });
    const run = await waitFor("the sleep timer", async () => {
      const [found] = await db.runnerRun.findMany({ where: { functionId: "steps-sleeper", eventId: sent.ids[0] } });
      if (!found) return undefined;
      const timer = await db.runnerJob.findFirst({ where: { runId: found.id, kind: "sleep" } });
      return timer ? { found, timer } : undefined;
    });
    const before = (await db.runnerStep.findFirst({ where: { runId: run.found.id, name: "before" } }))?.data as number;
    expect(run.timer.dueAt.getTime()).toBeGreaterThanOrEqual(before + 1000);
    const [done] = await finishedRuns("steps-sleeper");
    const output = done?.output as { before: number; after: number };
    expect(output.after).toBeGreaterThanOrEqual(until);
    expect(output.after - output.before).toBeGreaterThanOrEqual(1000);
  });

  it("delivers step.sendEvent events, which trigger other functions", async () => {
    const sent = await inngest.send({ name: "steps/send", data: {} });
    const [run] = await finishedRuns("steps-sender");
    expect(run?.output).toHaveLength(1);
    const [received] = await finishedRuns("steps-receiver");
    expect(received?.output).toBe(sent.ids[0]);
  });

  it("resolves step.waitForEvent with the first later event that matches, ignoring others", async () => {
    await inngest.send({ name: "steps/wait", data: { orderId: "o-1" } });
    await waitFor("the waiter", async () => (await db.runnerWaiter.count({ where: { eventName: "steps/ack" } })) > 0);
    await inngest.send({ name: "steps/ack", data: { orderId: "o-2", note: "other order" } });
    await inngest.send({ name: "steps/ack", data: { orderId: "o-1", note: "ours" } });
    const [run] = await finishedRuns("steps-waiter");
    expect(run?.output).toEqual({ orderId: "o-1", note: "ours" });
  });

  it("resolves step.waitForEvent with null when its timeout passes", async () => {
    await inngest.send({ name: "steps/wait-short", data: {} });
    const [run] = await finishedRuns("steps-short-waiter");
    expect(run?.output).toEqual({ timedOut: true });
    expect(await db.runnerWaiter.count({ where: { runId: run?.id } })).toBe(0);
  });

  it("step.invoke returns the child's result, throws its failure, and fails for an unknown function id", async () => {
    await inngest.send({ name: "steps/invoke", data: {} });
    const [run] = await finishedRuns("steps-invoker", 1, 30_000);
    const output = run?.output as { sum: number; childError: string; missing: string };
    expect(output.sum).toBe(6);
    expect(output.childError).toContain("child exploded");
    expect(output.missing).toMatch(/not registered/);
    const children = await db.runnerRun.findMany({ where: { parentRunId: run?.id } });
    expect(children.map((c) => [c.functionId, c.status]).sort()).toEqual([
      ["steps-add", "completed"],
      ["steps-explode", "failed"],
    ]);
  });

  it("fires cron triggers with a time zone, one run per tick, with the scheduled.timer event", async () => {
    const cron = await db.runnerCron.findFirst({ where: { functionId: "steps-ticker" } });
    expect(cron?.expression).toBe("TZ=Europe/Paris * * * * * *");
    const runs = await finishedRuns("steps-ticker", 2, 10_000);
    expect(runs[0]?.output).toEqual({ name: "inngest/scheduled.timer", cron: "TZ=Europe/Paris * * * * * *" });
    expect(new Set(runs.map((x) => x.dedupeKey)).size).toBe(runs.length);
  });
});

describe("retries and errors", () => {
  let errorFns: Parameters<typeof startApp>[1] = [];
  let r: RunningRunner;
  let app: TestApp;
  let inngest: Inngest;

  beforeAll(async () => {
    r = await runner({ backoffMs: [50, 100, 150], jitterMs: 5 });
    inngest = devClient("errors", r.url);
    const flaky = inngest.createFunction({ id: "flaky", triggers: [{ event: "errors/flaky" }] }, async ({ step }) => {
      const first = await step.run("first", () => (bump("flaky:first"), "ok"));
      const second = await step.run("second", () => {
        bump("flaky:second");
        if (count("flaky:second") < 3) throw new Error(`transient #${count("flaky:second")}`);
        return "recovered";
      });
      return { first, second };
    });
    const doomed = inngest.createFunction({ id: "doomed", triggers: [{ event: "errors/doomed" }] }, async ({ step }) => {
      try {
        await step.run("always-fails", () => {
          bump("doomed");
          throw new Error("still broken");
        });
      } catch (error) {
        return { caught: (error as Error).message };
      }
      return { caught: null };
    });
    const crashing = inngest.createFunction(
      {
        id: "crashing",
        retries: 1,
        triggers: [{ event: "errors/crash" }],
        onFailure: async ({ event, error }) => {
          bump("crashing:onFailure");
          return { original: event.data.event.data, error: error.message };
        },
      },
      async () => {
        bump("crashing");
        throw new Error("function-level failure");
      },
    );
    const fatal = inngest.createFunction({ id: "fatal", triggers: [{ event: "errors/fatal" }] }, async ({ step }) => {
      await step.run("fatal-step", () => {
        bump("fatal");
        throw new NonRetriableError("do not retry me");
      });
    });
    const later = inngest.createFunction({ id: "later", retries: 2, triggers: [{ event: "errors/later" }] }, async ({ attempt }) => {
      bump("later");
      if (attempt === 0) throw new RetryAfterError("come back later", "1s");
      return { attempt };
    });
    errorFns = [flaky, doomed, crashing, fatal, later];
    app = await startApp(inngest, errorFns);
    expect((await r.sync(app.url)).status).toBe(200);
  });
  afterAll(async () => {
    await r.close();
    await app.close();
  });

  it("retries a failing step with backoff until it succeeds, without re-running earlier steps", async () => {
    await inngest.send({ name: "errors/flaky", data: {} });
    const [run] = await finishedRuns("errors-flaky");
    expect(run?.output).toEqual({ first: "ok", second: "recovered" });
    expect(count("flaky:first")).toBe(1);
    expect(count("flaky:second")).toBe(3);
    const attempts = await db.runnerAttempt.findMany({ where: { runId: run?.id }, orderBy: { at: "asc" } });
    expect(attempts.filter((a) => a.target !== "step").map((a) => a.attempt)).toEqual([1, 2]);
  });

  it("gives a step Inngest's default of 4 attempts, then memoizes the error for user code to catch", async () => {
    await inngest.send({ name: "errors/doomed", data: {} });
    const [run] = await finishedRuns("errors-doomed");
    expect(count("doomed")).toBe(4);
    expect(run?.status).toBe("completed");
    expect(run?.output).toEqual({ caught: "still broken" });
    const [step] = (await stepsOf(run?.id ?? "")).filter((s) => s.name === "always-fails");
    expect(step?.status).toBe("failed");
    expect((step?.error as { message: string }).message).toBe("still broken");
  });

  it("retries a function-level error per `retries`, then fails the run and runs onFailure with the original event", async () => {
    await inngest.send({ name: "errors/crash", data: { orderId: "c-1" } });
    const [run] = await finishedRuns("errors-crashing");
    expect(run?.status).toBe("failed");
    expect((run?.error as { message: string }).message).toBe("function-level failure");
    expect(count("crashing")).toBe(2);
    const [failure] = await finishedRuns("errors-crashing-failure");
    expect(failure?.output).toEqual({ original: { orderId: "c-1" }, error: "function-level failure" });
    expect(count("crashing:onFailure")).toBe(1);
  });

  it("fails at once on NonRetriableError", async () => {
    await inngest.send({ name: "errors/fatal", data: {} });
    const [run] = await finishedRuns("errors-fatal");
    expect(run?.status).toBe("failed");
    expect(count("fatal")).toBe(1);
    expect(JSON.stringify(run?.error)).toContain("do not retry me");
  });

  it("waits out RetryAfterError's delay before the next attempt", async () => {
    await inngest.send({ name: "errors/later", data: {} });
    const [run] = await finishedRuns("errors-later");
    expect(run?.output).toEqual({ attempt: 1 });
    const attempts = await db.runnerAttempt.findMany({ where: { runId: run?.id }, orderBy: { at: "asc" } });
    expect(attempts).toHaveLength(2);
    expect((attempts[1]?.at.getTime() ?? 0) - (attempts[0]?.at.getTime() ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it("backs off while the app is down instead of spinning, and finishes the run once it is back", async () => {
    const port = app.port;
    await app.close();
    await inngest.send({ name: "errors/fatal", data: { whileDown: true } });
    await sleep(800);
    const pending = await db.runnerRun.findMany({ where: { functionId: "errors-fatal", status: { in: ["queued", "running"] } } });
    expect(pending).toHaveLength(1);
    const unreachable = await db.runnerAttempt.findMany({ where: { runId: pending[0]?.id, outcome: "unreachable" }, orderBy: { at: "asc" } });
    // Backoff 50, 100, 150, 150 ms: a handful of tries in 800 ms, where a spin would make hundreds.
    expect(unreachable.length).toBeGreaterThanOrEqual(2);
    expect(unreachable.length).toBeLessThanOrEqual(8);
    app = await startApp(inngest, errorFns, { port });
    const [run] = await finishedRuns("errors-fatal", 2);
    expect(run?.status).toBe("failed");
    const all = await runsOf("errors-fatal");
    expect(all.every((x) => x.status === "failed")).toBe(true);
  });
});

describe("flow control", () => {
  let r: RunningRunner;
  let app: TestApp;
  let inngest: Inngest;
  let active = 0;
  let maxActive = 0;

  beforeAll(async () => {
    r = await runner({ limits: { maxSteps: 3, maxRunStateBytes: 1024 * 1024 } });
    inngest = devClient("flow", r.url);
    const limited = inngest.createFunction(
      { id: "limited", triggers: [{ event: "flow/limited" }], concurrency: { limit: 1, key: "event.data.seller" } },
      async ({ step, event }) => {
        for (const i of [1, 2]) {
          await step.run(`work-${i}`, async () => {
            active++;
            maxActive = Math.max(maxActive, active);
            await sleep(60);
            active--;
            return `${event.data.seller}-${i}`;
          });
        }
        return "done";
      },
    );
    const skipper = inngest.createFunction(
      { id: "skipper", triggers: [{ event: "flow/skip" }], singleton: { key: "event.data.seller", mode: "skip" } },
      async ({ step, event }) => {
        await step.sleep("hold", "1s");
        return event.data.n;
      },
    );
    const replacer = inngest.createFunction(
      { id: "replacer", triggers: [{ event: "flow/replace" }], singleton: { key: "event.data.seller", mode: "cancel" } },
      async ({ step, event }) => {
        await step.sleep("hold", "1s");
        return event.data.n;
      },
    );
    const cancellable = inngest.createFunction(
      { id: "cancellable", triggers: [{ event: "flow/long" }], cancelOn: [{ event: "flow/stop", match: "data.job" }] },
      async ({ step }) => {
        await step.sleep("long", "30s");
        bump("cancellable:after-sleep");
        return "finished";
      },
    );
    const once = inngest.createFunction(
      { id: "once", triggers: [{ event: "flow/once" }], idempotency: "event.data.orderId" },
      async ({ event }) => event.data.orderId,
    );
    const slow = inngest.createFunction(
      { id: "slow", triggers: [{ event: "flow/slow" }], timeouts: { finish: "1s" } },
      async ({ step }) => {
        await step.sleep("too-long", "5s");
        return "never";
      },
    );
    const blocker = inngest.createFunction(
      { id: "blocker", triggers: [{ event: "flow/blocker" }], concurrency: { limit: 1, key: "event.data.lane", scope: "env" } },
      async ({ step }) => step.run("hold-the-lane", () => sleep(2000).then(() => "held")),
    );
    const impatient = inngest.createFunction(
      {
        id: "impatient",
        triggers: [{ event: "flow/impatient" }],
        concurrency: { limit: 1, key: "event.data.lane", scope: "env" },
        timeouts: { start: "1s" },
      },
      async () => "started",
    );
    const many = inngest.createFunction({ id: "many", triggers: [{ event: "flow/many" }] }, async ({ step }) => {
      for (const i of [1, 2, 3, 4, 5]) await step.run(`s${i}`, () => i);
      return "all";
    });
    const heavy = inngest.createFunction({ id: "heavy", triggers: [{ event: "flow/heavy" }] }, async ({ step }) => {
      await step.run("half-1", () => "y".repeat(600 * 1024));
      await step.run("half-2", () => "z".repeat(600 * 1024));
      return "too much state";
    });
    const big = inngest.createFunction({ id: "big", triggers: [{ event: "flow/big" }] }, async ({ step }) => {
      await step.run("huge", () => "x".repeat(4 * 1024 * 1024 + 10));
      return "stored";
    });
    app = await startApp(inngest, [limited, skipper, replacer, cancellable, once, slow, blocker, impatient, many, heavy, big]);
    expect((await r.sync(app.url)).status).toBe(200);
  });
  afterAll(async () => {
    await r.close();
    await app.close();
  });

  it("never executes two steps with the same concurrency key at once", async () => {
    await inngest.send([
      { name: "flow/limited", data: { seller: "s1" } },
      { name: "flow/limited", data: { seller: "s1" } },
      { name: "flow/limited", data: { seller: "s1" } },
    ]);
    const runs = await finishedRuns("flow-limited", 3);
    expect(runs.every((x) => x.status === "completed")).toBe(true);
    expect(maxActive).toBe(1);
  });

  it("singleton skip: a second run for the same key is skipped while the first runs; other keys run", async () => {
    await inngest.send({ name: "flow/skip", data: { seller: "a", n: 1 } });
    await waitFor("the first singleton run", async () => (await runsOf("flow-skipper")).length === 1);
    await inngest.send([
      { name: "flow/skip", data: { seller: "a", n: 2 } },
      { name: "flow/skip", data: { seller: "b", n: 3 } },
    ]);
    const runs = await finishedRuns("flow-skipper", 3);
    const byN = Object.fromEntries(runs.map((x) => [(x.event as { data: { n: number } }).data.n, x.status]));
    expect(byN).toEqual({ 1: "completed", 2: "skipped", 3: "completed" });
  });

  it("singleton cancel: a new run for the same key cancels the running one", async () => {
    await inngest.send({ name: "flow/replace", data: { seller: "a", n: 1 } });
    await waitFor("the first run to sleep", async () => {
      const [run] = await runsOf("flow-replacer");
      return run && (await db.runnerJob.count({ where: { runId: run.id, kind: "sleep" } })) > 0;
    });
    await inngest.send({ name: "flow/replace", data: { seller: "a", n: 2 } });
    const runs = await finishedRuns("flow-replacer", 2);
    expect(runs.map((x) => [(x.event as { data: { n: number } }).data.n, x.status])).toEqual([
      [1, "cancelled"],
      [2, "completed"],
    ]);
  });

  it("cancelOn cancels a matching run, clears its timers, and ignores events that do not match", async () => {
    await inngest.send([
      { name: "flow/long", data: { job: "j1" } },
      { name: "flow/long", data: { job: "j2" } },
    ]);
    await waitFor("both runs sleeping", async () => (await db.runnerStep.count({ where: { name: "long", status: "sleeping" } })) === 2);
    await inngest.send({ name: "flow/stop", data: { job: "j1" } });
    const [cancelled] = await finishedRuns("flow-cancellable", 1);
    expect((cancelled?.event as { data: { job: string } }).data.job).toBe("j1");
    expect(cancelled?.status).toBe("cancelled");
    expect(await db.runnerJob.count({ where: { runId: cancelled?.id } })).toBe(0);
    const stillRunning = await db.runnerRun.findMany({ where: { functionId: "flow-cancellable", status: "running" } });
    expect(stillRunning.map((x) => (x.event as { data: { job: string } }).data.job)).toEqual(["j2"]);
    expect(count("cancellable:after-sleep")).toBe(0);
    await inngest.send({ name: "flow/stop", data: { job: "j2" } });
    await finishedRuns("flow-cancellable", 2);
  });

  it("an idempotency key starts one run per key", async () => {
    await inngest.send([
      { name: "flow/once", data: { orderId: "o-9" } },
      { name: "flow/once", data: { orderId: "o-9" } },
      { name: "flow/once", data: { orderId: "o-10" } },
    ]);
    await finishedRuns("flow-once", 2);
    await sleep(300);
    const runs = await runsOf("flow-once");
    expect(runs.map((x) => x.output).sort()).toEqual(["o-10", "o-9"]);
  });

  it("timeouts.finish cancels a run that takes too long", async () => {
    await inngest.send({ name: "flow/slow", data: {} });
    const [run] = await finishedRuns("flow-slow");
    expect(run?.status).toBe("cancelled");
    expect((run?.error as { name: string }).name).toBe("FunctionTimeout");
  });

  it("timeouts.start cancels a run still waiting for a concurrency slot", async () => {
    await inngest.send({ name: "flow/blocker", data: { lane: "L" } });
    await waitFor("the blocker to hold the lane", async () => (await db.runnerRun.count({ where: { functionId: "flow-blocker", status: "running" } })) === 1);
    await inngest.send({ name: "flow/impatient", data: { lane: "L" } });
    const [run] = await finishedRuns("flow-impatient");
    expect(run?.status).toBe("cancelled");
    expect((run?.error as { message: string }).message).toContain("timeouts.start");
    const [blocker] = await finishedRuns("flow-blocker");
    expect(blocker?.output).toBe("held");
  });

  it("fails a run that goes past the step limit", async () => {
    await inngest.send({ name: "flow/many", data: {} });
    const [run] = await finishedRuns("flow-many");
    expect(run?.status).toBe("failed");
    expect((run?.error as { name: string }).name).toBe("StepLimitExceeded");
    expect(await db.runnerStep.count({ where: { runId: run?.id, status: "completed" } })).toBe(3);
  });

  it("fails a run whose state (event and step outputs) grows past the run-state limit", async () => {
    await inngest.send({ name: "flow/heavy", data: {} });
    const [run] = await finishedRuns("flow-heavy");
    expect(run?.status).toBe("failed");
    expect((run?.error as { name: string }).name).toBe("StateTooLarge");
  });

  it("fails a run whose step returns more than Inngest's 4 MB", async () => {
    await inngest.send({ name: "flow/big", data: {} });
    const [run] = await finishedRuns("flow-big");
    expect(run?.status).toBe("failed");
    expect((run?.error as { name: string; message: string }).name).toBe("OutputTooLarge");
  });
});

describe("cloud mode (signing)", () => {
  const cloudLogs: string[] = [];
  const signingKey = "signkey-test-8ee2262a15e8d3c42d6a840db7af3de2aab08ef632b32a37a687f24b34dba3ff";
  let r: RunningRunner;
  let app: TestApp;
  let inngest: Inngest;

  beforeAll(async () => {
    r = await runner({ signingKey, eventKey: "cloud-event-key", log: (line) => cloudLogs.push(line) });
    inngest = new Inngest({ id: "cloud", isDev: false, baseUrl: r.url, signingKey, eventKey: "cloud-event-key", logger: quietLogger });
    const signed = inngest.createFunction({ id: "signed", triggers: [{ event: "cloud/go" }] }, async ({ step, event }) => {
      const a = await step.run("a", () => ({ b: 1, a: 2, nested: { z: 1, y: [3, 2] } }));
      return { a, sellers: event.data.sellers };
    });
    app = await startApp(inngest, [signed], { signingKey });
    expect((await r.sync(app.url)).status).toBe(200);
  });
  afterAll(async () => {
    await r.close();
    await app.close();
  });

  it("signs every call so the SDK, verifying signatures, runs the function", async () => {
    await inngest.send({ name: "cloud/go", data: { sellers: { zeta: 1, alpha: 2 } } });
    const [run] = await finishedRuns("cloud-signed");
    expect(run?.status).toBe("completed");
    expect(run?.output).toEqual({ a: { b: 1, a: 2, nested: { z: 1, y: [3, 2] } }, sellers: { zeta: 1, alpha: 2 } });
    // The SDK signed each answer and the runner verified it.
    expect(await db.runnerAttempt.count({ where: { runId: run?.id } })).toBeGreaterThanOrEqual(2);
    expect(cloudLogs.filter((line) => line.includes("x-inngest-signature"))).toEqual([]);
  });

  it("the serve endpoint refuses an unsigned call", async () => {
    const res = await fetch(`${app.url}?fnId=cloud-signed&stepId=step`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ event: { name: "cloud/go", data: {} }, steps: {}, ctx: { run_id: "x", attempt: 0 } }),
    });
    expect(res.status).toBe(401);
  });

  it("refuses events sent with another event key", async () => {
    const res = await fetch(`${r.url}/e/wrong-key`, { method: "POST", body: JSON.stringify({ name: "cloud/go", data: {} }) });
    expect(res.status).toBe(401);
  });

  it("refuses a register whose bearer was made from another signing key", async () => {
    const res = await fetch(`${r.url}/fn/register`, {
      method: "POST",
      headers: { authorization: "Bearer signkey-test-0000", "content-type": "application/json" },
      body: JSON.stringify({ url: "http://127.0.0.1:1/api/inngest", appName: "intruder", functions: [] }),
    });
    expect(res.status).toBe(401);
  });
});

describe("restarts", () => {
  let app: TestApp | undefined;

  afterAll(async () => {
    await app?.close();
  });

  it("resumes every run after a restart mid-sleep and mid-backoff, running each completed step exactly once", async () => {
    const first = await runner({ backoffMs: [1500], jitterMs: 0 });
    const port = first.port;
    const inngest = devClient("restart", first.url);
    const sleepy = inngest.createFunction({ id: "sleepy", triggers: [{ event: "restart/sleepy" }] }, async ({ step }) => {
      await step.run("a", () => bump("sleepy:a"));
      await step.run("b", () => bump("sleepy:b"));
      await step.sleep("nap", "1500ms");
      await step.run("c", () => bump("sleepy:c"));
      return "slept";
    });
    const retrying = inngest.createFunction({ id: "retrying", triggers: [{ event: "restart/retrying" }] }, async ({ step }) => {
      await step.run("setup", () => bump("retrying:setup"));
      await step.run("flaky", () => {
        bump("retrying:flaky");
        if (count("retrying:flaky") === 1) throw new Error("first try fails");
        return "second try works";
      });
      return "retried";
    });
    app = await startApp(inngest, [sleepy, retrying]);
    expect((await first.sync(app.url)).status).toBe(200);
    await inngest.send([
      { name: "restart/sleepy", data: {} },
      { name: "restart/retrying", data: {} },
    ]);
    await waitFor("a run sleeping and a run backing off", async () => {
      const sleeping = await db.runnerStep.count({ where: { name: "nap", status: "sleeping" } });
      const retryingStep = await db.runnerStep.count({ where: { name: "flaky", status: "retrying" } });
      return sleeping === 1 && retryingStep === 1;
    });
    const [sleepyRun] = await runsOf("restart-sleepy");
    const timerBefore = await db.runnerJob.findFirst({ where: { kind: "sleep", runId: sleepyRun?.id } });
    expect(timerBefore).not.toBeNull();
    await first.close();

    const second = await runner({ port, backoffMs: [1500], jitterMs: 0 });
    try {
      // The timer survived the restart unchanged (neither lost nor shortened).
      expect(await db.runnerJob.findFirst({ where: { kind: "sleep", runId: sleepyRun?.id } })).toEqual(timerBefore);
      const [s] = await finishedRuns("restart-sleepy");
      const [t] = await finishedRuns("restart-retrying");
      expect([s?.status, t?.status]).toEqual(["completed", "completed"]);
      expect(["sleepy:a", "sleepy:b", "sleepy:c", "retrying:setup"].map(count)).toEqual([1, 1, 1, 1]);
      expect(count("retrying:flaky")).toBe(2);
      const c = (await stepsOf(s?.id ?? "")).find((x) => x.name === "c");
      expect(c?.endedAt?.getTime()).toBeGreaterThanOrEqual(timerBefore?.dueAt.getTime() ?? Infinity);
    } finally {
      await second.close();
    }
  });

  it("resumes a run whose step was cut off by a stop: earlier steps run once, the cut step runs again", async () => {
    const first = await runner();
    const port = first.port;
    const inngest = devClient("cutoff", first.url);
    let slowStarted = false;
    const cut = inngest.createFunction({ id: "cut", triggers: [{ event: "cutoff/go" }] }, async ({ step }) => {
      await step.run("before", () => bump("cut:before"));
      const slow = await step.run("slow", async () => {
        bump("cut:slow");
        slowStarted = true;
        await sleep(500);
        return "slow done";
      });
      await step.run("after", () => bump("cut:after"));
      return slow;
    });
    const cutApp = await startApp(inngest, [cut]);
    try {
      expect((await first.sync(cutApp.url)).status).toBe(200);
      await inngest.send({ name: "cutoff/go", data: {} });
      await waitFor("the slow step to start", async () => slowStarted);
      await first.close();
      const second = await runner({ port });
      try {
        const [run] = await finishedRuns("cutoff-cut");
        expect(run?.output).toBe("slow done");
        expect([count("cut:before"), count("cut:after")]).toEqual([1, 1]);
        expect(count("cut:slow")).toBe(2);
      } finally {
        await second.close();
      }
    } finally {
      await cutApp.close();
    }
  });

  it("prunes finished runs and events past the retention window, keeping unfinished runs and their events", async () => {
    const old = Date.now() - 10 * 86_400_000;
    const seedRun = async (status: string) => {
      const id = ulid(old);
      const eventId = `old-${id}`;
      await db.runnerEvent.create({ data: { id: eventId, name: "old/event", payload: { name: "old/event", data: {} }, ts: BigInt(old), receivedAt: new Date(old) } });
      await db.runnerRun.create({
        data: {
          id,
          functionId: "old-fn",
          status,
          eventId,
          event: { name: "old/event", data: {} },
          triggerKind: "event",
          dedupeKey: id,
          createdAt: new Date(old),
          endedAt: status === "completed" ? new Date(old) : null,
        },
      });
      await db.runnerStep.create({ data: { runId: id, id: "h", name: "s", op: "StepRun", status: "completed", seq: 1, data: 1 } });
      return { id, eventId };
    };
    const first = await runner({ retentionDays: 0 });
    const finished = await seedRun("completed");
    const unfinished = await seedRun("running");
    await first.close();
    const second = await runner({ retentionDays: 7 });
    try {
      await waitFor("the prune", async () => (await db.runnerRun.count({ where: { id: finished.id } })) === 0);
      expect(await db.runnerStep.count({ where: { runId: finished.id } })).toBe(0);
      expect(await db.runnerEvent.count({ where: { id: finished.eventId } })).toBe(0);
      expect(await db.runnerRun.count({ where: { id: unfinished.id } })).toBe(1);
      expect(await db.runnerEvent.count({ where: { id: unfinished.eventId } })).toBe(1);
      await db.runnerRun.update({ where: { id: unfinished.id }, data: { status: "cancelled", endedAt: new Date() } });
    } finally {
      await second.close();
    }
  });

  it("lets only one runner work a database at a time", async () => {
    const first = await runner();
    try {
      await expect(startRunner({ databaseUrl: databaseUrl(), port: 0, log: () => undefined })).rejects.toBeInstanceOf(RunnerBusyError);
    } finally {
      await first.close();
    }
    const next = await runner();
    await next.close();
  });

  it("starts once the lease of a runner that died without stopping lapses", async () => {
    // What a killed runner leaves behind: a lease nobody renews.
    await db.$executeRaw`INSERT INTO runner_lease (id, holder, expires_at) VALUES (1, 'killed-runner', ${new Date(Date.now() + 2_000)})
      ON CONFLICT (id) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at`;
    const started = Date.now();
    const next = await runner();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
    const [lease] = await db.$queryRaw<{ holder: string }[]>`SELECT holder FROM runner_lease WHERE id = 1`;
    expect(lease?.holder).not.toBe("killed-runner");
    await next.close();
  });
});

describe("product functions", () => {
  let r: RunningRunner;
  let app: TestApp;

  beforeAll(async () => {
    r = await runner();
    // The product client finds the runner only through the SDK's own variables, as in `npm run dev`.
    process.env.INNGEST_DEV = r.url;
    const { inngest } = await import("@/inngest/client");
    const { functions } = await import("@/inngest/functions");
    app = await startApp(inngest, functions);
    expect((await r.sync(app.url)).status).toBe(200);
  });
  afterAll(async () => {
    delete process.env.INNGEST_DEV;
    await r.close();
    await app.close();
  });

  it("on-amazon-connected requests a historical sync for the seller", async () => {
    const { inngest, amazonConnected } = await import("@/inngest/client");
    await inngest.send(amazonConnected.create({ sellerConnectionId: "sc-42", userId: "u-1" }));
    const [run] = await finishedRuns("fba-recovery-on-amazon-connected");
    expect(run?.status).toBe("completed");
    const requested = await db.runnerEvent.findMany({ where: { name: "sync/requested" } });
    // The request also names the sync run it will be and its trigger (inngest/functions/on-amazon-connected.ts).
    expect(requested.map((e) => (e.payload as { data: unknown }).data)).toContainEqual(
      expect.objectContaining({ sellerConnectionId: "sc-42", kind: "historical", trigger: "connect", syncRunId: expect.any(String) }),
    );
  });
});

describe("command line", () => {
  it("starts from npm run runner's flags and env, syncs the app once it is up, runs its functions, and stops on SIGTERM", async () => {
    const { spawn } = await import("node:child_process");
    // The app's port is chosen first; the app itself starts only after the runner, as under npm run dev.
    const probe = await startApp(devClient("probe", "http://127.0.0.1:1"), []);
    const appPort = probe.port;
    await probe.close();
    const child = spawn(process.execPath, ["--import", "tsx", "runner/cli.ts", "--port", "0"], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl(),
        RUNNER_APP_URL: `http://127.0.0.1:${appPort}/api/inngest`,
        RUNNER_BACKOFF_MS: "50",
        RUNNER_JITTER_MS: "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let cliApp: TestApp | undefined;
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    try {
      const url = await waitFor("the CLI to listen", async () => /listening on (http:\/\/[\d.:]+)/.exec(output)?.[1]);
      await waitFor("a failed sync while the app is down", async () => output.includes("not reachable yet"));
      const client = devClient("cli", url);
      let received: unknown;
      const echo = client.createFunction({ id: "echo", triggers: [{ event: "cli/echo" }] }, async ({ event, step }) => {
        received = await step.run("receive", () => event.data);
        return received;
      });
      cliApp = await startApp(client, [echo], { port: appPort });
      await waitFor("the CLI to sync the app", async () => output.includes("synced cli"));
      await client.send({ name: "cli/echo", data: { via: "cli" } });
      // Another process owns the database connection here, so the test reads the runner's log.
      await waitFor("the CLI's run to complete", async () => /run \w+ completed: cli-echo/.test(output));
      expect(received).toEqual({ via: "cli" });
    } finally {
      child.kill("SIGTERM");
      const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
      await cliApp?.close();
      expect(code).toBe(0);
    }
    expect(output).toContain("stopped");
  });
});
