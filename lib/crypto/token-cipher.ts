// AES-256-GCM envelope for secrets at rest (LWA refresh tokens). Every value names the key that sealed
// it, so keys can rotate: encrypt with `current`, decrypt with whichever key the value names.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export interface Keyring {
  /** Key id used for new encryptions. */
  current: string;
  /** Every key still needed to read stored values, by id. Each key is 32 bytes. */
  keys: Record<string, Buffer>;
}

export class TokenCipherError extends Error {
  override name = "TokenCipherError";
  constructor(
    readonly code: "malformed" | "unknown_key" | "bad_key" | "auth_failed",
    message: string,
  ) {
    super(message);
  }
}

const FORMAT_VERSION = "v1";
const IV_BYTES = 12; // GCM's standard nonce size; random per value.
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

function keyFor(keyring: Keyring, keyId: string): Buffer {
  const key = Object.prototype.hasOwnProperty.call(keyring.keys, keyId) ? keyring.keys[keyId] : undefined;
  if (!key) throw new TokenCipherError("unknown_key", `No key with id "${keyId}" in the keyring`);
  if (key.length !== 32) throw new TokenCipherError("bad_key", `Key "${keyId}" must be 32 bytes, got ${key.length}`);
  return key;
}

/** Binds the key id and format version into the GCM tag, so a value cannot be relabelled to another key. */
function aad(keyId: string): Buffer {
  return Buffer.from(`${FORMAT_VERSION}:${keyId}`, "utf8");
}

/** Returns `v1:<keyId>:<iv b64>:<tag b64>:<ciphertext b64>`. */
export function encrypt(plaintext: string, keyring: Keyring): string {
  const keyId = keyring.current;
  if (!KEY_ID.test(keyId)) throw new TokenCipherError("bad_key", "Key ids may only hold letters, digits, _ and -");
  const key = keyFor(keyring, keyId);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(keyId));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [FORMAT_VERSION, keyId, iv.toString("base64"), tag.toString("base64"), body.toString("base64")].join(":");
}

export function decrypt(ciphertext: string, keyring: Keyring): string {
  const parts = ciphertext.split(":");
  if (parts.length !== 5 || parts[0] !== FORMAT_VERSION) {
    throw new TokenCipherError("malformed", "Not a v1 token-cipher value");
  }
  const [, keyId, ivB64, tagB64, bodyB64] = parts as [string, string, string, string, string];
  if (!KEY_ID.test(keyId)) throw new TokenCipherError("malformed", "Bad key id in token-cipher value");
  const iv = Buffer.from(ivB64, "base64");
  const tag = Buffer.from(tagB64, "base64");
  const body = Buffer.from(bodyB64, "base64");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new TokenCipherError("malformed", "Bad IV or tag length in token-cipher value");
  }
  const key = keyFor(keyring, keyId);
  const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad(keyId));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  } catch {
    // GCM reports tampering and a wrong key the same way; say which key was tried, never the data.
    throw new TokenCipherError("auth_failed", `Value failed authentication with key "${keyId}" (tampered or wrong key)`);
  }
}

/** True when the value was sealed with a key other than the current one (re-encrypt it on next write). */
export function needsReencryption(ciphertext: string, keyring: Keyring): boolean {
  return ciphertext.split(":")[1] !== keyring.current;
}

/** Parses a keyring from `keyId:base64key,keyId:base64key` (first = current), the shape an env var can hold. */
export function parseKeyring(spec: string, current?: string): Keyring {
  const keys: Record<string, Buffer> = {};
  let first: string | undefined;
  for (const entry of spec.split(",").map((s) => s.trim()).filter(Boolean)) {
    const idx = entry.indexOf(":");
    if (idx <= 0) throw new TokenCipherError("malformed", "Keyring entries look like <keyId>:<base64 32-byte key>");
    const id = entry.slice(0, idx);
    if (!KEY_ID.test(id)) throw new TokenCipherError("bad_key", "Key ids may only hold letters, digits, _ and -");
    const key = Buffer.from(entry.slice(idx + 1), "base64");
    if (key.length !== 32) throw new TokenCipherError("bad_key", `Key "${id}" must decode to 32 bytes, got ${key.length}`);
    keys[id] = key;
    first ??= id;
  }
  const cur = current ?? first;
  if (!cur || !keys[cur]) throw new TokenCipherError("unknown_key", "Keyring has no current key");
  return { current: cur, keys };
}
