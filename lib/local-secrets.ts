// Secrets for the embedded (local) setup: generated once into .data/secrets.json with 0600
// permissions, so a fresh clone runs with no configuration and no secret is ever committed.
// Production never reaches this: there every secret must come from the environment.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface LocalSecrets {
  authSecret: string;
  /** `kid:base64key` pairs for the token cipher, newest first. */
  tokenEncryptionKeys: string;
}

/** The secrets in `dir`/secrets.json, created there on first use. lib/env.ts passes DATA_DIR. */
export function loadOrCreateLocalSecrets(dir: string): LocalSecrets {
  const file = path.join(dir, "secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as LocalSecrets;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secrets: LocalSecrets = {
    authSecret: randomBytes(32).toString("base64url"),
    tokenEncryptionKeys: `local1:${randomBytes(32).toString("base64")}`,
  };
  // `wx` fails if another process created the file first; then read theirs.
  try {
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return JSON.parse(readFileSync(file, "utf8")) as LocalSecrets;
    throw error;
  }
  chmodSync(file, 0o600);
  return secrets;
}
