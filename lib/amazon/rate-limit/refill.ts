// The token-bucket arithmetic in TypeScript, for the in-process bucket. postgres-bucket.ts writes the
// same two formulas once in SQL; tests/integration/amazon/postgres-bucket.test.ts holds them to the
// same numbers.

/** Tokens a bucket holds `elapsedSeconds` after it held `tokens`: refilled at rate × safety, capped at the burst. */
export function refilledTokens(tokens: number, elapsedSeconds: number, rate: number, burst: number, safety: number): number {
  return Math.min(burst, tokens + Math.max(0, elapsedSeconds) * rate * safety);
}

/** Milliseconds until a bucket holding `tokens` (negative: reserved by earlier callers) holds a whole one. */
export function msUntilToken(tokens: number, rate: number, safety: number): number {
  return (Math.max(0, 1 - tokens) / (rate * safety)) * 1000;
}
