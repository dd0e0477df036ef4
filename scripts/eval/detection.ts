// `npm run eval:detection [-- --seeds 1,2,3 --database-url URL]`: detection's quality against the
// sandbox's ground truth. For each seed, the small sandbox seller is synced for real (sandbox over
// HTTP, the app's Inngest functions and the embedded runner of tests/support/sync-stack.ts; the sync
// invokes detect-discrepancies) in a process of its own (the app reads its environment once), on a
// new database (embedded PGlite, or a throwaway database on the server of --database-url / DATABASE_URL
// with TEST_DATABASE_KIND=postgresql). Then precision and recall per rule and overall, status agreement,
// value errors, the controls that fired and the misses, beside the goals. How findings are matched to
// the truth and what counts as what: scripts/eval/detection-eval.ts.
//
// Seeds run one after another; run the whole thing under `flock /tmp/heavy.lock` on a shared machine.
// --save DIR keeps each seed's sample (truth + findings) as JSON; --from DIR re-evaluates saved ones.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, readdir, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { evaluate, formatEvaluation, runSeed, type SeedSample } from "./detection-eval";

const { values } = parseArgs({
  options: {
    seeds: { type: "string", default: "1,2,3" },
    "database-url": { type: "string" },
    save: { type: "string" },
    from: { type: "string" },
    // Internal: run one seed in this process and write its sample to --out.
    child: { type: "boolean", default: false },
    seed: { type: "string" },
    out: { type: "string" },
  },
});

if (values.child) {
  const { useOwnDatabase } = await import("../../tests/support/own-database");
  process.env.DATA_DIR ??= ".data/eval";
  const database = await useOwnDatabase();
  try {
    const sample = await runSeed(Number(values.seed), { log: (l) => console.log(l) });
    await writeFile(values.out!, JSON.stringify(sample));
  } finally {
    const { db } = await import("../../lib/db");
    await db.$disconnect();
    // EVAL_KEEP_DATABASE=1 (with a server): the database stays for a look at the findings and set-asides.
    if (process.env.EVAL_KEEP_DATABASE === "1" && process.env.TEST_DATABASE_KIND === "postgresql") console.log(`kept ${database.url.replace(/\/\/[^@]*@/, "//")}`);
    else await database.close();
  }
  process.exit(0);
}

const samples: SeedSample[] = [];
if (values.from) {
  for (const file of (await readdir(values.from)).filter((f) => f.endsWith(".json")).sort()) samples.push(JSON.parse(await readFile(join(values.from, file), "utf8")) as SeedSample);
} else {
  const serverUrl = values["database-url"] ?? (process.env.TEST_DATABASE_KIND === "postgresql" ? process.env.DATABASE_URL : undefined);
  const childEnv = { ...process.env, ...(serverUrl ? { DATABASE_URL: serverUrl, TEST_DATABASE_KIND: "postgresql" } : { TEST_DATABASE_KIND: "pglite" }) };
  const dir = values.save ?? (await mkdtemp(join(tmpdir(), "eval-detection-")));
  await mkdir(dir, { recursive: true });
  console.log(`eval:detection on ${serverUrl ? "a PostgreSQL server" : "embedded PGlite"}; samples in ${dir}`);
  for (const seed of values.seeds.split(",").map(Number)) {
    const out = join(dir, `seed-${String(seed).padStart(3, "0")}.json`);
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--child", "--seed", String(seed), "--out", out], { env: childEnv, stdio: ["ignore", "inherit", "inherit"] });
      child.once("exit", resolve);
    });
    if (code !== 0) throw new Error(`seed ${seed}: the run exited ${code}`);
    console.log(`seed ${seed}: ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
    samples.push(JSON.parse(await readFile(out, "utf8")) as SeedSample);
  }
}
console.log("");
console.log(formatEvaluation(evaluate(samples)));
