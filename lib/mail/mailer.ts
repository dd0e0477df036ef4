// Sends the app's mail: over SMTP when SMTP_URL is set (nodemailer), into the outbox table otherwise
// (outbox.ts). Failures are reported by error class and SMTP code only: the message (a reset link)
// and the SMTP URL (credentials) never reach a log.
import nodemailer from "nodemailer";
import { env } from "../env";
import { log } from "../observability/logger";
import type { MailMessage } from "./message";
import { saveToOutbox } from "./outbox";

export type { MailMessage } from "./message";

export interface Mailer {
  /** Where messages go: "smtp" or "outbox". */
  readonly transport: "smtp" | "outbox";
  send(message: MailMessage): Promise<void>;
}

export function createMailer(config: { smtpUrl?: string; from: string; now?: () => Date }): Mailer {
  if (!config.smtpUrl) {
    return { transport: "outbox", send: async (message) => void (await saveToOutbox(message, config.now?.() ?? new Date())) };
  }
  const transporter = nodemailer.createTransport(config.smtpUrl);
  return {
    transport: "smtp",
    async send(message) {
      await transporter.sendMail({ from: config.from, to: message.to, subject: message.subject, text: message.text });
    },
  };
}

/** The sender: MAIL_FROM, or no-reply at APP_URL's host. */
export function defaultFrom(e: { MAIL_FROM?: string; APP_URL: string }): string {
  return e.MAIL_FROM ?? `FBA Recovery <no-reply@${new URL(e.APP_URL).hostname}>`;
}

let cached: Mailer | undefined;

/** The app's mailer, from the environment. */
export function mailer(): Mailer {
  if (!cached) {
    const e = env();
    cached = createMailer({ smtpUrl: e.SMTP_URL, from: defaultFrom(e) });
    if (cached.transport === "outbox" && e.NODE_ENV === "production") {
      log.warn("SMTP_URL is not set: mail is kept in the MailOutbox table and not delivered.");
    }
  }
  return cached;
}

/** A log-safe description of a sending failure: the error's class and SMTP code, nothing else. */
export function describeMailError(error: unknown): string {
  if (!(error instanceof Error)) return "unknown error";
  const { code, responseCode } = error as { code?: unknown; responseCode?: unknown };
  return [error.name, typeof code === "string" ? code : null, typeof responseCode === "number" ? String(responseCode) : null].filter(Boolean).join(" ");
}
