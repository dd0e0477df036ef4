// Conformance: real functions served by the inngest SDK's serve() over real HTTP, driven by the
// runner against the test PostgreSQL. One file, because only one runner may work a database at a
// time; each describe starts its own runner and app.
import { Inngest, NonRetriableError, RetryAfterError, referenceFunction } from "inngest";
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

  beforeAll(async () => {
    r = await runner();
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
      expect(await db.runnerFunction.count({ where: { id: "refused-limited" } })).toBe(0);
    } finally {
      await refusedApp.close();
    }
  });
});

describe("steps", () => {
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
      const values = event.data.values as number[];
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
    app = await startApp(inngest, [memo, parallel, sleeper, sender, receiver, waiter, shortWaiter, add, explode, invoker, ticker]);
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
