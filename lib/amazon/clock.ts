// Time as the SP-API client sees it: a clock and a sleep on the same time base, so tests and the
// time-scaled sandbox can run the client (and its rate limiter) faster than real time.
/** Milliseconds since the epoch. Tests pass the sandbox's (time-scaled) clock. */
export interface Clock {
  now(): number;
}

/** Waits `ms` on the same time base as the clock (a scaled clock needs a scaled sleep). */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const systemClock: Clock = { now: () => Date.now() };

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** A clock running `scale` times faster than real time from `origin`, with the matching sleep. For tests against a time-scaled sandbox. */
export function scaledTime(scale: number, origin = Date.now()): { clock: Clock; sleep: Sleep } {
  const start = Date.now();
  return {
    clock: { now: () => origin + (Date.now() - start) * scale },
    sleep: (ms, signal) => realSleep(ms / scale, signal),
  };
}
