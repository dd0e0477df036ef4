// Detection quality against the sandbox's ground truth: what `npm run eval:detection` and
// tests/integration/detection/eval.test.ts share. One seed = a sandbox seller generated from that seed,
// synced for real (sandbox over HTTP, the app's Inngest functions, the embedded runner; the sync invokes
// detect-discrepancies as in production), then the seller's findings read back and compared with the
// ground truth the sandbox wrote (<dataDir>/<sellerId>/ground-truth.jsonl). The seller's sourcing
// costs are entered first (as a seller does), and after the sync the same full detection run is
// repeated on the world's end day, the truth's own clock (the sandbox's clock runs on during the sync).
//
// Matching a finding to a truth record: the same rule, and each key of the rule's fingerprint in
// detection.md §4 that the truth record carries (R01/R02 FNSKU + reference id + date, R03 shipment +
// FNSKU, R04 order + SKU, R05 order + LPN, R07 original order + SKU, R08/R16 reimbursement id, R14
// removal order + FNSKU, R15 FNSKU + reference id; a rule without one: every identifying key, i.e.
// FNSKU, SKU, reference id, date, order id, order item, LPN, shipment id, removal order id,
// reimbursement id, fee type) equals one of the finding's identifiers: its columns
// (fnsku, sku, orderId, shipmentId, referenceId, reimbursementId, removalOrderId, asin, the event and
// anchor day) or a segment of its fingerprint (detection.md's dedupe key, e.g. FNSKU:ReferenceID:Date,
// Order:LPN). Keys that describe rather than identify (a reason code, a tracking number, the FC a
// transfer left, the returned FNSKU, a fee episode) are not compared. One truth record may be matched
// by several findings (one loss split over two ledger rows): it is found once; every finding counts.
//
// Counting, per rule and overall:
// - a finding matched to a claim is a true positive; a claim matched by no finding is a miss;
// - a finding matched to a control (a look-alike the sandbox planted, e.g. a loss found again on the
//   same FNSKU) is a false positive, and the control is listed as "fired"; a finding matched to nothing
//   in the truth is a false positive too ("unplanted");
// - waiting and expired claims count like open ones: a finding of them is a true positive, and its
//   status (derived on the world's end day: waiting before the window opens, expired after the deadline)
//   is compared with the truth's for the status agreement figure;
// - a waiting claim that a rule holds back as "too early" (a set-aside with a recheck day: Amazon may
//   still pay, or the window has not opened) counts as found with status waiting; the figure
//   "held as waiting" says how many were found that way rather than as a waiting finding;
// - values: for each found claim with an expected value, the relative error |found - expected| /
//   expected of the sum of its findings' estimated values; mean and how many within 10 %.
// Precision = TP / (TP + FP) over findings; recall = found claims / claims. Rules not built yet, and
// rules the data cannot support, are reported as such with their truth counts, not dropped.
import { readFile } from "node:fs/promises";
import type { GroundTruthRecord } from "../../sandbox/server";

export const GOALS = { precision: 0.95, recall: 0.9, perRule: 0.8, withinTenPct: 1 } as const;
/** The end instant of every evaluated world (sandbox/test-support/harness.ts WORLD_END): same data every day. */
export const EVAL_WORLD_END = "2026-06-15T12:00:00.000Z";

export interface FindingRow {
  id: string;
  ruleId: string;
  fingerprint: string;
  summary: string;
  identifiers: string[];
  units: number;
  estimatedValueMinor: number;
  /** Derived on the world's end day: waiting, expired, or the stored status. */
  status: string;
}

export interface SeedSample {
  seed: number;
  truth: GroundTruthRecord[];
  findings: FindingRow[];
  /** Per rule: built (supported), pending (not built yet) or data (the data cannot support it). */
  ruleStatus: Record<string, "built" | "pending" | "data">;
  /** Candidates set aside until their window opens or Amazon's payout delay passes (too-early, with a recheck day). */
  held: FindingRow[];
  syncMs: number;
  ledgerRows: number;
  /** What the sync's own detection reported (SyncRun.message), before the rerun on the world's end day. */
  syncDetection: string;
}

