// Per-seller report lifecycle: IN_QUEUE -> IN_PROGRESS -> DONE | CANCELLED (no data) | FATAL, driven by
// the sandbox clock. Documents are generated lazily once processing time has passed.
import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { SandboxClock } from "../clock";
import { sandboxLog } from "../log";
import { type FaultConfig, takeReportTypeFault } from "../faults";
import { type SettlementPeriod, settlementPeriods } from "../generator/settlements";
import { DAY_MS, type World } from "../generator/world";
import { invalidInput, unauthorized } from "../http/errors";
import { hash32, Rng } from "../prng";
import { corruptFile, writeJsonDocument, writeTsvGzip } from "./document-writer";
import { REPORT_COLUMNS, type ReportType, isReportType } from "./report-columns";
import { COOLDOWN_MS, REPORT_TYPE_INFO } from "./report-catalog";
import { ROW_PRODUCERS } from "./report-rows";

export type ProcessingStatus = "IN_QUEUE" | "IN_PROGRESS" | "DONE" | "CANCELLED" | "FATAL";
export type CooldownMode = "type" | "window" | "off";

export interface ReportJson {
  reportId: string;
  reportType: string;
  marketplaceIds: string[];
  dataStartTime?: string;
  dataEndTime?: string;
  createdTime: string;
  processingStatus: ProcessingStatus;
  processingStartTime?: string;
  processingEndTime?: string;
  reportDocumentId?: string;
}

interface DocumentRecord {
  documentId: string;
  path: string;
  compressed: boolean;
  /** Settlement documents are written on first download. */
  ready: Promise<void> | null;
  make?: () => Promise<void>;
}

interface ReportRecord {
  reportId: string;
  reportType: ReportType;
  marketplaceIds: string[];
  dataStartMs: number;
  dataEndMs: number;
  options: Record<string, string>;
  createdMs: number;
  startMs: number;
  endMs: number;
  /** Decided at creation (cooldown, history, faults); null = depends on the data. */
  forced: { status: "FATAL" | "CANCELLED"; details: string } | null;
  cancelledMs: number | null;
  corrupt: boolean;
  malformed: boolean;
  settlement?: SettlementPeriod;
  generation: Promise<void> | null;
  outcome: { status: "DONE" | "CANCELLED" | "FATAL"; documentId?: string; rows: number } | null;
}

export interface CreateReportInput {
  reportType: string;
  marketplaceIds: string[];
  dataStartTime?: string;
  dataEndTime?: string;
  reportOptions?: Record<string, string>;
}

const RETENTION_MS = 90 * DAY_MS;
const STUCK_MS = DAY_MS;
const iso = (ms: number) => new Date(ms).toISOString();

export class SellerReports {
  private readonly reports = new Map<string, ReportRecord>();
  private readonly documents = new Map<string, DocumentRecord>();
  /** Last accepted (non-throttled) creation per cooldown key. */
  private readonly lastAccepted = new Map<string, number>();
  private counter = 0;
  private readonly dir: string;
  /** Set on shutdown so failures of in-flight generations are not reported as errors. */
  closed = false;

  private readonly settled = new Set<number>();

  constructor(
    private readonly w: World,
    /** The world as of now (differs from `w` in live mode). */
    private readonly current: () => World,
    dataDir: string,
    private readonly clock: SandboxClock,
    private readonly opts: { processingMs: number; cooldown: CooldownMode; faults: () => FaultConfig; faultRng: Rng },
  ) {
    this.dir = join(dataDir, w.seller.sellingPartnerId, "documents");
    this.addSettlements();
  }

