// Accounts and rows for the account tests, written straight into the e2e database (E2E_DATABASE_URL):
// creating them through the sign-up form would spend the per-address sign-up limit every test shares.
import { hash } from "@node-rs/argon2";
import { randomUUID } from "node:crypto";
import pg from "pg";

export async function withDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A user with this password, as sign-up would create it (argon2id hash). */
export async function createAccount(prefix: string, password: string): Promise<{ id: string; email: string }> {
  const email = `${prefix}-${randomUUID()}@example.test`;
  const id = `e2e${randomUUID().replace(/-/g, "")}`;
  const passwordHash = await hash(password);
  await withDatabase((client) =>
    client.query(`INSERT INTO "User" ("id", "email", "passwordHash", "createdAt", "updatedAt") VALUES ($1, $2, $3, now(), now())`, [id, email, passwordHash]),
  );
  return { id, email };
}

/** The newest message in the outbox to `email` (SMTP_URL is unset in e2e, so mail goes there). */
export async function newestMail(email: string): Promise<{ subject: string; text: string } | undefined> {
  const { rows } = await withDatabase((client) =>
    client.query<{ subject: string; text: string }>(`SELECT "subject", "text" FROM "MailOutbox" WHERE "to" = $1 ORDER BY "createdAt" DESC LIMIT 1`, [email]),
  );
  return rows[0];
}
