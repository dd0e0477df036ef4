// Rows and calls for the detection API tests: a user with a seller connection, Detection and
// DetectionSetAside rows written directly at fixed dates (no rule runs), and route calls as Next makes
// them (the route module's exported handler, a Request, the params promise).
import { expect } from "vitest";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { createUser, sellingPartnerId } from "../../support/factories";

export const day = (d: string) => new Date(`${d}T00:00:00.000Z`);

export async function newUser() {
  return createUser("detect-api");
}

export async function sellerOf(userId: string, options: { marketplaceIds?: string[]; status?: string; connectedAt?: Date } = {}) {
  return db.sellerConnection.create({
    data: {
      userId,
      sellingPartnerId: sellingPartnerId(),
      region: "NA",
      marketplaceIds: options.marketplaceIds ?? ["ATVPDKIKX0DER"],
      status: options.status ?? "connected",
      connectedAt: options.connectedAt ?? new Date("2026-01-01T00:00:00Z"),
    },
    select: { id: true },
  });
}

let n = 0;

export type DetectionInput = Partial<Omit<Prisma.DetectionUncheckedCreateInput, "sellerConnectionId">> & { value?: number };

/** A finding as a detection run stores it (R01 by default), with the dates and figures a test gives. */
export async function detection(sellerConnectionId: string, input: DetectionInput = {}) {
  const { value, ...rest } = input;
  const minor = BigInt(value ?? 1000);
  n += 1;
  return db.detection.create({
    data: {
      ruleId: "R01",
      ruleSlug: "fc-lost-unreimbursed",
      fingerprint: `X00TEST${n}:REF-${n}:2026-03-01`,
      summary: `1 unit lost at PHX7 (test ${n})`,
      sku: "SKU-A",
      fnsku: "X00TESTA",
      units: 1,
      estimatedValueMinor: minor,
      unitValueMinor: minor,
      currency: "USD",
      valueBasis: "seller-cost",
      confidence: 0.8,
      confidenceReasons: [{ code: "base", text: "Lost in the warehouse, not found or reimbursed", factor: 0.8 }],
      severity: "medium",
      claimFamily: "fc-lost",
      marketplaceId: "ATVPDKIKX0DER",
      anchorDate: day("2026-03-01"),
      eventDate: day("2026-03-01"),
      opensAt: day("2026-03-15"),
      deadline: day("2027-09-01"),
      evidence: { rows: [], facts: { lost: 1 }, valuation: { basis: "seller-cost" }, window: { policyId: "*:fc-lost" } },
      discoveredAt: new Date("2026-04-01T08:00:00.000Z"),
      lastSeenRunAt: new Date("2026-04-01T08:00:00.000Z"),
      ...rest,
      sellerConnectionId,
    },
  });
}

export async function setAside(sellerConnectionId: string, input: Partial<Omit<Prisma.DetectionSetAsideUncheckedCreateInput, "sellerConnectionId">> = {}) {
  n += 1;
  return db.detectionSetAside.create({
    data: {
      ruleId: "R01",
      ruleSlug: "fc-lost-unreimbursed",
      fingerprint: `X00SET${n}:REF-${n}:2026-03-02`,
      reasonCode: "reimbursed",
      reason: `Amazon reimbursed it 5 days after the loss: reimbursement R-${n}`,
      sku: "SKU-A",
      fnsku: "X00TESTA",
      units: 1,
      eventDate: day("2026-03-02"),
      details: {},
      runAt: new Date("2026-04-01T08:00:00.000Z"),
      ...input,
      sellerConnectionId,
    },
  });
}

type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;

export async function call(
  handler: unknown,
  path: string,
  options: { method?: string; params?: Record<string, string>; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any }> {
  const init: RequestInit = { method: options.method ?? "GET", headers: options.headers };
  if (options.raw !== undefined) init.body = options.raw;
  else if (options.body !== undefined) init.body = JSON.stringify(options.body);
  const response = await (handler as Handler)(new Request(`http://app${path}`, init), { params: Promise.resolve((options.params ?? {}) as never) });
  return { status: response.status, body: await response.json() };
}

export async function ok(handler: unknown, path: string, options: Parameters<typeof call>[2] = {}): Promise<any> {
  const { status, body } = await call(handler, path, options);
  expect(status, `${path}: ${JSON.stringify(body)}`).toBe(200);
  return body;
}
