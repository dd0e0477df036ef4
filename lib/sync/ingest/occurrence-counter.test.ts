import { describe, expect, it } from "vitest";
import { hashKey, OccurrenceCounter } from "./occurrence-counter";

const next = (c: OccurrenceCounter, key: string) => {
  const { hi, lo } = hashKey(key);
  return c.next(hi, lo);
};
const undo = (c: OccurrenceCounter, key: string) => {
  const { hi, lo } = hashKey(key);
  c.undo(hi, lo);
};
const count = (c: OccurrenceCounter, key: string) => {
  const { hi, lo } = hashKey(key);
  return c.count(hi, lo);
};

/** Keys shaped like the ledger's: mostly shared prefixes, a few varying digits. */
const ledgerKey = (i: number) => `10:2026-05-${(i % 28) + 1}|10:X00FN${i % 5000}|9:Shipments|9:REF-${i}|4:PHX7|8:SELLABLE|0:|1:${i % 7}|`;

describe("occurrence counter", () => {
  it("numbers each key's sightings from 1, independently of other keys", () => {
    const c = new OccurrenceCounter();
    expect([next(c, "a"), next(c, "b"), next(c, "a"), next(c, "a"), next(c, "b"), next(c, "c")]).toEqual([1, 1, 2, 3, 2, 1]);
    expect([count(c, "a"), count(c, "b"), count(c, "c"), count(c, "d")]).toEqual([3, 2, 1, 0]);
    expect(c.size).toBe(3);
  });

  it("agrees with a Map of full keys through many growths of the tables", () => {
    const c = new OccurrenceCounter(16);
    const reference = new Map<string, number>();
    let wrong = 0;
    for (let i = 0; i < 200_000; i++) {
      // A third of the sightings repeat an earlier key.
      const key = ledgerKey(i % 3 === 0 ? Math.floor(i / 7) : i);
      const n = (reference.get(key) ?? 0) + 1;
      reference.set(key, n);
      if (next(c, key) !== n) wrong++;
    }
    expect(wrong).toBe(0);
    expect(c.size).toBe(reference.size);
    for (const [key, n] of reference) if (count(c, key) !== n) wrong++;
    expect(wrong).toBe(0);
  });

  it("takes sightings back, down to none, without losing keys stored after them", () => {
    const c = new OccurrenceCounter(16);
    for (let i = 0; i < 1000; i++) next(c, `k${i}`);
    next(c, "k5");
    undo(c, "k5");
    undo(c, "k5");
    undo(c, "k5"); // below zero: stays at zero
    undo(c, "never seen");
    expect(count(c, "k5")).toBe(0);
    // Every other key is still found: a key counted back to zero keeps its slot (probe chains stay whole).
    for (let i = 0; i < 1000; i++) if (i !== 5) expect(count(c, `k${i}`)).toBe(1);
    expect(next(c, "k5")).toBe(1);
    expect(count(c, "never seen")).toBe(0);
  });

  it("holds a million distinct keys in 8 bytes a slot, tables between half and three quarters full (no key strings kept)", () => {
    const c = new OccurrenceCounter();
    for (let i = 0; i < 1_000_000; i++) next(c, ledgerKey(i));
    expect(c.size).toBe(1_000_000);
    const repeatsTable = (1 << 10) * 12; // untouched: no key was seen twice
    expect(c.bytes - repeatsTable).toBeGreaterThanOrEqual((1_000_000 * 8) / 0.75);
    expect(c.bytes - repeatsTable).toBeLessThanOrEqual((1_000_000 * 8) / 0.5);
  });

  it("counts keys whose hash is the empty-slot marker like any other", () => {
    const c = new OccurrenceCounter();
    expect([c.next(0, 0), c.next(0, 0), c.count(0, 0)]).toEqual([1, 2, 2]);
  });
});

describe("key hash", () => {
  it("is deterministic and sensitive to every character", () => {
    expect(hashKey(ledgerKey(42))).toEqual(hashKey(ledgerKey(42)));
    expect(hashKey("ab")).not.toEqual(hashKey("ba"));
    expect(hashKey("a")).not.toEqual(hashKey("a\u0000"));
    expect(hashKey("")).not.toEqual(hashKey("\u0000"));
  });

  it("gives half a million similar keys distinct 64-bit hashes, each 32-bit half colliding only as often as chance says", () => {
    const n = 500_000;
    const full = new Set<string>();
    const his = new Set<number>();
    const los = new Set<number>();
    for (let i = 0; i < n; i++) {
      const { hi, lo } = hashKey(ledgerKey(i));
      full.add(`${hi}:${lo}`);
      his.add(hi);
      los.add(lo);
    }
    expect(full.size).toBe(n);
    // Birthday bound for n keys in 2^32 values: about n²/2^33 ≈ 29 collisions per half.
    const expected = (n * n) / 2 ** 33;
    expect(n - his.size).toBeLessThan(expected * 2 + 10);
    expect(n - los.size).toBeLessThan(expected * 2 + 10);
  });
});
