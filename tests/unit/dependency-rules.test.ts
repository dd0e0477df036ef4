// The house rules in .dependency-cruiser.cjs bite: the project's own rule file, run through
// dependency-cruiser's API over a small fixture tree with one deliberate violation per rule (and a few
// allowed imports), reports exactly those violations. `npm run lint:deps` then runs the same file over
// the real tree; this test makes sure that a clean result there is not a config that matches nothing.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cruise, type ICruiseResult } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const rulesFile = path.resolve(import.meta.dirname, "../../.dependency-cruiser.cjs");

const fixture: Record<string, string> = {
  "tsconfig.json": JSON.stringify({
    compilerOptions: { module: "esnext", moduleResolution: "bundler", strict: true, paths: { "@/*": ["./*"] } },
  }),
  // An installed npm package named like the top-level inngest/ folder: importing it is fine.
  "node_modules/inngest/package.json": JSON.stringify({ name: "inngest", main: "index.js", types: "index.d.ts" }),
  "node_modules/inngest/index.js": "export class Inngest {}\n",
  "node_modules/inngest/index.d.ts": "export declare class Inngest {}\n",
  "app/page.ts": "export const page = 1;\n",
  "components/button.ts": "export const button = 1;\n",
  "inngest/client.ts": 'import { Inngest } from "inngest";\nexport const inngest = new Inngest();\n',
  "inngest/functions/index.ts": "export const functions = [];\n",
  "inngest/functions/other.ts": "export const other = 1;\n",
  "lib/db.ts": "export const db = 1;\n",
  "lib/generated/prisma/client.ts": "export type PrismaClient = { id: string };\n",
  // lib -> app through the @/ alias, lib -> components and lib -> inngest/ relatively.
  "lib/uses-app.ts": 'import { page } from "@/app/page";\nexport const x = page;\n',
  "lib/uses-components.ts": 'import { button } from "../components/button";\nexport const y = button;\n',
  "lib/uses-inngest-folder.ts": 'import { inngest } from "../inngest/client";\nexport const z = inngest;\n',
  // lib -> the inngest npm package: allowed.
  "lib/uses-inngest-package.ts": 'import { Inngest } from "inngest";\nexport const w = Inngest;\n',
  // A cycle of type-only imports: seen only with tsPreCompilationDeps.
  "lib/cycle-a.ts": 'import type { B } from "./cycle-b";\nexport type A = { b?: B };\n',
  "lib/cycle-b.ts": 'import type { A } from "@/lib/cycle-a";\nexport type B = { a?: A };\n',
  "lib/amazon/client.ts": 'import { fake } from "../../sandbox/fake";\nexport const client = fake;\n',
  "lib/amazon/plain.ts": "export const plain = 1;\n",
  "sandbox/fake.ts": "export const fake = 1;\n",
  "sandbox/uses-amazon.ts": 'import { plain } from "@/lib/amazon/plain";\nexport const s = plain;\n',
  // runner: the generated Prisma client is allowed, lib/db and inngest/ are not.
  "runner/engine.ts":
    'import type { PrismaClient } from "../lib/generated/prisma/client";\nimport { db } from "@/lib/db";\nexport const e: PrismaClient | number = db;\n',
  "runner/uses-inngest.ts": 'export async function f() { return import("@/inngest/functions"); }\n',
  "runner/uses-app.ts": 'import { page } from "../app/page";\nexport const r = page;\n',
  // The narrow known-violation exception: conformance.test.ts may import inngest/client and
  // inngest/functions (dynamically), nothing else under inngest/.
  "runner/conformance.test.ts":
    'export async function g() { await import("@/inngest/client"); await import("@/inngest/functions"); return import("@/inngest/functions/other"); }\n',
  // An import nothing can resolve.
  "scripts/broken.ts": 'import { nope } from "@/lib/does-not-exist";\nexport const b = nope;\n',
};

let dir: string;
let result: ICruiseResult;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "dep-rules-"));
  for (const [file, text] of Object.entries(fixture)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  const options = await extractDepcruiseOptions(rulesFile);
  // Run from the fixture's root as `npm run lint:deps` runs from the repository's: the tsconfig
  // paths plugin takes the paths' base (there is no baseUrl) from the working directory.
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const reported = await cruise(["."], options, {}, { tsConfig: extractTSConfig(options.tsConfig?.fileName ?? "") });
    result = reported.output as ICruiseResult;
  } finally {
    process.chdir(cwd);
  }
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("dependency rules (.dependency-cruiser.cjs)", () => {
  it("sees type-only imports and resolves the @/ alias", () => {
    const cycleB = result.modules.find((m) => m.source === "lib/cycle-b.ts");
    expect(cycleB?.dependencies.map((d) => [d.resolved, d.dependencyTypes.includes("type-only")])).toEqual([["lib/cycle-a.ts", true]]);
  });

  it("reports each deliberate violation, and nothing else", () => {
    const found = (result.summary.violations ?? []).map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
    expect(found).toEqual(
      [
        "lib-not-to-app: lib/uses-app.ts -> app/page.ts",
        "lib-not-to-app: lib/uses-components.ts -> components/button.ts",
        "lib-not-to-app: lib/uses-inngest-folder.ts -> inngest/client.ts",
        "lib-amazon-not-to-sandbox: lib/amazon/client.ts -> sandbox/fake.ts",
        "sandbox-not-to-lib-amazon: sandbox/uses-amazon.ts -> lib/amazon/plain.ts",
        "runner-not-to-app-code: runner/engine.ts -> lib/db.ts",
        "runner-not-to-app-code: runner/uses-app.ts -> app/page.ts",
        "runner-not-to-inngest-functions: runner/uses-inngest.ts -> inngest/functions/index.ts",
        "runner-conformance-only-inngest-entry-points: runner/conformance.test.ts -> inngest/functions/other.ts",
        "not-to-unresolvable: scripts/broken.ts -> @/lib/does-not-exist",
        "no-circular: lib/cycle-a.ts -> lib/cycle-b.ts",
      ].sort(),
    );
    expect(result.summary.error).toBe(found.length);
    const cycle = result.summary.violations.find((v) => v.rule.name === "no-circular")?.cycle;
    expect(cycle?.map((step) => [step.name, step.dependencyTypes.includes("type-only")])).toEqual([
      ["lib/cycle-b.ts", true],
      ["lib/cycle-a.ts", true],
    ]);
  });
});
