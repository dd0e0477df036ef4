import { afterAll, beforeAll, expect, it } from "vitest";
import { devClient, finishedRuns, runner, startApp, stepsOf, type TestApp } from "./test/harness";
import type { RunningRunner } from "./index";

let r: RunningRunner;
let app: TestApp;
const counts: Record<string, number> = {};
const bump = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);

beforeAll(async () => {
  r = await runner({ log: (l) => console.log(l) });
  const inngest = devClient("smoke", r.url);
  const fn = inngest.createFunction({ id: "chain", triggers: [{ event: "smoke/go" }] }, async ({ step, event }) => {
    const a = await step.run("a", () => { bump("a"); return 1; });
    const b = await step.run("b", () => { bump("b"); return a + 1; });
    await step.sleep("nap", "1s");
    const [c, d] = await Promise.all([step.run("c", () => b + 1), step.run("d", () => b + 2)]);
    return { a, b, c, d, n: (event.data as { n: number }).n };
  });
  app = await startApp(inngest, [fn]);
  const s = await r.sync(app.url);
  expect(s.status).toBe(200);
});
afterAll(async () => { await r?.close(); await app?.close(); });

it("runs a chain", async () => {
  await app.client.send({ name: "smoke/go", data: { n: 7 } });
  const [run] = await finishedRuns("smoke-chain");
  console.log(run, await stepsOf(run!.id));
  expect(run!.output).toEqual({ a: 1, b: 2, c: 3, d: 4, n: 7 });
});