  /** Amazon generates settlement reports itself; they appear as periods close and are only listable. */
  private addSettlements(): void {
    for (const p of settlementPeriods(this.current())) {
      if (this.settled.has(p.index)) continue;
      this.settled.add(p.index);
      const createdMs = p.endMs + 3_600_000;
      const rec = this.newRecord("GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2", createdMs, p.startMs, p.endMs, {});
      rec.startMs = createdMs;
      rec.endMs = createdMs + 10 * 60_000;
      rec.settlement = p;
      const documentId = this.newDocumentId(rec);
      const path = this.docPath(documentId);
      rec.outcome = { status: "DONE", documentId, rows: -1 };
      this.documents.set(documentId, {
        documentId, path, compressed: true, ready: null,
        make: async () => {
          await mkdir(this.dir, { recursive: true });
          await this.writeRows(rec, path);
        },
      });
      this.reports.set(rec.reportId, rec);
    }
  }

  private nextReportId(): string {
    this.counter++;
    return String(50_000_000_000 + (hash32(this.w.key, "report-ids") % 900_000_000) * 10 + this.counter * 7919);
  }

  private newRecord(reportType: ReportType, createdMs: number, dataStartMs: number, dataEndMs: number, options: Record<string, string>): ReportRecord {
    const queueMs = Math.round(this.opts.processingMs * 0.25);
    return {
      reportId: this.nextReportId(), reportType, marketplaceIds: [...this.w.seller.marketplaceIds], dataStartMs, dataEndMs, options,
      createdMs, startMs: createdMs + queueMs, endMs: createdMs + this.opts.processingMs, forced: null, cancelledMs: null,
      corrupt: false, malformed: false, generation: null, outcome: null,
    };
  }

  create(input: CreateReportInput): { reportId: string } {
    const now = this.clock.nowMs();
    if (!isReportType(input.reportType)) throw invalidInput(`Invalid reportType ${input.reportType}.`);
    const info = REPORT_TYPE_INFO[input.reportType];
    if (!info.requestable) throw invalidInput(`Report type ${input.reportType} cannot be requested. Use getReports to find reports that Amazon generated.`);
    // A type the seller's account may not see (a role the app lacks): Amazon refuses before looking at the request.
    if (this.opts.faults().reportTypes?.[input.reportType]?.refuse) throw unauthorized("");
    const unknownMarketplace = input.marketplaceIds.find((m) => !this.w.seller.marketplaceIds.includes(m));
    if (unknownMarketplace) throw invalidInput(`Invalid marketplaceId ${unknownMarketplace}. The seller does not participate in this marketplace.`);
    const options = input.reportOptions ?? {};
    // Ledger options as sp-api.md §d describes them: eventType "" is rejected (a comma list just matches nothing).
    if (options.eventType === "") throw invalidInput("reportOptions.eventType cannot be empty.");
    const period = options.aggregatedByTimePeriod;
    if (period !== undefined && !["MONTHLY", "WEEKLY", "DAILY"].includes(period)) throw invalidInput(`Invalid aggregatedByTimePeriod ${period}.`);
    const start = input.dataStartTime ? Date.parse(input.dataStartTime) : now;
    const endRaw = input.dataEndTime ? Date.parse(input.dataEndTime) : now;
    const end = Math.min(endRaw, now);
    if (start > now) throw invalidInput("dataStartTime cannot be in the future.");
    if (start > end) throw invalidInput("dataStartTime must be before dataEndTime.");

    const rec = this.newRecord(input.reportType, now, start, end, options);
    rec.marketplaceIds = input.marketplaceIds;
    const faults = this.opts.faults();
    const cooldownMs = COOLDOWN_MS[info.cooldown];
    const key = this.opts.cooldown === "window" ? `${input.reportType}|${start}|${end}` : input.reportType;
    const last = this.lastAccepted.get(key);
    if (!info.snapshot && start < now - info.historyDays * DAY_MS) {
      rec.forced = { status: "FATAL", details: `dataStartTime is older than the ${info.historyDays} days of history this report type keeps.` };
    } else if (this.opts.cooldown !== "off" && cooldownMs > 0 && last !== undefined && now - last < cooldownMs) {
      rec.forced = {
        status: "FATAL",
        details: `This report type was requested less than ${cooldownMs / 60_000} minutes ago; it cannot be regenerated before ${iso(last + cooldownMs)}.`,
      };
    } else {
      this.lastAccepted.set(key, now);
      const r = this.opts.faultRng;
      const type = input.reportType;
      if (takeReportTypeFault(faults, type, "fatal") || (faults.reportFatal && r.chance(faults.reportFatal))) {
        rec.forced = { status: "FATAL", details: "Injected fault: report processing failed." };
      } else if (takeReportTypeFault(faults, type, "cancelled") || (faults.reportCancelled && r.chance(faults.reportCancelled))) {
        rec.forced = { status: "CANCELLED", details: "" };
      }
      if (faults.reportStuck && r.chance(faults.reportStuck)) {
        rec.startMs += STUCK_MS;
        rec.endMs += STUCK_MS;
      }
      rec.corrupt = takeReportTypeFault(faults, type, "corruptDocument") || (!!faults.corruptDocument && r.chance(faults.corruptDocument));
      rec.malformed = takeReportTypeFault(faults, type, "malformedRows") || (!!faults.malformedRows && r.chance(faults.malformedRows));
    }
    this.reports.set(rec.reportId, rec);
    return { reportId: rec.reportId };
  }

