// Counts how often each key has been seen in one document, in little memory per distinct key and never
// the key strings: open-addressing hash tables of 64-bit key hashes in typed arrays. One table holds
// every key seen (8 bytes a slot); a second, small one the counts of the keys seen more than once
// (12 bytes a slot; most ledger rows are distinct). Tables are at most 75% full and grow by half, so a
// 2M-row document of distinct keys takes about 2M / 0.5..0.75 × 8 B ≈ 21-32 MB, 35-53 MB for the
// moment a table is copied into its larger successor.
//
// Collisions: two different keys share a counter only if their 64-bit hashes are equal. For n distinct
// keys in a document the chance that any two collide is about n² / 2^65 (2M keys: ~1e-7). Even then
// nothing is lost or duplicated within the document: the rows keep their own key values, only their
// occurrence numbers skip (A gets 1, B 2, the next A 3), and a re-run of the document numbers them
// the same way. The only effect would be across documents: a later document holding that A twice
// without B could store A's second copy once more.

/** Two independent 32-bit lanes over the UTF-16 code units, each finished with murmur3's fmix32. */
export function hashKey(key: string): { hi: number; lo: number } {
  let h1 = 0x811c9dc5;
  let h2 = 0x9e3779b9 ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return { hi: fmix32(h1 ^ Math.imul(key.length, 0x27d4eb2f)), lo: fmix32(h2) };
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const MAX_LOAD = 0.75;
const GROWTH = 1.5;

/** An open-addressing set of 64-bit hashes (hi, lo), optionally with a count per hash. (0, 0) marks an empty slot. */
class HashTable {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private counts: Uint32Array | undefined;
  private used = 0;

  constructor(
    capacity: number,
    private readonly withCounts: boolean,
  ) {
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.counts = withCounts ? new Uint32Array(capacity) : undefined;
  }

  get size(): number {
    return this.used;
  }

  get bytes(): number {
    return this.hi.byteLength + this.lo.byteLength + (this.counts?.byteLength ?? 0);
  }

  /** The slot of the hash, or -1. */
  find(hi: number, lo: number): number {
    const capacity = this.lo.length;
    let slot = home(lo, capacity);
    for (;;) {
      const l = this.lo[slot]!;
      const h = this.hi[slot]!;
      if (l === lo && h === hi) return slot;
      if (l === 0 && h === 0) return -1;
      slot = slot + 1 === capacity ? 0 : slot + 1;
    }
  }

  /** Adds a hash known to be absent; returns its slot. */
  add(hi: number, lo: number, count = 0): number {
    if (this.used + 1 > this.lo.length * MAX_LOAD) this.grow();
    const slot = this.place(hi, lo);
    if (this.counts) this.counts[slot] = count;
    this.used++;
    return slot;
  }

  getCount(slot: number): number {
    return this.counts![slot]!;
  }

  setCount(slot: number, count: number): void {
    this.counts![slot] = count;
  }

  private place(hi: number, lo: number): number {
    const capacity = this.lo.length;
    let slot = home(lo, capacity);
    while (this.lo[slot] !== 0 || this.hi[slot] !== 0) slot = slot + 1 === capacity ? 0 : slot + 1;
    this.hi[slot] = hi;
    this.lo[slot] = lo;
    return slot;
  }

  private grow(): void {
    const { hi, lo, counts } = this;
    const capacity = Math.ceil(lo.length * GROWTH);
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.counts = this.withCounts ? new Uint32Array(capacity) : undefined;
    for (let i = 0; i < lo.length; i++) {
      if (lo[i] === 0 && hi[i] === 0) continue;
      const slot = this.place(hi[i]!, lo[i]!);
      if (this.counts) this.counts[slot] = counts![i]!;
    }
  }
}

/** The hash's first slot: lo scaled onto [0, capacity) (any capacity, not only powers of two). */
function home(lo: number, capacity: number): number {
  return Math.min(capacity - 1, Math.floor((lo * capacity) / 4294967296));
}

export class OccurrenceCounter {
  /** Every key seen at least once (its count is 1 unless `repeats` says otherwise). */
  private readonly seen: HashTable;
  /** The authoritative count of keys seen twice or more, or counted back down by undo(). */
  private readonly repeats: HashTable;

  constructor(initialCapacity = 1 << 16) {
    this.seen = new HashTable(Math.max(16, initialCapacity), false);
    this.repeats = new HashTable(1 << 10, true);
  }

  /** Distinct keys seen. */
  get size(): number {
    return this.seen.size;
  }

  /** Bytes held by the tables. */
  get bytes(): number {
    return this.seen.bytes + this.repeats.bytes;
  }

  /** Counts one more sighting of the key and returns its number (1 for the first). */
  next(hi: number, lo: number): number {
    if (hi === 0 && lo === 0) lo = 1; // (0, 0) marks empty slots
    const repeat = this.repeats.find(hi, lo);
    if (repeat >= 0) {
      const count = this.repeats.getCount(repeat) + 1;
      this.repeats.setCount(repeat, count);
      return count;
    }
    if (this.seen.find(hi, lo) >= 0) {
      this.repeats.add(hi, lo, 2);
      return 2;
    }
    this.seen.add(hi, lo);
    return 1;
  }

  /** Takes back one sighting (a batch that failed to store). */
  undo(hi: number, lo: number): void {
    if (hi === 0 && lo === 0) lo = 1;
    const repeat = this.repeats.find(hi, lo);
    if (repeat >= 0) this.repeats.setCount(repeat, Math.max(0, this.repeats.getCount(repeat) - 1));
    else if (this.seen.find(hi, lo) >= 0) this.repeats.add(hi, lo, 0); // back to unseen; slots are never removed
  }

  /** How often the key has been seen. */
  count(hi: number, lo: number): number {
    if (hi === 0 && lo === 0) lo = 1;
    const repeat = this.repeats.find(hi, lo);
    if (repeat >= 0) return this.repeats.getCount(repeat);
    return this.seen.find(hi, lo) >= 0 ? 1 : 0;
  }
}