/** Truth keys that identify the record (compared); the others only describe it. */
const IDENTIFYING_KEYS = new Set(["fnsku", "sku", "referenceId", "date", "orderId", "originalOrderId", "orderItemId", "lpn", "shipmentId", "removalOrderId", "reimbursementId", "feeType", "asin"]);
/** Per rule, the keys of detection.md's fingerprint for it (§4); other rules compare every identifying key. */
const FINGERPRINT_KEYS: Record<string, readonly string[]> = {
  R01: ["fnsku", "referenceId", "date"],
  R02: ["fnsku", "referenceId", "date"],
  R03: ["shipmentId", "fnsku"],
  R04: ["orderId", "sku"],
  R05: ["orderId", "lpn"],
  R06: ["fnsku", "lpn"],
  R07: ["originalOrderId", "sku"],
  R08: ["reimbursementId"],
  R09: ["orderId", "orderItemId"],
  R10: ["orderId", "sku"],
  R12: ["orderId", "feeType"],
  R14: ["removalOrderId", "fnsku"],
  R15: ["fnsku", "referenceId"],
  R16: ["reimbursementId"],
  R17: ["fnsku"],
};

export function identifyingKeys(rec: GroundTruthRecord): [string, string][] {
  const keys = Object.entries(rec.keys).filter(([k]) => IDENTIFYING_KEYS.has(k));
  const fp = FINGERPRINT_KEYS[rec.rule];
  const own = fp ? keys.filter(([k]) => fp.includes(k)) : [];
  return own.length > 0 ? own : keys;
}

export function matches(rec: GroundTruthRecord, f: FindingRow): boolean {
  if (rec.rule !== f.ruleId) return false;
  const ids = new Set(f.identifiers);
  const keys = identifyingKeys(rec);
  return keys.length > 0 && keys.every(([, v]) => ids.has(v));
}

export async function readGroundTruth(path: string): Promise<GroundTruthRecord[]> {
  const text = await readFile(path, "utf8");
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as GroundTruthRecord);
}

/** The seller's findings (open statuses) with every identifier they carry, status derived on `now`. */
export async function readFindings(sellerConnectionId: string, now: Date): Promise<FindingRow[]> {
  const { db } = await import("../../lib/db");
  const { derivedStatus, isoDay } = await import("../../lib/detection/windows");
  const rows = await db.detection.findMany({ where: { sellerConnectionId, status: { notIn: ["resolved", "dismissed"] } }, orderBy: { id: "asc" } });
  return rows.map((d) => ({
    id: d.id,
    ruleId: d.ruleId,
    fingerprint: d.fingerprint,
    summary: d.summary,
    identifiers: [
      d.fnsku,
      d.sku,
      d.asin,
      d.orderId,
      d.shipmentId,
      d.referenceId,
      d.reimbursementId,
      d.removalOrderId,
      isoDay(d.eventDate),
      isoDay(d.anchorDate),
      ...d.fingerprint.split(":"),
    ].filter((v): v is string => typeof v === "string" && v !== ""),
    units: d.units,
    estimatedValueMinor: Number(d.estimatedValueMinor),
    status: derivedStatus(d.status, d.opensAt, d.deadline, now),
  }));
}

/** The candidates a rule holds until their window opens (set aside as too early, with a recheck day). */
export async function readHeld(sellerConnectionId: string): Promise<FindingRow[]> {
  const { db } = await import("../../lib/db");
  const { isoDay } = await import("../../lib/detection/windows");
  const rows = await db.detectionSetAside.findMany({ where: { sellerConnectionId, reasonCode: "too-early" }, orderBy: { id: "asc" } });
  return rows.map((d) => ({
    id: d.id,
    ruleId: d.ruleId,
    fingerprint: d.fingerprint,
    summary: d.reason,
    identifiers: [d.fnsku, d.sku, d.asin, d.orderId, d.shipmentId, d.referenceId, d.reimbursementId, d.removalOrderId, d.eventDate ? isoDay(d.eventDate) : null, ...d.fingerprint.split(":")].filter(
      (v): v is string => typeof v === "string" && v !== "",
    ),
    units: d.units,
    estimatedValueMinor: 0,
    status: "waiting",
  }));
}

export async function ruleStatuses(): Promise<SeedSample["ruleStatus"]> {
  const { RULES } = await import("../../lib/detection/rules");
  return Object.fromEntries(RULES.map((r) => [r.id, r.supported ? "built" : r.blockedBy]));
}

/**
 * The seller's own sourcing costs, entered as a seller does (a CSV upload, with invoices), from the
 * sandbox's catalogue endpoint: the seller-provided data SP-API does not carry (detection.md §2).
 * Without them every pre-order loss after 2025-03-31 falls back to an estimate and R08 (c) cannot run.
 */
