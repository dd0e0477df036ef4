// Opaque NextTokens with a lifetime on the sandbox clock. A token keeps a live cursor into the world
// stream (so paging a large window is linear) and caches the page it produced, so retrying the same
// token returns the same page.
import { randomBytes } from "node:crypto";
import type { SandboxClock } from "../clock";

interface Entry<S> {
  kind: string;
  state: S;
  expiresMs: number;
  page?: unknown;
  /** The token whose page announced this one; forgotten once the client moves on to this one. */
  parent?: string;
}

/**
 * However fast the sandbox's clock runs, a token lives at least this long in real time: the client's
 * network and processing time does not speed up with the clock, and at x60 Amazon's 30-second
 * inventory token would be half a real second, less than one request to a busy sandbox takes.
 */
export const MIN_REAL_TOKEN_LIFE_MS = 5_000;

export class PageTokens {
  private readonly entries = new Map<string, Entry<unknown>>();
  constructor(private readonly clock: SandboxClock) {}

  /** A token valid for `ttlMs` of sandbox time (at least MIN_REAL_TOKEN_LIFE_MS real). */
  issue<S>(kind: string, state: S, ttlMs: number, parent?: string): string {
    this.sweep();
    const token = randomBytes(24).toString("base64url");
    const life = Math.max(ttlMs, MIN_REAL_TOKEN_LIFE_MS * this.clock.scale);
    this.entries.set(token, { kind, state, expiresMs: this.clock.nowMs() + life, ...(parent ? { parent } : {}) });
    return token;
  }

  /** The token's entry, "expired", or "invalid" (unknown or issued for another operation). */
  get<S>(kind: string, token: string): Entry<S> | "expired" | "invalid" {
    const e = this.entries.get(token);
    if (!e || e.kind !== kind) return "invalid";
    if (this.clock.nowMs() > e.expiresMs) return "expired";
    // Cached pages exist for retries; once the client asks for the next page, the previous one is done.
    if (e.parent) {
      this.entries.delete(e.parent);
      delete e.parent;
    }
    return e as Entry<S>;
  }

  private sweep(): void {
    if (this.entries.size < 200) return;
    const now = this.clock.nowMs();
    for (const [k, e] of this.entries) if (now > e.expiresMs) this.entries.delete(k);
  }
}

/** Pulls up to `n` items from an iterator; `done` tells whether it ran dry. */
export function take<T>(it: Iterator<T>, n: number): { items: T[]; done: boolean } {
  const items: T[] = [];
  while (items.length < n) {
    const r = it.next();
    if (r.done) return { items, done: true };
    items.push(r.value);
  }
  return { items, done: false };
}

/** Iterator with one item of look-ahead, so a page can tell if anything follows it. */
export class PeekIterator<T> implements Iterator<T> {
  private buffered: IteratorResult<T> | null = null;
  constructor(private readonly inner: Iterator<T>) {}
  next(): IteratorResult<T> {
    if (this.buffered) {
      const b = this.buffered;
      this.buffered = null;
      return b;
    }
    return this.inner.next();
  }
  hasMore(): boolean {
    this.buffered ??= this.inner.next();
    return !this.buffered.done;
  }
}
