// The embedded database on disk is its owner's alone: folders 0700, files 0600 (PGlite writes its
// initial files world-writable, 0666), before, during and after a run.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "@/scripts/db/embedded-postgres";

const root = mkdtempSync(path.join(tmpdir(), "embedded-modes-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function modes(dir: string): { files: Map<string, number>; dirs: Map<string, number> } {
  const files = new Map<string, number>();
  const dirs = new Map<string, number>([[dir, statSync(dir).mode & 0o777]]);
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if (entry.isDirectory()) dirs.set(full, statSync(full).mode & 0o777);
    else if (entry.isFile()) files.set(full, statSync(full).mode & 0o777);
  }
  return { files, dirs };
}

const notOwnerOnly = (map: Map<string, number>, wanted: number) => [...map].filter(([, mode]) => mode !== wanted).map(([file, mode]) => `${file} ${mode.toString(8)}`);

describe("embedded database files", () => {
  it("are 0600 in 0700 folders after start-up, while running and after a restart", async () => {
    const dataDir = path.join(root, "pgdata");
    // A folder left open by an older version is closed too.
    mkdirSync(dataDir, { recursive: true, mode: 0o755 });
    let server = await startEmbeddedPostgres({ dataDir });
    try {
      let found = modes(dataDir);
      expect(found.files.size).toBeGreaterThan(100);
      expect(notOwnerOnly(found.files, 0o600)).toEqual([]);
      expect(notOwnerOnly(found.dirs, 0o700)).toEqual([]);

      // Files PostgreSQL creates while running (a new table) sit inside the 0700 folder.
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      await client.query("CREATE TABLE modes_check (id int); INSERT INTO modes_check SELECT generate_series(1, 1000); CHECKPOINT");
      await client.end();
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      await server.stop();

      found = modes(dataDir);
      expect(notOwnerOnly(found.files, 0o600)).toEqual([]);
      expect(notOwnerOnly(found.dirs, 0o700)).toEqual([]);

      server = await startEmbeddedPostgres({ dataDir });
      const again = new pg.Client({ connectionString: server.url });
      await again.connect();
      expect((await again.query("SELECT count(*)::int AS n FROM modes_check")).rows[0].n).toBe(1000);
      await again.end();
      expect(notOwnerOnly(modes(dataDir).files, 0o600)).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});
