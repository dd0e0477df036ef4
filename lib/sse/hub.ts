// The per-process progress hub: every SSE stream of this app instance subscribes here, and the hub
// reads the ProgressEvent rows once for all of them. One database listener per process, not one per
// browser:
// - where the database delivers NOTIFY to another connection (a real PostgreSQL server), one
//   connection LISTENs on the run-store's channel and each notification wakes a read at once, with a
//   slow safety poll behind it;
// - where it does not (the embedded PGlite front serves one session, so a NOTIFY reaches the
//   connection that sent it, not the listener), the hub polls the rows every `pollMs` while anyone
//   is subscribed.
// Which one applies is found out, not assumed: on start the hub LISTENs, sends a probe NOTIFY from the
// app's own pool and waits for it (`probeTimeoutMs`). It polls meanwhile, so no stream waits for it.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { db } from "../db";
import { env } from "../env";
import { log } from "../observability/logger";
import { withoutLogContext } from "../observability/log-context";
import { PROGRESS_CHANNEL } from "../sync/run-store";
import type { ProgressRow } from "./format";
import { progressRowsAfter, READ_LIMIT, type Cursor, type TopicRow } from "./rows";

export type HubMode = "idle" | "probing" | "notify" | "poll";

export interface HubOptions {
  /** Poll period where NOTIFY does not arrive (the embedded database). */
  pollMs?: number;
  /** Safety poll period while NOTIFY works (a notification lost on a reconnect is found by it). */
  safetyPollMs?: number;
  /** How long the probe NOTIFY may take to arrive before the hub settles on polling. */
  probeTimeoutMs?: number;
  /** After the last subscriber leaves, the listener connection is closed after this long. */
  idleCloseMs?: number;
  /** The database the listener connects to (default: DATABASE_URL). */
  databaseUrl?: () => string | undefined;
  /** The listener's application_name (pg_stat_activity shows it). */
  applicationName?: string;
}

export interface Topic {
  /** A sync run (GET /api/sse/sync-progress/:syncId) or a seller connection (GET /api/sse/status). */
  kind: "run" | "seller";
  id: string;
}

interface Subscriber {
  cursor: bigint;
  deliver: (rows: ProgressRow[]) => void;
}

interface TopicState {
  cursor: bigint;
  subscribers: Set<Subscriber>;
}

const PROBE_PREFIX = "probe:";

export class ProgressHub {
  private readonly topics = new Map<string, TopicState>();
  private readonly options: Required<Omit<HubOptions, "databaseUrl">> & Pick<HubOptions, "databaseUrl">;
  private listener: pg.Client | null = null;
  /** Settled once per process: does a NOTIFY reach the listener? */
  private notifyWorks: boolean | undefined;
  private probe: { payload: string; resolve: () => void } | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reading = false;
  private dirty = false;
  private starting: Promise<void> | null = null;
  private closed = false;
  private _mode: HubMode = "idle";
  /** Reads done (for the tests and the bench: one read serves every subscriber). */
  reads = 0;

  constructor(options: HubOptions = {}) {
    this.options = {
      pollMs: options.pollMs ?? 100,
      safetyPollMs: options.safetyPollMs ?? 10_000,
      probeTimeoutMs: options.probeTimeoutMs ?? 2000,
      idleCloseMs: options.idleCloseMs ?? 30_000,
      applicationName: options.applicationName ?? "progress-hub",
      databaseUrl: options.databaseUrl,
    };
  }

  /** How this process learns of new events right now. */
  get mode(): HubMode {
    return this._mode;
  }

  /** Subscribers across all topics. */
  get subscriberCount(): number {
    let n = 0;
    for (const topic of this.topics.values()) n += topic.subscribers.size;
    return n;
  }

  /**
   * Calls `deliver` with the topic's rows after `after`, in id order, as they are written. Returns the
   * unsubscribe function. The caller has usually replayed up to `after` itself; rows written between
   * its replay and this call are read at once.
   */
  subscribe(topic: Topic, after: bigint, deliver: (rows: ProgressRow[]) => void): () => void {
    if (this.closed) throw new Error("progress hub closed");
    const key = `${topic.kind}:${topic.id}`;
    const subscriber: Subscriber = { cursor: after, deliver };
    let state = this.topics.get(key);
    if (!state) {
      state = { cursor: after, subscribers: new Set() };
      this.topics.set(key, state);
    } else if (after < state.cursor) {
      state.cursor = after;
    }
    state.subscribers.add(subscriber);
    // The hub's timers and listener serve every stream: their log lines name no request.
    withoutLogContext(() => {
      this.ensureRunning();
      this.wake();
    });
    return () => {
      const current = this.topics.get(key);
      if (!current) return;
      current.subscribers.delete(subscriber);
      if (current.subscribers.size === 0) this.topics.delete(key);
      if (this.topics.size === 0) this.goIdle();
    };
  }

  /** Reads as soon as the read in flight (if any) ends. */
  wake(): void {
    this.dirty = true;
    if (!this.reading) void this.readLoop();
  }

