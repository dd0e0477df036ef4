// Sending mail: over SMTP when configured (against a minimal SMTP server, the edge), into the outbox
// otherwise; and the dev launcher's outbox watcher.
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createMailer, defaultFrom, describeMailError } from "@/lib/mail/mailer";
import { formatOutboxMessage, listOutbox, saveToOutbox, watchOutbox } from "@/lib/mail/outbox";
import { uniqueEmail } from "../../support/factories";

/** Just enough SMTP to accept messages: records each envelope and its DATA. */
function smtpServer(): { server: Server; received: { from: string; to: string[]; data: string }[] } {
  const received: { from: string; to: string[]; data: string }[] = [];
  const server = createServer((socket) => {
    let buffer = "";
    let inData = false;
    let current = { from: "", to: [] as string[], data: "" };
    socket.write("220 test ESMTP\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      let index: number;
      while ((index = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 2);
        if (inData) {
          if (line === ".") {
            inData = false;
            received.push(current);
            current = { from: "", to: [], data: "" };
            socket.write("250 OK queued\r\n");
          } else current.data += line + "\n";
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") socket.write("250 test\r\n");
        else if (verb === "MAIL") (current.from = line), socket.write("250 OK\r\n");
        else if (verb === "RCPT") current.to.push(line), socket.write("250 OK\r\n");
        else if (verb === "DATA") (inData = true), socket.write("354 go ahead\r\n");
        else if (verb === "QUIT") socket.end("221 bye\r\n");
        else socket.write("250 OK\r\n");
      }
    });
  });
  return { server, received };
}

describe("mail", () => {
  const smtp = smtpServer();
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => smtp.server.listen(0, "127.0.0.1", resolve));
    port = (smtp.server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => smtp.server.close(() => resolve())));

  it("goes over SMTP when SMTP_URL is set, from MAIL_FROM", async () => {
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: "FBA Recovery <no-reply@example.test>" });
    expect(mailer.transport).toBe("smtp");
    const to = uniqueEmail("smtp");
    await mailer.send({ to, subject: "Hello", text: "A link: http://localhost:3000/reset-password?token=abc" });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.from).toContain("no-reply@example.test");
    expect(smtp.received[0]!.to.join()).toContain(to);
    expect(smtp.received[0]!.data).toContain("Subject: Hello");
    expect(await listOutbox({ to })).toEqual([]);
  });

  it("goes to the outbox without SMTP_URL", async () => {
    const mailer = createMailer({ from: "x <x@example.test>", now: () => new Date("2026-05-01T10:00:00Z") });
    expect(mailer.transport).toBe("outbox");
    const to = uniqueEmail("outbox");
    await mailer.send({ to, subject: "Reset", text: "Body" });
    expect(await listOutbox({ to })).toEqual([expect.objectContaining({ to, subject: "Reset", text: "Body", createdAt: new Date("2026-05-01T10:00:00Z") })]);
  });

  it("names the sender after APP_URL's host unless MAIL_FROM says otherwise", () => {
    expect(defaultFrom({ APP_URL: "https://app.example.com" })).toBe("FBA Recovery <no-reply@app.example.com>");
    expect(defaultFrom({ APP_URL: "https://app.example.com", MAIL_FROM: "Ops <ops@example.com>" })).toBe("Ops <ops@example.com>");
  });

  it("describes a sending failure by class and code only", () => {
    const error = Object.assign(new Error("Invalid login: 535 for user:secret@host"), { code: "EAUTH", responseCode: 535 });
    expect(describeMailError(error)).toBe("Error EAUTH 535");
  });

  it("watchOutbox hands the launcher every message written after it started", async () => {
    const printed: string[] = [];
    const watcher = watchOutbox({ databaseUrl: process.env.DATABASE_URL!, print: (text) => printed.push(text), intervalMs: 50 });
    const to = uniqueEmail("watched");
    try {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const saved = await saveToOutbox({ to, subject: "Watched", text: "Open http://localhost:3000/x" });
      await expect.poll(() => printed.filter((line) => line.includes(to)).length, { timeout: 5000 }).toBe(1);
      expect(printed.find((line) => line.includes(to))).toBe(formatOutboxMessage(saved));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(printed.filter((line) => line.includes(to))).toHaveLength(1);
    } finally {
      await watcher.stop();
      await db.mailOutbox.deleteMany({ where: { to } });
    }
  });
});
