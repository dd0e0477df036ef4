// `npm run db:generate` (also run after npm install): generates the Prisma client. Prisma 7's client
// is Rust-free, but the CLI still wants a schema-engine binary to exist; where the native engine
// could not be downloaded, point it at a file that exists (generate never runs it).
import { existsSync, readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const env: NodeJS.ProcessEnv = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };

if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const enginesDir = path.dirname(require.resolve("@prisma/engines/package.json"));
  const hasNative = readdirSync(enginesDir).some((file) => file.startsWith("schema-engine"));
  if (!hasNative) {
    const standIn = require.resolve("@prisma/schema-engine-wasm");
    if (existsSync(standIn)) env.PRISMA_SCHEMA_ENGINE_BINARY = standIn;
  }
}

const prismaCli = path.join(path.dirname(require.resolve("prisma/package.json")), "build/index.js");
const result = spawnSync(process.execPath, [prismaCli, "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
