// Request signing as Inngest Cloud does it: `x-inngest-signature: t=<unix s>&s=<hex>` with
// s = HMAC-SHA256(key without its `signkey-<env>-` prefix, body + t), over RFC 8785 canonical JSON
// because the SDK re-serialises the parsed body canonically before checking.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import canonicalize from "canonicalize";

const PREFIX = /^signkey-\w+-/;

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error("Value cannot be serialised as canonical JSON");
  return text;
}

function hmacHex(signingKey: string, data: string): string {
  return createHmac("sha256", signingKey.replace(PREFIX, "")).update(data).digest("hex");
}

export function signatureHeader(signingKey: string, body: string, now: Date): string {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t}&s=${hmacHex(signingKey, body + t)}`;
}

/** True when the header was made with one of the keys over this body within `maxAgeMs`. */
export function verifySignature(
  header: string | null | undefined,
  body: string,
  keys: string[],
  now: Date,
  maxAgeMs = 5 * 60_000,
): boolean {
  if (!header) return false;
  const params = new URLSearchParams(header);
  const t = params.get("t");
  const s = params.get("s");
  if (!t || !s || !/^\d+$/.test(t)) return false;
  if (Math.abs(now.getTime() - Number(t) * 1000) > maxAgeMs) return false;
  return keys.some((key) => {
    const expected = Buffer.from(hmacHex(key, body + t));
    const given = Buffer.from(s);
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

/** What the SDK sends as `Authorization: Bearer ...`: the prefix kept, the hex key's bytes hashed. */
export function hashedSigningKey(signingKey: string): string {
  const prefix = PREFIX.exec(signingKey)?.[0] ?? "";
  return prefix + createHash("sha256").update(Buffer.from(signingKey.replace(PREFIX, ""), "hex")).digest("hex");
}
