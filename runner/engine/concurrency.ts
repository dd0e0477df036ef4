// Concurrency limits count calls to the app in flight per key, as Inngest does: a sleeping or
// waiting run holds no slot, and two runs with the same key interleave between steps. Kept in
// memory because only one runner works a database (advisory lock), so nothing else holds slots.

interface Semaphore {
  active: number;
  queue: (() => void)[];
}

export class ConcurrencyLimiter {
  private semaphores = new Map<string, Semaphore>();
  /** Calls currently queued behind a limit (they do not count against the worker's capacity). */
  waiting = 0;

  /** Takes one slot of every key (in a fixed order, so two calls never deadlock); returns the release. */
  async acquire(slots: { id: string; limit: number }[], signal: AbortSignal): Promise<() => void> {
    const ordered = [...slots].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const taken: string[] = [];
    try {
      for (const slot of ordered) {
        await this.take(slot.id, slot.limit, signal);
        taken.push(slot.id);
      }
    } catch (error) {
      for (const id of taken) this.give(id);
      throw error;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const id of taken) this.give(id);
    };
  }

  private take(id: string, limit: number, signal: AbortSignal): Promise<void> {
    let sem = this.semaphores.get(id);
    if (!sem) {
      sem = { active: 0, queue: [] };
      this.semaphores.set(id, sem);
    }
    if (sem.active < limit) {
      sem.active++;
      return Promise.resolve();
    }
    const s = sem;
    this.waiting++;
    return new Promise<void>((resolve, reject) => {
      const grant = () => {
        this.waiting--;
        signal.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        const i = s.queue.indexOf(grant);
        if (i >= 0) s.queue.splice(i, 1);
        this.waiting--;
        reject(signal.reason);
      };
      s.queue.push(grant);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  private give(id: string): void {
    const sem = this.semaphores.get(id);
    if (!sem) return;
    const next = sem.queue.shift();
    if (next) next(); // the slot passes straight to the next waiter
    else if (--sem.active === 0) this.semaphores.delete(id);
  }
}
