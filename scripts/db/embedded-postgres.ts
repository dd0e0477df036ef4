// The embedded PostgreSQL: PGlite (PostgreSQL compiled to wasm) persisted on disk and served on a
// loopback TCP port, so the app, migrations, the runner and `psql` all speak to it through one
// ordinary postgresql:// URL, exactly as they would to a real server.
import { chmodSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { isAddressInUse, PortInUseError } from "../port-in-use";
import { PGliteServer } from "./pglite-server";

export interface EmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder that holds the database files; `memory://` keeps it in memory (tests). */
  dataDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** PGlite is one session; this many client connections take turns on it (see pglite-server.ts). */
  maxConnections?: number;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const host = options.host ?? "127.0.0.1";
  const onDisk = !options.dataDir.startsWith("memory://");
  if (onDisk) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    chmodSync(options.dataDir, 0o700);
  }
  const db = await PGlite.create(options.dataDir);
  if (onDisk) restrictToOwner(options.dataDir);
  const server = new PGliteServer(db, { host, port: options.port ?? 0, maxConnections: options.maxConnections ?? 100 });
  let port: number;
  try {
    port = await server.start();
  } catch (error) {
    await db.close();
    if (isAddressInUse(error)) throw new PortInUseError(options.port ?? 0, "embedded PostgreSQL");
    throw error;
  }
  return {
    // PGlite accepts any user and password; `postgres` is its one database.
    url: `postgresql://postgres:postgres@${host}:${port}/postgres?sslmode=disable`,
    port,
    async stop() {
      await server.stop();
      await db.close();
      if (onDisk) restrictToOwner(options.dataDir);
    },
  };
}

/**
 * The database files for their owner only: folders 0700, files 0600. PGlite (Emscripten's NODEFS)
 * chmods the files of its initial database to 0666 whatever the umask, so they are fixed here after
 * start-up and again after shutdown; the data folder itself is 0700 throughout, so nothing inside it
 * is reachable by other users even while PGlite runs.
 */
export function restrictToOwner(dir: string): void {
  chmodSync(dir, 0o700);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) restrictToOwner(full);
    else if (entry.isFile() && (lstatSync(full).mode & 0o777) !== 0o600) chmodSync(full, 0o600);
  }
}
