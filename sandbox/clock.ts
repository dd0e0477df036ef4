// The one sandbox clock: every time-dependent behaviour (token life, quota refill, report
// processing, URL expiry) reads it, so one scale factor speeds the whole world up consistently.
export interface SandboxClock {
  /** Current sandbox time. */
  now(): Date;
  nowMs(): number;
  /** Sandbox start instant (the synthetic world ends here). */
  readonly startMs: number;
  readonly scale: number;
  /** Real milliseconds that correspond to `sandboxMs` of sandbox time. */
  toRealMs(sandboxMs: number): number;
}

export function createClock(opts: { scale?: number; startMs?: number; realNow?: () => number } = {}): SandboxClock {
  const scale = opts.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`time scale must be a positive number, got ${scale}`);
  const realNow = opts.realNow ?? (() => performance.timeOrigin + performance.now());
  const realStart = realNow();
  const startMs = opts.startMs ?? Math.floor(realStart);
  const nowMs = () => startMs + Math.floor((realNow() - realStart) * scale);
  return {
    startMs,
    scale,
    nowMs,
    now: () => new Date(nowMs()),
    toRealMs: (sandboxMs) => sandboxMs / scale,
  };
}