export async function enterUnitCosts(sandboxUrl: string, sellerConnectionId: string, sellingPartnerId: string): Promise<number> {
  const { db } = await import("../../lib/db");
  const res = await fetch(new URL(`/__sandbox/sellers/${sellingPartnerId}/catalog`, sandboxUrl));
  if (!res.ok) throw new Error(`the sandbox's catalogue answered ${res.status}`);
  const catalog = (await res.json()) as { currency: string; skus: { sku: string; sourcingCostMinor: number }[] };
  await db.skuUnitCost.createMany({
    data: catalog.skus.map((k) => ({ sellerConnectionId, sku: k.sku, unitCostMinor: BigInt(k.sourcingCostMinor), currency: catalog.currency, source: "csv", hasInvoice: true })),
    skipDuplicates: true,
  });
  return catalog.skus.length;
}

/**
 * One seed through the whole pipeline in this process: sandbox (small seller, pinned world end), sync
 * stack, historical sync (detection invoked by it), findings read back. The caller gives the process a
 * database of its own first (tests/support/own-database.ts) and runs one seed per process: the app's
 * environment is read once.
 */
export async function runSeed(seed: number, options: { size?: "small" | "large"; log?: (line: string) => void; onSynced?: (sellerConnectionId: string) => Promise<void> } = {}): Promise<SeedSample> {
  const { startSyncStack } = await import("../../tests/support/sync-stack");
  const stack = await startSyncStack({ sandbox: { seed, size: options.size ?? "small", startTime: EVAL_WORLD_END } });
  try {
    const { db } = await import("../../lib/db");
    const seller = await stack.connectSeller(0);
    const truth = await readGroundTruth(stack.sandbox.groundTruthPath(seller.sellingPartnerId));
    await enterUnitCosts(stack.sandbox.url, seller.sellerConnectionId, seller.sellingPartnerId);
    const started = Date.now();
    const runId = await stack.requestSync(seller.sellerConnectionId, `eval-detection:${seed}:${seller.sellerConnectionId}`, {
      asOf: stack.sandbox.clock.now().toISOString(),
      timeoutMs: 900_000,
    });
    // The sync's last step invokes detection and waits for it; its SyncRun closes after.
    await stack.waitForRunnerIdle(600_000);
    const syncMs = Date.now() - started;
    const run = await db.syncRun.findUniqueOrThrow({ where: { id: runId } });
    if (run.status !== "completed") throw new Error(`seed ${seed}: the sync ended ${run.status}: ${run.message}`);
    const counts = (run.counts ?? {}) as Record<string, number>;
    options.log?.(`seed ${seed}: synced ${Object.values(counts).reduce((a, b) => a + b, 0)} rows in ${(syncMs / 1000).toFixed(0)} s; ${run.message}`);
    await options.onSynced?.(seller.sellerConnectionId);
    // The sync's detection ran on Amazon's clock, which the time-scaled sandbox moves on by hours per
    // real minute; the truth is as of the world's end. Its results are cleared and the same full run is
    // repeated on the world's end day, so a control that turns claimable a day later stays a control.
    await db.detection.deleteMany({ where: { sellerConnectionId: seller.sellerConnectionId } });
    await db.detectionSetAside.deleteMany({ where: { sellerConnectionId: seller.sellerConnectionId } });
    const { runDetection } = await import("../../lib/detection/run-detection");
    await runDetection({ sellerConnectionId: seller.sellerConnectionId, mode: "full", now: new Date(EVAL_WORLD_END) });
    const findings = await readFindings(seller.sellerConnectionId, new Date(EVAL_WORLD_END));
    const held = await readHeld(seller.sellerConnectionId);
    return {
      seed,
      truth,
      findings,
      held,
      ruleStatus: await ruleStatuses(),
      syncMs,
      ledgerRows: Object.values(counts).reduce((a, b) => a + b, 0),
      syncDetection: run.message ?? "",
    };
  } finally {
    await stack.close();
  }
}

export interface RuleFigures {
  rule: string;
  status: "built" | "pending" | "data";
  claims: number;
  controls: number;
  found: number;
  /** Waiting claims found only as a candidate held until its window opens (a set-aside, not a finding). */
  held: number;
  findings: number;
  truePositives: number;
  falsePositives: number;
  precision: number | null;
  recall: number | null;
  statusAgree: number;
  statusCompared: number;
  valued: number;
  withinTenPct: number;
  meanRelError: number | null;
  controlsFired: string[];
  unplanted: string[];
  missed: string[];
  offValue: string[];
  statusOff: string[];
}

