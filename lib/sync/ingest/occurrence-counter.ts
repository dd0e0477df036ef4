// Counts how often each key has been seen in one document, in constant memory per distinct key: an
// open-addressing hash table of 64-bit key hashes in typed arrays (12 bytes a slot, at most 75% full),
// never the key strings. A 2M-row document of distinct keys takes a 2^22-slot table: 48 MB (plus the
// old table while it doubles).
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

export class OccurrenceCounter {
  private hi: Uint32Array;
  private lo: Uint32Array;
  /** count + 1 for an occupied slot (a slot counted back down to 0 stays occupied), 0 when empty. */
  private counts: Uint32Array;
  private mask: number;
  private used = 0;

  constructor(initialCapacity = 1 << 16) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.counts = new Uint32Array(capacity);
    this.mask = capacity - 1;
  }

  /** Distinct keys seen. */
  get size(): number {
    return this.used;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.hi.byteLength + this.lo.byteLength + this.counts.byteLength;
  }

  /** Counts one more sighting of the key and returns its number (1 for the first). */
  next(hi: number, lo: number): number {
    const slot = this.find(hi, lo, true);
    const count = this.counts[slot]!; // count + 1 (1 for a new slot)
    this.counts[slot] = count + 1;
    return count;
  }

  /** Takes back one sighting (a batch that failed to store). */
  undo(hi: number, lo: number): void {
    const slot = this.find(hi, lo, false);
    if (slot >= 0 && this.counts[slot]! > 1) this.counts[slot]!--;
  }

  /** How often the key has been seen. */
  count(hi: number, lo: number): number {
    const slot = this.find(hi, lo, false);
    return slot < 0 ? 0 : this.counts[slot]! - 1;
  }

  private find(hi: number, lo: number, insert: boolean): number {
    if (insert && this.used + 1 > this.counts.length * MAX_LOAD) this.grow();
    const { counts, mask } = this;
    let slot = lo & mask;
    for (;;) {
      const c = counts[slot]!;
      if (c === 0) {
        if (!insert) return -1;
        this.hi[slot] = hi;
        this.lo[slot] = lo;
        counts[slot] = 1;
        this.used++;
        return slot;
      }
      if (this.lo[slot] === lo && this.hi[slot] === hi) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const { hi, lo, counts } = this;
    const capacity = counts.length * 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.counts = new Uint32Array(capacity);
    this.mask = capacity - 1;
    for (let i = 0; i < counts.length; i++) {
      const c = counts[i]!;
      if (c === 0) continue;
      let slot = lo[i]! & this.mask;
      while (this.counts[slot] !== 0) slot = (slot + 1) & this.mask;
      this.hi[slot] = hi[i]!;
      this.lo[slot] = lo[i]!;
      this.counts[slot] = c;
    }
  }
}
