// Event ids. The SDK sends no id but an `x-inngest-event-id-seed` header ("<ms>,<base64 of 10
// random bytes>") that stays the same across its send retries; building the ULID from that seed
// (plus the index in the batch) makes a retried send produce the same ids, so it is deduplicated.
import { createHash } from "node:crypto";
import { ulid } from "ulid";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function encodeUlid(value: bigint): string {
  let n = value;
  let out = "";
  for (let i = 0; i < 26; i++) {
    out = CROCKFORD[Number(n & 31n)] + out;
    n >>= 5n;
  }
  return out;
}

/** The id of the `index`-th event of a send carrying this seed, or null if the seed is malformed. */
export function eventIdFromSeed(seed: string, index: number): string | null {
  const match = /^(\d{1,15}),([A-Za-z0-9+/=]+)$/.exec(seed.trim());
  if (!match) return null;
  const entropy = Buffer.from(match[2] ?? "", "base64");
  if (entropy.length !== 10) return null;
  const random = (BigInt(`0x${entropy.toString("hex")}`) + BigInt(index)) & ((1n << 80n) - 1n);
  return encodeUlid((BigInt(match[1] ?? "0") << 80n) | random);
}

/** A deterministic ULID for a value (cron ticks): same tick and function, same id. */
export function deterministicUlid(timeMs: number, key: string): string {
  const entropy = BigInt(`0x${createHash("sha256").update(key).digest("hex").slice(0, 20)}`);
  return encodeUlid((BigInt(timeMs) << 80n) | entropy);
}

export function newId(): string {
  return ulid();
}
