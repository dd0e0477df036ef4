// The outbox: where mail goes when no SMTP server is configured (SMTP_URL unset), the local stand-in
// for a mailbox. /dev/outbox shows it outside production; the dev launcher can print new messages
// as they arrive (watchOutbox). Messages older than a week are dropped when a new one is written.
import { createPrismaClient, db, type Db } from "../db";
import type { MailMessage } from "./message";

const KEEP_MS = 7 * 24 * 60 * 60 * 1000;

export interface OutboxMessage extends MailMessage {
  id: string;
  createdAt: Date;
}

/** Stores one message in the outbox. */
export async function saveToOutbox(message: MailMessage, now = new Date(), client: Db = db): Promise<OutboxMessage> {
  const row = await client.mailOutbox.create({
    data: { to: message.to, subject: message.subject, text: message.text, createdAt: now },
  });
  await client.mailOutbox.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - KEEP_MS) } } });
  return row;
}

/** The newest messages first (optionally only those to one address). */
export async function listOutbox(options: { to?: string; limit?: number } = {}, client: Db = db): Promise<OutboxMessage[]> {
  return client.mailOutbox.findMany({
    where: options.to ? { to: options.to } : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(options.limit ?? 50, 1), 500),
  });
}

/** A message as plain text for a terminal. */
export function formatOutboxMessage(message: OutboxMessage): string {
  return [`--- mail to ${message.to} (${message.createdAt.toISOString()})`, `Subject: ${message.subject}`, "", message.text.trimEnd(), "---"].join("\n");
}

/**
 * For the dev launcher: polls the outbox of the database at `databaseUrl` and hands every message
 * written after the call to `print` (formatted by formatOutboxMessage, and the row itself). Returns stop().
 */
export function watchOutbox(options: {
  databaseUrl: string;
  print: (text: string, message: OutboxMessage) => void;
  intervalMs?: number;
}): { stop: () => Promise<void> } {
  const client = createPrismaClient(options.databaseUrl, { max: 1 });
  let since = new Date();
  const seen = new Set<string>();
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const poll = async () => {
    try {
      const rows = await client.mailOutbox.findMany({ where: { createdAt: { gte: since } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: 100 });
      for (const row of rows) {
        if (seen.has(row.id)) continue;
        seen.add(row.id);
        options.print(formatOutboxMessage(row), row);
      }
      const last = rows.at(-1);
      if (last && last.createdAt > since) {
        since = last.createdAt;
        for (const row of rows) if (row.createdAt < since) seen.delete(row.id);
      }
    } catch {
      // The database may be starting or stopping; the next poll tries again.
    }
  };
  const timer = setInterval(() => {
    if (!stopped) running = running.then(poll);
  }, options.intervalMs ?? 1000);
  timer.unref?.();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await client.$disconnect();
    },
  };
}
