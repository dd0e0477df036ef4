// A PostgreSQL wire-protocol server in front of one PGlite instance. PGlite is a single session, so
// client connections must take turns on it. pglite-socket's server interleaves connections message by
// message; with an open transaction on one connection that lets another's Parse/Bind pairs split
// ("unnamed prepared statement does not exist" under concurrent Prisma transactions). This server
// hands PGlite one connection's whole request batch at a time (up to Sync, Query, Flush or Terminate)
// and keeps the session with a connection while it has a transaction open, so every client sees what
// it would see on a real server, only serialised.
import net from "node:net";
import type { PGlite } from "@electric-sql/pglite";

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const code = (c: string) => c.charCodeAt(0);
/** Messages after which the client waits for an answer: the batch so far goes to PGlite. */
const BATCH_ENDS = new Set([code("S"), code("Q"), code("H")]);
const TERMINATE = code("X");

/** FIFO lock over the single PGlite session; its owner may re-enter while it holds a transaction. */
class SessionLock {
  private owner: number | null = null;
  private waiters: { id: number; resolve: () => void }[] = [];

  async acquire(id: number): Promise<void> {
    if (this.owner === id) return;
    if (this.owner === null) {
      this.owner = id;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push({ id, resolve }));
  }

  release(id: number): void {
    if (this.owner !== id) return;
    const next = this.waiters.shift();
    this.owner = next ? next.id : null;
    next?.resolve();
  }
}

export interface PGliteServerOptions {
  host: string;
  port: number;
  maxConnections: number;
}

export class PGliteServer {
  private server: net.Server | null = null;
  private readonly lock = new SessionLock();
  private readonly sockets = new Set<net.Socket>();
  private nextId = 1;
  private stopped = false;

  constructor(
    private readonly db: PGlite,
    private readonly options: PGliteServerOptions,
  ) {}

  /** Listens and resolves with the port (useful with port 0). */
  async start(): Promise<number> {
    await this.db.waitReady;
    const server = net.createServer((socket) => this.accept(socket));
    server.maxConnections = this.options.maxConnections;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    return (server.address() as net.AddressInfo).port;
  }

  /** Stops accepting and drops every client; the caller closes PGlite afterwards. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  private accept(socket: net.Socket): void {
    const id = this.nextId++;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let buffer = Buffer.alloc(0);
    let started = false;
    let batch: Buffer[] = [];
    // One connection's batches run in the order they arrived.
    let work: Promise<void> = Promise.resolve();
    let closed = false;

    const run = (messages: Buffer[]) => {
      work = work
        .then(async () => {
          if (closed || this.stopped) return;
          await this.lock.acquire(id);
          try {
            for (const message of messages) {
              await this.db.execProtocolRawStream(new Uint8Array(message), {
                onRawData: (chunk) => {
                  if (!socket.destroyed) socket.write(chunk);
                },
              });
            }
          } finally {
            if (this.stopped || !this.db.isInTransaction()) this.lock.release(id);
          }
        })
        .catch(() => {
          socket.destroy();
        });
    };

    socket.on("data", (data) => {
      buffer = buffer.length ? Buffer.concat([buffer, data]) : data;
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          const requestCode = buffer.readInt32BE(4);
          const message = Buffer.from(buffer.subarray(0, length));
          buffer = buffer.subarray(length);
          if (requestCode === SSL_REQUEST || requestCode === GSSENC_REQUEST) {
            socket.write("N"); // no encryption on a loopback database
          } else if (requestCode === CANCEL_REQUEST) {
            socket.end(); // PGlite cannot cancel; the client keeps waiting for its query
            return;
          } else {
            started = true;
            run([message]);
          }
          continue;
        }
        if (buffer.length < 5) return;
        const length = 1 + buffer.readInt32BE(1);
        if (buffer.length < length) return;
        const type = buffer[0]!;
        const message = Buffer.from(buffer.subarray(0, length));
        buffer = buffer.subarray(length);
        if (type === TERMINATE) {
          socket.end();
          return;
        }
        batch.push(message);
        if (BATCH_ENDS.has(type)) {
          run(batch);
          batch = [];
        }
      }
    });

    socket.on("close", () => {
      closed = true;
      this.sockets.delete(socket);
      // Whatever this connection left open is rolled back, as a real server does on disconnect.
      void work.then(async () => {
        if (this.stopped) return;
        await this.lock.acquire(id);
        try {
          if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
        } finally {
          this.lock.release(id);
        }
      });
    });
    socket.on("error", () => socket.destroy());
  }
}
