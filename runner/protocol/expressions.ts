// CEL expressions from function configs (trigger `expression`, cancel `if`, waitForEvent `if`,
// concurrency/singleton/idempotency keys). Parsed once and cached. A key missing from the event
// makes cel-js throw "No such key": Inngest treats that as no match, so evaluation errors are
// logged and reported as undefined.
import { parse } from "@marcbachmann/cel-js";

type Compiled = ReturnType<typeof parse>;
const cache = new Map<string, Compiled>();

export function compile(expression: string): Compiled {
  let compiled = cache.get(expression);
  if (!compiled) {
    compiled = parse(expression);
    cache.set(expression, compiled);
  }
  return compiled;
}

export function evaluateExpression(
  expression: string,
  vars: Record<string, unknown>,
  log?: (message: string) => void,
): unknown {
  try {
    return compile(expression)(vars);
  } catch (error) {
    log?.(`expression "${expression}" did not evaluate: ${String((error as Error).message).split("\n")[0]}`);
    return undefined;
  }
}

export function matches(expression: string | undefined | null, vars: Record<string, unknown>, log?: (m: string) => void) {
  if (!expression) return true;
  return evaluateExpression(expression, vars, log) === true;
}

/** A key expression's value as a stable string (bigints from CEL integer arithmetic included). */
export function keyValue(expression: string, vars: Record<string, unknown>, log?: (m: string) => void): string {
  const value = evaluateExpression(expression, vars, log);
  return JSON.stringify(value ?? null, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}