export interface Evaluation {
  seeds: number[];
  rules: RuleFigures[];
  overall: Omit<RuleFigures, "rule" | "status" | "controlsFired" | "unplanted" | "missed" | "offValue" | "statusOff">;
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

export function evaluate(samples: SeedSample[]): Evaluation {
  const ruleIds = [...new Set(samples.flatMap((s) => [...Object.keys(s.ruleStatus), ...s.truth.map((t) => t.rule), ...s.findings.map((f) => f.ruleId)]))].sort();
  const rules: RuleFigures[] = [];
  for (const rule of ruleIds) {
    const r: RuleFigures = {
      rule,
      status: samples[0]?.ruleStatus[rule] ?? "built",
      claims: 0,
      controls: 0,
      found: 0,
      held: 0,
      findings: 0,
      truePositives: 0,
      falsePositives: 0,
      precision: null,
      recall: null,
      statusAgree: 0,
      statusCompared: 0,
      valued: 0,
      withinTenPct: 0,
      meanRelError: null,
      controlsFired: [],
      unplanted: [],
      missed: [],
      offValue: [],
      statusOff: [],
    };
    let relSum = 0;
    for (const s of samples) {
      const truth = s.truth.filter((t) => t.rule === rule);
      const findings = s.findings.filter((f) => f.ruleId === rule);
      r.claims += truth.filter((t) => t.kind === "claim").length;
      r.controls += truth.filter((t) => t.kind === "control").length;
      r.findings += findings.length;
      const byClaim = new Map<GroundTruthRecord, FindingRow[]>();
      for (const f of findings) {
        const hits = truth.filter((t) => matches(t, f));
        const claims = hits.filter((t) => t.kind === "claim");
        if (claims.length > 0) {
          r.truePositives++;
          for (const c of claims) byClaim.set(c, [...(byClaim.get(c) ?? []), f]);
        } else {
          r.falsePositives++;
          const control = hits.find((t) => t.kind === "control");
          if (control) r.controlsFired.push(`seed ${s.seed} ${control.variant} ${JSON.stringify(control.keys)} <- ${f.fingerprint}: ${f.summary}`);
          else r.unplanted.push(`seed ${s.seed} ${f.fingerprint} (${f.status}): ${f.summary}`);
        }
      }
      for (const t of truth.filter((x) => x.kind === "claim")) {
        const fs = byClaim.get(t);
        if (!fs && t.status === "waiting" && (s.held ?? []).some((h) => matches(t, h))) {
          r.found++;
          r.held++;
          r.statusCompared++;
          r.statusAgree++;
          continue;
        }
        if (!fs) {
          r.missed.push(`seed ${s.seed} ${t.variant} ${t.status} ${JSON.stringify(t.keys)} qty ${t.quantity} value ${t.expectedValueMinor}${t.note ? ` (${t.note})` : ""}`);
          continue;
        }
        r.found++;
        // One status for the claim: its findings' if they agree, else "mixed".
        const statuses = [...new Set(fs.map((f) => (f.status === "pending" || f.status === "reviewed" ? "open" : f.status)))];
        r.statusCompared++;
        if (statuses.length === 1 && statuses[0] === t.status) r.statusAgree++;
        else r.statusOff.push(`seed ${s.seed} ${t.variant} ${JSON.stringify(t.keys)}: truth ${t.status}, found ${statuses.join("/")}`);
        if (t.expectedValueMinor > 0) {
          const value = fs.reduce((a, f) => a + f.estimatedValueMinor, 0);
          const rel = Math.abs(value - t.expectedValueMinor) / t.expectedValueMinor;
          r.valued++;
          relSum += rel;
          if (rel <= 0.1) r.withinTenPct++;
          else r.offValue.push(`seed ${s.seed} ${t.variant} ${JSON.stringify(t.keys)}: expected ${t.expectedValueMinor}, found ${value} (${fs.map((f) => f.fingerprint).join(", ")}) ${(rel * 100).toFixed(0)} %`);
        }
      }
    }
    r.precision = ratio(r.truePositives, r.truePositives + r.falsePositives);
    r.recall = ratio(r.found, r.claims);
    r.meanRelError = r.valued > 0 ? relSum / r.valued : null;
    rules.push(r);
  }
  const built = rules.filter((r) => r.status === "built");
  const sum = (k: keyof RuleFigures) => built.reduce((a, r) => a + (r[k] as number), 0);
  const valued = sum("valued");
  const relTotal = built.reduce((a, r) => a + (r.meanRelError ?? 0) * r.valued, 0);
  const tp = sum("truePositives");
  const fp = sum("falsePositives");
  return {
    seeds: samples.map((s) => s.seed),
    rules,
    overall: {
      claims: sum("claims"),
      controls: sum("controls"),
      found: sum("found"),
      held: sum("held"),
      findings: sum("findings"),
      truePositives: tp,
      falsePositives: fp,
      precision: ratio(tp, tp + fp),
      recall: ratio(sum("found"), sum("claims")),
      statusAgree: sum("statusAgree"),
      statusCompared: sum("statusCompared"),
      valued,
      withinTenPct: sum("withinTenPct"),
      meanRelError: valued > 0 ? relTotal / valued : null,
    },
  };
}

const pct = (x: number | null) => (x === null ? "  -  " : x.toFixed(2).padStart(5));

/** The report `npm run eval:detection` prints: per rule, overall beside the goals, then the cases. */
export function formatEvaluation(e: Evaluation): string {
  const out: string[] = [];
  out.push(`eval:detection — seeds ${e.seeds.join(", ")}, small sandbox seller, world end ${EVAL_WORLD_END}`);
  out.push("");
  out.push("rule  claims ctrls findings  TP  FP  precision recall  status   values<=10%  mean rel err");
  const line = (name: string, r: Evaluation["overall"]) =>
    `${name.padEnd(5)} ${String(r.claims).padStart(6)} ${String(r.controls).padStart(5)} ${String(r.findings).padStart(8)} ${String(r.truePositives).padStart(3)} ${String(r.falsePositives).padStart(3)}  ${pct(r.precision).padStart(9)} ${pct(r.recall).padStart(6)}  ${`${r.statusAgree}/${r.statusCompared}`.padStart(6)}   ${`${r.withinTenPct}/${r.valued}`.padStart(11)}  ${r.meanRelError === null ? "-" : `${(r.meanRelError * 100).toFixed(1)} %`}`;
  const built = e.rules.filter((r) => r.status === "built");
  for (const r of built) out.push(line(r.rule, r));
  out.push(line("all", e.overall));
  out.push("");
  const o = e.overall;
  const lowRules = built.filter((r) => (r.claims > 0 && (r.recall ?? 0) < GOALS.perRule) || (r.findings > 0 && (r.precision ?? 0) < GOALS.perRule));
  const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
  out.push(`overall precision ${pct(o.precision)}   goal >= ${GOALS.precision}  ${verdict((o.precision ?? 0) >= GOALS.precision)}`);
  out.push(`overall recall    ${pct(o.recall)}   goal >= ${GOALS.recall}  ${verdict((o.recall ?? 0) >= GOALS.recall)}`);
  out.push(`rules below ${GOALS.perRule}   ${lowRules.length === 0 ? "none" : lowRules.map((r) => `${r.rule} (p ${pct(r.precision).trim()}, r ${pct(r.recall).trim()})`).join(", ")}   goal none  ${verdict(lowRules.length === 0)}`);
  out.push(`values within 10% ${o.withinTenPct}/${o.valued}   goal all  ${verdict(o.withinTenPct === o.valued)}   (mean relative error ${o.meanRelError === null ? "-" : `${(o.meanRelError * 100).toFixed(1)} %`})`);
  out.push(`status agreement  ${o.statusAgree}/${o.statusCompared} (waiting/open/expired of the found claims, on the world's end day)`);
  out.push(`held as waiting   ${o.held} of the ${o.found} found claims are waiting ones the rule holds as "too early" (recheck day set) rather than a waiting finding`);
  out.push("");
  const notBuilt = e.rules.filter((r) => r.status !== "built");
  out.push("not evaluated (no findings expected from them yet):");
  for (const r of notBuilt) out.push(`  ${r.rule}  ${r.status === "pending" ? "not built yet" : "unsupported (data)"}: ${r.claims} claims, ${r.controls} controls in the truth${r.findings ? `, ${r.findings} findings?!` : ""}`);
  const cases = (title: string, pick: (r: RuleFigures) => string[]) => {
    const rows = built.flatMap((r) => pick(r).map((x) => `  ${r.rule} ${x}`));
    if (rows.length === 0) return;
    out.push("");
    out.push(`${title} (${rows.length}):`);
    out.push(...rows);
  };
  cases("controls that fired", (r) => r.controlsFired);
  cases("findings not in the truth", (r) => r.unplanted);
  cases("missed claims", (r) => r.missed);
  cases("values off by more than 10 %", (r) => r.offValue);
  cases("status disagreements", (r) => r.statusOff);
  return out.join("\n");
}