  /** Stops everything (tests, shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    this.topics.clear();
    this.stopPolling();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    await this.starting?.catch(() => {});
    await this.closeListener();
    this._mode = "idle";
  }

  private async readLoop(): Promise<void> {
    this.reading = true;
    try {
      while (this.dirty && this.topics.size > 0) {
        this.dirty = false;
        const runs: Cursor[] = [];
        const sellers: Cursor[] = [];
        for (const [key, state] of this.topics) {
          const cursor = { key: key.slice(key.indexOf(":") + 1), after: state.cursor };
          (key.startsWith("run:") ? runs : sellers).push(cursor);
        }
        let rows: TopicRow[];
        try {
          rows = await progressRowsAfter({ runs, sellers });
          this.reads++;
        } catch (error) {
          // The next poll (or notification) tries again; a stream keeps its heartbeat meanwhile.
          log.warn({ err: error }, "progress hub: reading progress events failed");
          break;
        }
        this.dispatch(rows);
        if (rows.length >= READ_LIMIT) this.dirty = true;
      }
    } finally {
      this.reading = false;
    }
  }

  private dispatch(rows: TopicRow[]): void {
    const batches = new Map<Subscriber, ProgressRow[]>();
    for (const row of rows) {
      const state = this.topics.get(`${row.topic}:${row.key}`);
      if (!state) continue;
      if (row.id > state.cursor) state.cursor = row.id;
      for (const subscriber of state.subscribers) {
        if (row.id <= subscriber.cursor) continue;
        subscriber.cursor = row.id;
        const batch = batches.get(subscriber);
        if (batch) batch.push(row);
        else batches.set(subscriber, [row]);
      }
    }
    for (const [subscriber, batch] of batches) {
      try {
        subscriber.deliver(batch);
      } catch (error) {
        log.warn({ err: error }, "progress hub: a stream failed to take its events");
      }
    }
  }

  private ensureRunning(): void {
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    if (this.notifyWorks === false) {
      this.startPolling(this.options.pollMs);
      this._mode = "poll";
      return;
    }
    if (this.listener && this.notifyWorks) {
      this.startPolling(this.options.safetyPollMs);
      this._mode = "notify";
      return;
    }
    // Until the listener is up and proven, poll.
    this.startPolling(this.options.pollMs);
    if (!this.starting && !this.reconnectTimer) {
      this._mode = "probing";
      this.starting = this.startListener().finally(() => (this.starting = null));
    }
  }

  private startPolling(periodMs: number): void {
    this.stopPolling();
    this.pollTimer = setInterval(() => this.wake(), periodMs);
    this.pollTimer.unref();
  }

  private stopPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  private goIdle(): void {
    this.stopPolling();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.topics.size === 0) void this.closeListener().then(() => (this._mode = "idle"));
    }, this.options.idleCloseMs);
    this.idleTimer.unref();
  }

  private async startListener(): Promise<void> {
    const url = this.options.databaseUrl ? this.options.databaseUrl() : env().DATABASE_URL;
    if (!url) {
      this.settle(false);
      return;
    }
    const client = new pg.Client({ connectionString: url, application_name: this.options.applicationName });
    client.on("error", (error) => this.onListenerLost(client, error));
    client.on("end", () => this.onListenerLost(client));
    client.on("notification", (message) => {
      if (message.payload?.startsWith(PROBE_PREFIX)) {
        if (this.probe && message.payload === this.probe.payload) this.probe.resolve();
        return;
      }
      this.wake();
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${PROGRESS_CHANNEL}"`);
    } catch (error) {
      log.warn({ err: error }, "progress hub: the listener could not connect; polling");
      await client.end().catch(() => {});
      this.scheduleReconnect();
      return;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.listener = client;
    if (this.notifyWorks) {
      // A reconnect: the database was proven before; read what the gap may have hidden.
      this.settle(true);
      return;
    }
    const payload = `${PROBE_PREFIX}${randomUUID()}`;
    const arrived = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.options.probeTimeoutMs);
      this.probe = {
        payload,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
    });
    try {
      await db.$executeRaw`SELECT pg_notify(${PROGRESS_CHANNEL}, ${payload})`;
    } catch (error) {
      log.warn({ err: error }, "progress hub: the probe notification could not be sent");
    }
    const works = await arrived;
    this.probe = null;
    if (!works) {
      // The embedded database: the listener would only hold a connection. Stop listening on the
      // shared session too, so the app's connections are not sent every notification.
      this.listener = null;
      await client.query(`UNLISTEN "${PROGRESS_CHANNEL}"`).catch(() => {});
      await client.end().catch(() => {});
    }
    this.settle(works);
  }

  private settle(works: boolean): void {
    if (this.notifyWorks !== works) log.info({ mode: works ? "notify" : "poll" }, "progress hub: how new progress events are found");
    this.notifyWorks = works;
    if (this.closed) return;
    if (this.topics.size > 0) {
      this.ensureRunning();
      this.wake();
    } else {
      this._mode = works ? "notify" : "poll";
    }
  }

  private onListenerLost(client: pg.Client, error?: Error): void {
    if (this.listener !== client) return;
    this.listener = null;
    if (this.closed) return;
    log.warn({ err: error }, "progress hub: the listener connection ended; polling until it is back");
    client.end().catch(() => {});
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    if (this.topics.size > 0) {
      this._mode = "poll";
      this.startPolling(this.options.pollMs);
    }
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.topics.size > 0) this.ensureRunning();
    }, 5000);
    this.reconnectTimer.unref();
  }

  private async closeListener(): Promise<void> {
    const client = this.listener;
    this.listener = null;
    if (client) await client.end().catch(() => {});
  }
}

const cache = globalThis as unknown as { __progressHub?: ProgressHub };

/** The process's hub (cached on globalThis: Next.js may load this module in several bundles). */
export function progressHub(): ProgressHub {
  cache.__progressHub ??= new ProgressHub();
  return cache.__progressHub;
}