  private visible(rec: ReportRecord, now: number): boolean {
    return rec.createdMs <= now && rec.createdMs >= now - RETENTION_MS;
  }

  /** Current view of a report; starts document generation once processing time is over. */
  async view(reportId: string, waitMs = 2_000): Promise<ReportJson | null> {
    this.addSettlements();
    const rec = this.reports.get(reportId);
    const now = this.clock.nowMs();
    if (!rec || !this.visible(rec, now)) return null;
    if (rec.cancelledMs === null && now >= rec.endMs && !rec.outcome) {
      rec.generation ??= this.generate(rec).catch((e: unknown) => {
        // A failed generation (disk, sandbox shutting down) looks like Amazon's aborted report.
        if (!this.closed) sandboxLog.error({ err: e, reportId: rec.reportId }, `report ${rec.reportId} generation failed`);
        rec.outcome = { status: "FATAL", rows: 0 };
      });
      // Small documents are ready almost at once; large ones keep the report IN_PROGRESS meanwhile.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([rec.generation, new Promise((r) => (timer = setTimeout(r, waitMs)))]);
      clearTimeout(timer);
    }
    return this.json(rec, now);
  }

  private json(rec: ReportRecord, now: number): ReportJson {
    const base: ReportJson = {
      reportId: rec.reportId,
      reportType: rec.reportType,
      marketplaceIds: rec.marketplaceIds,
      dataStartTime: iso(rec.dataStartMs),
      dataEndTime: iso(rec.dataEndMs),
      createdTime: iso(rec.createdMs),
      processingStatus: "IN_QUEUE",
    };
    if (rec.cancelledMs !== null) return { ...base, processingStatus: "CANCELLED", processingEndTime: iso(rec.cancelledMs) };
    if (now < rec.startMs) return base;
    if (now < rec.endMs || !rec.outcome) return { ...base, processingStatus: "IN_PROGRESS", processingStartTime: iso(rec.startMs) };
    const out: ReportJson = { ...base, processingStatus: rec.outcome.status, processingStartTime: iso(rec.startMs), processingEndTime: iso(rec.endMs) };
    if (rec.outcome.documentId) out.reportDocumentId = rec.outcome.documentId;
    return out;
  }

  private docPath(documentId: string): string {
    return join(this.dir, `${documentId.replace(/[^A-Za-z0-9._-]/g, "_")}`);
  }

  private newDocumentId(rec: ReportRecord): string {
    return `amzn1.spdoc.1.4.na.${randomUUID()}.T${rec.createdMs}.${rec.reportId.slice(-4)}`;
  }

