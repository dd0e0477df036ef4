// Claim windows (detection.md §1): the versioned ClaimWindowPolicy table, the row valid on a
// detection's anchor date, the window it gives (opensAt, deadline), and the status and days remaining
// a reader sees. Nothing here reads the clock: `now` is passed in (tests pin it).
import type { Db } from "../db";
import { policyLevels } from "./marketplaces";
import type { ClaimFamily } from "./types";

export interface WindowPolicy {
  id: string;
  marketplaceId: string;
  claimFamily: string;
  /** YYYY-MM-DD */
  effectiveFrom: string;
  opensAfterDays: number;
  closesAfterDays: number | null;
  anchor: string;
  verify: boolean;
  note: string;
}

export interface ClaimWindow {
  policyId: string;
  /** YYYY-MM-DD, UTC calendar days. */
  opensAt: string;
  deadline: string | null;
  verify: boolean;
  note: string;
}

/** Amazon's policy warns against late, rushed claims: aim to file this many days before the deadline. */
export const FILE_BY_SAFETY_DAYS = 7;

const DAY_MS = 86_400_000;

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
}

/** Whole calendar days from `from` to `to` (YYYY-MM-DD or Dates, UTC). */
export function daysBetween(from: string | Date, to: string | Date): number {
  const a = Date.parse(`${typeof from === "string" ? from : isoDay(from)}T00:00:00Z`);
  const b = Date.parse(`${typeof to === "string" ? to : isoDay(to)}T00:00:00Z`);
  return Math.round((b - a) / DAY_MS);
}

export async function loadWindowPolicies(db: Db): Promise<WindowPolicy[]> {
  const rows = await db.claimWindowPolicy.findMany({ orderBy: [{ marketplaceId: "asc" }, { claimFamily: "asc" }, { effectiveFrom: "asc" }] });
  return rows.map((r) => ({
    id: r.id,
    marketplaceId: r.marketplaceId,
    claimFamily: r.claimFamily,
    effectiveFrom: isoDay(r.effectiveFrom),
    opensAfterDays: r.opensAfterDays,
    closesAfterDays: r.closesAfterDays,
    anchor: r.anchor,
    verify: r.verify,
    note: r.note,
  }));
}

/**
 * The policy for a marketplace, family and anchor day: at the most specific level that has rows for
 * the family (the marketplace id, its group, "*"), the row with the latest effectiveFrom on or before
 * the anchor. A level whose rows all start after the anchor gives way to the next one.
 */
export function policyFor(policies: readonly WindowPolicy[], marketplaceId: string, family: ClaimFamily, anchorDay: string): WindowPolicy | null {
  for (const level of policyLevels(marketplaceId)) {
    const rows = policies.filter((p) => p.marketplaceId === level && p.claimFamily === family);
    if (rows.length === 0) continue;
    const valid = rows.filter((p) => p.effectiveFrom <= anchorDay).sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1));
    if (valid[0]) return valid[0];
  }
  return null;
}

export function windowFor(policy: WindowPolicy, anchorDay: string): ClaimWindow {
  return {
    policyId: policy.id,
    opensAt: addDays(anchorDay, policy.opensAfterDays),
    deadline: policy.closesAfterDays === null ? null : addDays(anchorDay, policy.closesAfterDays),
    verify: policy.verify,
    note: policy.note,
  };
}

/** Statuses stored on a Detection; `waiting` and `expired` are derived from them and the clock. */
export const STORED_STATUSES = ["pending", "reviewed", "filed", "disputed", "resolved", "dismissed"] as const;
export type StoredStatus = (typeof STORED_STATUSES)[number];
export type DerivedStatus = StoredStatus | "waiting" | "expired";

/**
 * What a reader sees: a finding still open for filing (pending, reviewed) is `waiting` before its
 * window opens and `expired` after its deadline (kept, shown as value lost to the window, never offered
 * for filing). Filed, disputed, resolved and dismissed findings keep their status.
 */
export function derivedStatus(status: string, opensAt: string | Date, deadline: string | Date | null, now: Date): DerivedStatus {
  const stored = (STORED_STATUSES as readonly string[]).includes(status) ? (status as StoredStatus) : "pending";
  if (stored !== "pending" && stored !== "reviewed") return stored;
  const today = isoDay(now);
  const opens = typeof opensAt === "string" ? opensAt : isoDay(opensAt);
  if (today < opens) return "waiting";
  if (deadline !== null) {
    const closes = typeof deadline === "string" ? deadline : isoDay(deadline);
    if (today > closes) return "expired";
  }
  return stored;
}

/** Days left to the deadline (0 on the deadline day, negative after it); null without a deadline. */
export function daysRemaining(deadline: string | Date | null, now: Date): number | null {
  if (deadline === null) return null;
  return daysBetween(now, deadline);
}

/** Days until the window opens (0 or less once open). */
export function daysUntilOpen(opensAt: string | Date, now: Date): number {
  return daysBetween(now, opensAt);
}

/** The day to file by: the deadline less the safety margin (never before the window opens). */
export function fileBy(opensAt: string, deadline: string | null): string | null {
  if (deadline === null) return null;
  const target = addDays(deadline, -FILE_BY_SAFETY_DAYS);
  return target < opensAt ? deadline : target;
}
