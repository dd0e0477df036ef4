// One SSE response: the opening frame, whatever the route replays, then live frames from the hub,
// a heartbeat comment every `heartbeatMs`, and a clean end when the route closes it, the browser goes
// away (request aborted) or the reader cancels. Nothing is left subscribed or ticking afterwards.
import { HEARTBEAT_FRAME, OPENING_FRAME, SSE_HEADERS } from "./format";

/** Seed 004 / the issue: a comment every 15 s keeps idle connections open through proxies. */
export const HEARTBEAT_MS = 15_000;

export interface StreamControls {
  /** A frame as text, or as bytes shared by many streams (never written to). */
  send(frame: string | Uint8Array): void;
  /** Ends the stream (after what was sent). Safe to call more than once. */
  close(): void;
  readonly closed: boolean;
}

export interface SseStreamOptions {
  signal: AbortSignal;
  heartbeatMs: number;
  /** Frames sent right after the opening frame (the replay). */
  replay: string[];
  /** Starts the live part; returns what stops it. Not called when `closeAfterReplay`. */
  live?(controls: StreamControls): () => void;
  /** The stream ends after the replay (a finished sync). */
  closeAfterReplay?: boolean;
}

const encoder = new TextEncoder();

export function sseResponse(options: SseStreamOptions): Response {
  let stop: (() => void) | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;

  const finish = (closeStream: boolean) => {
    if (closed) return;
    closed = true;
    if (heartbeat) clearInterval(heartbeat);
    options.signal.removeEventListener("abort", onAbort);
    stop?.();
    if (closeStream) {
      try {
        controller.close();
      } catch {
        // already closed by the reader
      }
    }
  };
  const onAbort = () => finish(true);

  const controls: StreamControls = {
    send(frame) {
      if (closed) return;
      try {
        controller.enqueue(typeof frame === "string" ? encoder.encode(frame) : frame);
      } catch {
        finish(false);
      }
    },
    close: () => finish(true),
    get closed() {
      return closed;
    },
  };

  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      controls.send(OPENING_FRAME + options.replay.join(""));
      if (options.closeAfterReplay || options.signal.aborted) {
        finish(true);
        return;
      }
      options.signal.addEventListener("abort", onAbort);
      heartbeat = setInterval(() => controls.send(HEARTBEAT_FRAME), options.heartbeatMs);
      heartbeat.unref?.();
      stop = options.live?.(controls);
      // `live` may have closed the stream already (its first delivery was final).
      if (closed) stop?.();
    },
    cancel() {
      finish(false);
    },
  });
  return new Response(body, { status: 200, headers: SSE_HEADERS });
}
