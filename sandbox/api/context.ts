import type { SandboxClock } from "../clock";
import type { World } from "../generator/world";
import type { DocumentUrlSigner } from "../reports/document-urls";
import type { SellerReports } from "../reports/report-engine";
import type { PageTokens } from "./page-tokens";

export interface SellerRuntime {
  /** The world as generated at start (ground truth is written from it). */
  base: World;
  /** The world as the APIs see it now: `base`, or in live mode the same world extended to the sandbox clock. */
  readonly world: World;
  reports: SellerReports;
  tokens: PageTokens;
}

export interface ApiContext {
  url: URL;
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  body: unknown;
  seller: SellerRuntime;
  clock: SandboxClock;
  baseUrl: string;
  signer: DocumentUrlSigner;
}

export interface ApiResult {
  status: number;
  body?: unknown;
}

export type ApiHandler = (ctx: ApiContext) => Promise<ApiResult>;
