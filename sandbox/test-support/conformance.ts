// Validates SP-API JSON responses against Amazon's Swagger 2.0 models in ../shared/sp-api-models
// (relative to the repo root), converting Swagger-only keywords (x-nullable) for ajv.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const MODELS_DIR = join(repoRoot, "..", "shared", "sp-api-models");
export const MODELS_AVAILABLE = existsSync(join(MODELS_DIR, "reports_2021-06-30.json"));

const MODEL_FILES = ["reports_2021-06-30.json", "financesV0.json", "ordersV0.json", "fbaInventory.json", "fulfillmentInboundV0.json", "sellers.json"];

type Json = Record<string, unknown>;

/**
 * Swagger 2 `x-nullable: true` becomes "or null"; vendor extensions are dropped. `closed` also forbids
 * properties the model does not declare (the models allow them, so plain validation cannot catch an
 * invented field).
 */
function convert(node: unknown, closed = false): unknown {
  if (Array.isArray(node)) return node.map((n) => convert(n, closed));
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k.startsWith("x-") || k === "example") continue;
    out[k] = convert(v, closed);
  }
  if (closed && "properties" in out && !("additionalProperties" in out)) out.additionalProperties = false;
  if ((node as Json)["x-nullable"] === true) return { anyOf: [out, { type: "null" }] };
  return out;
}

interface OperationSchemas {
  file: string;
  responses: Record<string, unknown>;
  /** As in the model file; converted when a validator is compiled. */
  definitions: unknown;
}

let index: Map<string, OperationSchemas> | null = null;
const compiled = new Map<string, ValidateFunction>();
const convertedDefinitions = new Map<string, unknown>();
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);

function operations(): Map<string, OperationSchemas> {
  if (index) return index;
  index = new Map();
  for (const file of MODEL_FILES) {
    const model = JSON.parse(readFileSync(join(MODELS_DIR, file), "utf8")) as { paths: Record<string, Record<string, Json>>; definitions: Json };
    const definitions = model.definitions;
    for (const ops of Object.values(model.paths)) {
      for (const op of Object.values(ops)) {
        if (!op || typeof op !== "object" || !("operationId" in op)) continue;
        const responses: Record<string, unknown> = {};
        for (const [status, r] of Object.entries((op.responses ?? {}) as Record<string, Json>)) responses[status] = r.schema;
        index.set(String(op.operationId), { file, responses, definitions });
      }
    }
  }
  return index;
}

/** Errors (empty = valid) of a response body for an operation and status, per the model. */
export function validateResponse(operationId: string, status: number, body: unknown, opts: { noUndeclaredProperties?: boolean } = {}): string[] {
  const op = operations().get(operationId);
  if (!op) return [`no model operation ${operationId}`];
  if (!(String(status) in op.responses)) return [`status ${status} is not documented for ${operationId}`];
  const schema = op.responses[String(status)];
  if (schema === undefined) return body === undefined || body === "" ? [] : [`${operationId} ${status} documents no body`];
  const closed = opts.noUndeclaredProperties ?? false;
  const key = `${operationId}:${status}:${closed}`;
  let validate = compiled.get(key);
  if (!validate) {
    const defsKey = `${op.file}:${closed}`;
    let definitions = convertedDefinitions.get(defsKey);
    if (!definitions) convertedDefinitions.set(defsKey, (definitions = convert(op.definitions, closed)));
    validate = ajv.compile({ definitions, ...(convert(schema, closed) as Json) });
    compiled.set(key, validate);
  }
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
}
