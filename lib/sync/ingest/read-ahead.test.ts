import { describe, expect, it } from "vitest";
import { readAhead } from "./read-ahead";

function source(n: number, log: string[], failAt?: number) {
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for (let i = 0; i < n; i++) {
          await Promise.resolve();
          if (i === failAt) throw new Error(`failed at ${i}`);
          log.push(`produced ${i}`);
          yield i;
        }
      } finally {
        log.push("closed");
      }
    },
  };
}

describe("readAhead", () => {
  it("yields every item in order, producing the next while the consumer works on the current", async () => {
    const log: string[] = [];
    const seen: number[] = [];
    for await (const item of readAhead(source(3, log))) {
      await new Promise((resolve) => setTimeout(resolve, 5)); // the consumer's await (a write)
      log.push(`consumed ${item}`);
      seen.push(item);
    }
    expect(seen).toEqual([0, 1, 2]);
    expect(log).toEqual(["produced 0", "produced 1", "consumed 0", "produced 2", "consumed 1", "closed", "consumed 2"]);
  });

  it("closes the source when the consumer stops early", async () => {
    const log: string[] = [];
    for await (const item of readAhead(source(10, log))) if (item === 1) break;
    expect(log.at(-1)).toBe("closed");
    expect(log.filter((l) => l.startsWith("produced"))).toEqual(["produced 0", "produced 1", "produced 2"]);
  });

  it("passes the source's error on, after the items before it", async () => {
    const log: string[] = [];
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const item of readAhead(source(5, log, 2))) seen.push(item);
      })(),
    ).rejects.toThrow("failed at 2");
    expect(seen).toEqual([0, 1]);
    expect(log.at(-1)).toBe("closed");
  });
});