  private writeRows(rec: ReportRecord, path: string) {
    const info = REPORT_TYPE_INFO[rec.reportType];
    const w = this.current();
    const ctx = {
      w,
      fromMs: info.snapshot ? w.startMs : rec.dataStartMs,
      toMs: info.snapshot ? w.endMs + 1 : rec.dataEndMs + 1,
      options: rec.options,
      ...(rec.settlement ? { settlement: rec.settlement } : {}),
    };
    const producer = ROW_PRODUCERS[rec.reportType] as (c: typeof ctx) => Iterable<Record<string, string>>;
    return writeTsvGzip(path, REPORT_COLUMNS[rec.reportType], producer(ctx), { malformedRows: rec.malformed });
  }

  private async generate(rec: ReportRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    if (rec.forced?.status === "CANCELLED") {
      rec.outcome = { status: "CANCELLED", rows: 0 };
      return;
    }
    const documentId = this.newDocumentId(rec);
    const path = this.docPath(documentId);
    if (rec.forced?.status === "FATAL") {
      // FATAL reports may carry a JSON document that says why.
      await writeJsonDocument(path, {
        errorDetails: `A client error occurred. Please double check that your parameters are valid and fulfill the requirements of the report type. ${rec.forced.details}`.trim(),
      });
      this.documents.set(documentId, { documentId, path, compressed: false, ready: Promise.resolve() });
      rec.outcome = { status: "FATAL", documentId, rows: 0 };
      return;
    }
    const result = await this.writeRows(rec, path);
    if (result.rows === 0) {
      rec.outcome = { status: "CANCELLED", rows: 0 };
      return;
    }
    if (rec.corrupt) await corruptFile(path);
    this.documents.set(documentId, { documentId, path, compressed: true, ready: Promise.resolve() });
    rec.outcome = { status: "DONE", documentId, rows: result.rows };
  }

  async list(filter: {
    reportTypes?: string[];
    processingStatuses?: string[];
    marketplaceIds?: string[];
    createdSinceMs?: number;
    createdUntilMs?: number;
  }): Promise<ReportJson[]> {
    this.addSettlements();
    const now = this.clock.nowMs();
    const since = Math.max(filter.createdSinceMs ?? now - RETENTION_MS, now - RETENTION_MS);
    const until = filter.createdUntilMs ?? now;
    const out: ReportJson[] = [];
    const recs = [...this.reports.values()].filter(
      (r) =>
        r.createdMs >= since && r.createdMs <= until && r.createdMs <= now &&
        (!filter.reportTypes || filter.reportTypes.includes(r.reportType)) &&
        (!filter.marketplaceIds || r.marketplaceIds.some((m) => filter.marketplaceIds?.includes(m))),
    );
    recs.sort((a, b) => b.createdMs - a.createdMs || b.reportId.localeCompare(a.reportId));
    for (const r of recs) {
      const view = await this.view(r.reportId, 0);
      if (!view) continue;
      if (filter.processingStatuses && !filter.processingStatuses.includes(view.processingStatus)) continue;
      out.push(view);
    }
    return out;
  }

  /** Cancels an IN_QUEUE report; anything else is a 400 at Amazon. */
  cancel(reportId: string): "ok" | "not-found" | "not-cancellable" {
    const rec = this.reports.get(reportId);
    const now = this.clock.nowMs();
    if (!rec || !this.visible(rec, now)) return "not-found";
    if (rec.cancelledMs !== null || now >= rec.startMs) return "not-cancellable";
    rec.cancelledMs = now;
    return "ok";
  }

  /** A document by id, generating a settlement document on first access. */
  async document(documentId: string): Promise<DocumentRecord | null> {
    const doc = this.documents.get(documentId);
    if (!doc) return null;
    if (!doc.ready && doc.make) doc.ready = doc.make();
    await doc.ready;
    return doc;
  }
}
