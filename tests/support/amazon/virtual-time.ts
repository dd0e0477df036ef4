// A deterministic clock for unit tests: sleeps resolve in time order as the test drives the clock.
import type { Clock, Sleep } from "../../../lib/amazon/clock";

export class VirtualTime {
  private t: number;
  private sleepers: Array<{ at: number; resolve: () => void; seq: number }> = [];
  private seq = 0;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.t = start;
  }

  readonly clock: Clock = { now: () => this.t };

  readonly sleep: Sleep = (ms) =>
    new Promise<void>((resolve) => {
      this.sleepers.push({ at: this.t + Math.max(0, ms), resolve, seq: this.seq++ });
    });

  advance(ms: number): void {
    this.t += ms;
  }

  /** Runs `work` to completion, jumping the clock to each next sleeper whenever everything else is idle. */
  async run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    let result: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    work.then(
      (value) => ((done = true), (result = { ok: true, value })),
      (error) => ((done = true), (result = { ok: false, error })),
    );
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (done) break;
      if (this.sleepers.length === 0) continue;
      this.sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.sleepers.shift()!;
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
    if (!result!.ok) throw result!.error;
    return result!.value;
  }
}
