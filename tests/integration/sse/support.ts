// Shared by the SSE tests: a reader that parses a text/event-stream response as it arrives, and rows
// written the way the sync writes them (the SyncRun change and writeProgressEvent in one transaction,
// with its NOTIFY), so the streams are fed exactly as in production.
import { expect } from "vitest";
import { db } from "@/lib/db";
import { writeProgressEvent } from "@/lib/sync/run-store";
import { sellingPartnerId } from "../../support/factories";

export interface Frame {
  event?: string;
  id?: string;
  data?: string;
  retry?: string;
  comments: string[];
}

/** Parses the stream's frames as the bytes come in; `closed` once the server ended it. */
export class SseReader {
  private text = "";
  closed = false;
  private readonly waiters = new Set<() => void>();

  constructor(readonly response: Response) {
    void this.pump();
  }

  private async pump(): Promise<void> {
    const reader = this.response.body!.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        this.text += decoder.decode(value, { stream: true });
        this.notify();
      }
    } catch {
      // cancelled by the test
    }
    this.closed = true;
    this.notify();
  }

  private notify(): void {
    for (const waiter of this.waiters) waiter();
  }

  /** Every complete frame so far. */
  get frames(): Frame[] {
    const blocks = this.text.split("\n\n");
    blocks.pop(); // incomplete (or empty after the last separator)
    return blocks.map((block) => {
      const frame: Frame = { comments: [] };
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) frame.comments.push(line.slice(1).trim());
        else {
          const at = line.indexOf(":");
          const field = line.slice(0, at);
          const value = line.slice(at + 1).replace(/^ /, "");
          if (field === "data") frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
          else if (field === "event" || field === "id" || field === "retry") frame[field] = value;
        }
      }
      return frame;
    });
  }

  /** The events (frames with data), their JSON parsed. */
  get events(): { event?: string; id: string; data: Record<string, unknown> }[] {
    return this.frames.filter((f) => f.data !== undefined).map((f) => ({ event: f.event, id: f.id!, data: JSON.parse(f.data!) as Record<string, unknown> }));
  }

  /** Waits until `check` holds (or the stream closed and it still does not: then it fails). */
  async until(check: (reader: SseReader) => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check(this)) {
      if (this.closed) throw new Error(`stream closed before ${what}; got ${JSON.stringify(this.frames)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, left);
        this.waiters.add(done);
      });
    }
  }

  async untilClosed(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error(`stream still open; got ${JSON.stringify(this.frames)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;

/** Calls a route handler as Next.js does; the controller aborts the request (the browser leaving). */
export async function open(handler: unknown, path: string, params: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await (handler as Handler)(new Request(`http://app${path}`, { headers, signal: controller.signal }), {
    params: Promise.resolve(params as never),
  });
  return { response, controller };
}

export function expectSseHeaders(response: Response): void {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  expect(response.headers.get("cache-control")).toContain("no-transform");
  expect(response.headers.get("x-accel-buffering")).toBe("no");
}

export async function seller(userId: string) {
  return db.sellerConnection.create({
    data: { userId, sellingPartnerId: sellingPartnerId(), region: "NA", marketplaceIds: ["ATVPDKIKX0DER"], status: "connected", connectedAt: new Date("2026-01-01T00:00:00Z") },
    select: { id: true },
  });
}

/** A running sync of the seller with its first progress event ("started"). */
export async function runningSync(sellerConnectionId: string, message = "Starting sync") {
  const run = await db.syncRun.create({
    data: { sellerConnectionId, kind: "incremental", trigger: "cron", status: "running", activeFor: sellerConnectionId, message },
    select: { id: true },
  });
  await db.$transaction((tx) => writeProgressEvent(tx, run.id, { phase: "started" }));
  return run.id;
}

/** A SyncRun change and its progress event, in one transaction, as lib/sync/run-store.ts writes them. */
export async function advance(
  syncRunId: string,
  change: { progress?: number; message?: string; status?: "running" | "completed" | "failed" | "cancelled"; claimsDetected?: number },
): Promise<bigint> {
  const finished = change.status !== undefined && change.status !== "running";
  await db.$transaction(async (tx) => {
    await tx.syncRun.update({ where: { id: syncRunId }, data: { ...change, ...(finished ? { activeFor: null, completedAt: new Date() } : {}) } });
    await writeProgressEvent(tx, syncRunId);
  });
  const last = await db.progressEvent.findFirstOrThrow({ where: { syncRunId }, orderBy: { id: "desc" }, select: { id: true } });
  return last.id;
}

export async function eventIds(syncRunId: string): Promise<string[]> {
  const rows = await db.progressEvent.findMany({ where: { syncRunId }, orderBy: { id: "asc" }, select: { id: true } });
  return rows.map((r) => r.id.toString());
}
