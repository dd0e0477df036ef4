// Test support: the static sandbox responses (`x-amzn-api-sandbox.static`) in Amazon's OpenAPI models,
// read from ../shared/sp-api-models relative to the repo root (as sandbox/test-support/conformance.ts).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MODELS_AVAILABLE, MODELS_DIR } from "../../../sandbox/test-support/conformance";

export { MODELS_AVAILABLE };

/** A clone without ../shared may skip the model tests locally; CI must not. */
export const MODELS_REQUIRED = process.env.CI === "true";

interface StaticCase {
  request: { parameters: Record<string, { value: unknown }> };
  response: unknown;
}

/** The static 200 responses of `operationId` in `file`, as in the model (parsed afresh each call). */
export function staticResponses(file: string, operationId: string): StaticCase[] {
  const model = JSON.parse(readFileSync(join(MODELS_DIR, file), "utf8")) as { paths: Record<string, Record<string, unknown>> };
  for (const ops of Object.values(model.paths)) {
    for (const op of Object.values(ops)) {
      const o = op as { operationId?: string; responses?: Record<string, { "x-amzn-api-sandbox"?: { static?: StaticCase[] } }> };
      if (o.operationId === operationId) return o.responses?.["200"]?.["x-amzn-api-sandbox"]?.static ?? [];
    }
  }
  throw new Error(`no operation ${operationId} in ${file}`);
}
