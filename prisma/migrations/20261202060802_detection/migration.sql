-- CreateTable
CREATE TABLE "Detection" (
    "id" TEXT NOT NULL,
    "sellerConnectionId" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "ruleSlug" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "sku" TEXT,
    "fnsku" TEXT,
    "asin" TEXT,
    "orderId" TEXT,
    "shipmentId" TEXT,
    "referenceId" TEXT,
    "reimbursementId" TEXT,
    "removalOrderId" TEXT,
    "units" INTEGER NOT NULL,
    "estimatedValueMinor" BIGINT NOT NULL,
    "unitValueMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "valueBasis" TEXT NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "confidenceReasons" JSONB NOT NULL,
    "severity" TEXT NOT NULL,
    "claimFamily" TEXT NOT NULL,
    "marketplaceId" TEXT NOT NULL,
    "anchorDate" DATE NOT NULL,
    "eventDate" DATE NOT NULL,
    "opensAt" DATE NOT NULL,
    "deadline" DATE,
    "windowPolicyId" TEXT,
    "windowVerify" BOOLEAN NOT NULL DEFAULT false,
    "discoveredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "statusSetBy" TEXT NOT NULL DEFAULT 'system',
    "statusNote" TEXT,
    "statusChangedAt" TIMESTAMPTZ(3),
    "resolvedByReimbursementId" TEXT,
    "resolvedAt" TIMESTAMPTZ(3),
    "evidence" JSONB NOT NULL,
    "lastSeenRunAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Detection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DetectionSetAside" (
    "id" TEXT NOT NULL,
    "sellerConnectionId" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "ruleSlug" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "reasonCode" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "sku" TEXT,
    "fnsku" TEXT,
    "asin" TEXT,
    "orderId" TEXT,
    "shipmentId" TEXT,
    "referenceId" TEXT,
    "reimbursementId" TEXT,
    "removalOrderId" TEXT,
    "units" INTEGER NOT NULL DEFAULT 0,
    "eventDate" DATE,
    "recheckAt" DATE,
    "details" JSONB NOT NULL,
    "runAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DetectionSetAside_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClaimWindowPolicy" (
    "id" TEXT NOT NULL,
    "marketplaceId" TEXT NOT NULL,
    "claimFamily" TEXT NOT NULL,
    "effectiveFrom" DATE NOT NULL,
    "opensAfterDays" INTEGER NOT NULL,
    "closesAfterDays" INTEGER,
    "anchor" TEXT NOT NULL,
    "verify" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClaimWindowPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SkuUnitCost" (
    "id" TEXT NOT NULL,
    "sellerConnectionId" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "unitCostMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "hasInvoice" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SkuUnitCost_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Detection_sellerConnectionId_status_idx" ON "Detection"("sellerConnectionId", "status");

-- CreateIndex
CREATE INDEX "Detection_sellerConnectionId_sku_idx" ON "Detection"("sellerConnectionId", "sku");

-- CreateIndex
CREATE INDEX "Detection_sellerConnectionId_ruleId_idx" ON "Detection"("sellerConnectionId", "ruleId");

-- CreateIndex
CREATE INDEX "Detection_sellerConnectionId_deadline_idx" ON "Detection"("sellerConnectionId", "deadline");

-- CreateIndex
CREATE UNIQUE INDEX "Detection_sellerConnectionId_ruleId_fingerprint_key" ON "Detection"("sellerConnectionId", "ruleId", "fingerprint");

-- CreateIndex
CREATE INDEX "DetectionSetAside_sellerConnectionId_sku_idx" ON "DetectionSetAside"("sellerConnectionId", "sku");

-- CreateIndex
CREATE INDEX "DetectionSetAside_sellerConnectionId_fnsku_idx" ON "DetectionSetAside"("sellerConnectionId", "fnsku");

-- CreateIndex
CREATE INDEX "DetectionSetAside_sellerConnectionId_recheckAt_idx" ON "DetectionSetAside"("sellerConnectionId", "recheckAt");

-- CreateIndex
CREATE UNIQUE INDEX "DetectionSetAside_sellerConnectionId_ruleId_fingerprint_key" ON "DetectionSetAside"("sellerConnectionId", "ruleId", "fingerprint");

-- CreateIndex
CREATE UNIQUE INDEX "ClaimWindowPolicy_marketplaceId_claimFamily_effectiveFrom_key" ON "ClaimWindowPolicy"("marketplaceId", "claimFamily", "effectiveFrom");

-- CreateIndex
CREATE INDEX "SkuUnitCost_sellerConnectionId_updatedAt_idx" ON "SkuUnitCost"("sellerConnectionId", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "SkuUnitCost_sellerConnectionId_sku_key" ON "SkuUnitCost"("sellerConnectionId", "sku");

-- AddForeignKey
ALTER TABLE "Detection" ADD CONSTRAINT "Detection_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DetectionSetAside" ADD CONSTRAINT "DetectionSetAside_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SkuUnitCost" ADD CONSTRAINT "SkuUnitCost_sellerConnectionId_fkey" FOREIGN KEY ("sellerConnectionId") REFERENCES "SellerConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Seed: the claim windows of /work/shared/domain/detection.md §1 (and §0 for the dates they changed).
-- * is the default and the US policy, EU and AE are marketplace groups (lib/detection/windows.ts),
-- a marketplace id row beats its group, a group beats *. A level that has rows for a family is used
-- alone for it: the legacy rows (effective 2000-01-01) keep the 18-month windows before each cut.
-- Days are calendar days after the anchor. A policy change is a new row, never an edit.
INSERT INTO "ClaimWindowPolicy" ("id", "marketplaceId", "claimFamily", "effectiveFrom", "opensAfterDays", "closesAfterDays", "anchor", "verify", "note") VALUES
  ('default-fc-lost-legacy',                   '*',  'fc-lost',                   '2000-01-01', 0,  548,  'ledger-date',              false, 'Before the 2024-10-23 cut: 18 months from the ledger adjustment'),
  ('default-fc-lost-2024-10-23',               '*',  'fc-lost',                   '2024-10-23', 0,  60,   'ledger-date',              false, 'FC lost/misplaced: within 60 d of the ledger adjustment [S1][S2][S3], the rule waits 14 d for Amazon payout (R01)'),
  ('default-fc-damaged-legacy',                '*',  'fc-damaged',                '2000-01-01', 10, 548,  'ledger-date',              false, 'Before the 2024-10-23 cut: 18 months, Amazon compensates warehouse damage within 10 d [S16]'),
  ('default-fc-damaged-2024-10-23',            '*',  'fc-damaged',                '2024-10-23', 10, 60,   'ledger-date',              false, 'FC damaged: 60 d from the ledger adjustment, after a 10-day payout grace [S1][S16]'),
  ('default-customer-return-legacy',           '*',  'customer-return',           '2000-01-01', 45, 548,  'refund-date',              false, 'Older copies of the US page: 45 d to 18 months after the refund or replacement [S3]'),
  ('default-customer-return-2024-10-23',       '*',  'customer-return',           '2024-10-23', 60, 120,  'refund-date',              false, 'Customer returns: day 60 to day 120 after the refund or replacement (US table, IDR portal) [S3]'),
  ('default-removal-lost-legacy',              '*',  'removal-lost',              '2000-01-01', 15, 548,  'removal-shipment-created', false, 'Before the 2024-10-23 cut: 18 months'),
  ('default-removal-lost-2024-10-23',          '*',  'removal-lost',              '2024-10-23', 15, 75,   'removal-shipment-created', false, 'Removal lost in transit: 15-75 d after the removal shipment was created [S1]'),
  ('default-removal-delivered-legacy',         '*',  'removal-delivered',         '2000-01-01', 0,  548,  'removal-delivered',        false, 'Before the 2024-10-23 cut: 18 months'),
  ('default-removal-delivered-2024-10-23',     '*',  'removal-delivered',         '2024-10-23', 0,  60,   'removal-delivered',        false, 'Removal delivered damaged, wrong or short: within 60 d of delivery [S1]'),
  ('default-inbound-shortage',                 '*',  'inbound-shortage',          '2000-01-01', 0,  270,  'shipment-delivered',       true,  'Marketplace-dependent and unsettled: US sources cite 9 months [S7][S8], a 2026 vendor article cites 15-60 d after delivery [S-refunzo]. Verify, file early'),
  ('default-fee-dimensions',                   '*',  'fee-dimensions',            '2000-01-01', 0,  90,   'fee-charged',              false, 'FBA fee on wrong weight/dimensions: 90 d per fee charge [S13]'),
  ('default-fee-referral',                     '*',  'fee-referral',              '2000-01-01', 0,  90,   'fee-charged',              false, 'Referral fee at the wrong category rate: 90 d [S14]'),
  ('default-reimbursement-revaluation',        '*',  'reimbursement-revaluation', '2000-01-01', 0,  60,   'reimbursement-approved',   false, 'Valuation re-evaluation within 60 d of approval, after a sourcing-cost denial wait 30 d to resubmit [S15][S12]'),
  ('default-reimbursement-reversal',           '*',  'reimbursement-reversal',    '2000-01-01', 0,  60,   'reversal-date',            true,  'No published window for disputing a reversal: treated as 60 d from the reversal (detection.md R16)'),
  ('default-unused-label',                     '*',  'unused-label',              '2000-01-01', 0,  274,  'shipment-created',         false, 'Unused partnered-carrier label: 9 months from shipment creation (EU help) [S10-labels]'),
  ('default-approved-not-paid',                '*',  'approved-not-paid',         '2000-01-01', 7,  NULL, 'case-approved',            false, 'Reimbursements post within 4-5 business days of approval [S11]: a follow-up, not a claim, no deadline'),
  ('eu-fc-lost-legacy',                        'EU', 'fc-lost',                   '2000-01-01', 0,  548,  'ledger-date',              false, 'UK/EU before the 2025-01-09 cut: 18 months'),
  ('eu-fc-lost-2025-01-09',                    'EU', 'fc-lost',                   '2025-01-09', 0,  60,   'ledger-date',              false, 'UK/EU manual windows cut to 60 d on 2025-01-09 [S5][S28][S29]'),
  ('eu-fc-damaged-legacy',                     'EU', 'fc-damaged',                '2000-01-01', 10, 548,  'ledger-date',              false, 'UK/EU before the 2025-01-09 cut: 18 months'),
  ('eu-fc-damaged-2025-01-09',                 'EU', 'fc-damaged',                '2025-01-09', 10, 60,   'ledger-date',              false, 'UK/EU: 60 d from the adjustment after a 10-day payout grace [S28][S16]'),
  ('eu-customer-return-legacy',                'EU', 'customer-return',           '2000-01-01', 45, 548,  'refund-date',              false, 'UK/EU before the 2025-01-09 cut: 45 d to 18 months'),
  ('eu-customer-return-2025-01-09',            'EU', 'customer-return',           '2025-01-09', 45, 105,  'refund-date',              false, 'EU customer returns: day 45 to day 105 after the refund [S5]'),
  ('eu-removal-lost-legacy',                   'EU', 'removal-lost',              '2000-01-01', 15, 548,  'removal-shipment-created', false, 'UK/EU before the 2025-01-09 cut: 18 months'),
  ('eu-removal-lost-2025-01-09',               'EU', 'removal-lost',              '2025-01-09', 15, 75,   'removal-shipment-created', false, 'Removal lost in transit: 15-75 d after shipment creation [S1][S28]'),
  ('uk-removal-lost-2025-01-09',               'A1F83G8C2ARO7P', 'removal-lost',  '2025-01-09', 15, 74,   'removal-shipment-created', false, 'UK help sites quote 74 d [S20]: the shorter of the two'),
  ('uk-removal-lost-legacy',                   'A1F83G8C2ARO7P', 'removal-lost',  '2000-01-01', 15, 548,  'removal-shipment-created', false, 'UK before the 2025-01-09 cut: 18 months'),
  ('eu-removal-delivered-legacy',              'EU', 'removal-delivered',         '2000-01-01', 0,  548,  'removal-delivered',        false, 'UK/EU before the 2025-01-09 cut: 18 months'),
  ('eu-removal-delivered-2025-01-09',          'EU', 'removal-delivered',         '2025-01-09', 0,  60,   'removal-delivered',        false, 'UK/EU: within 60 d of delivery [S28]'),
  ('eu-inbound-shortage',                      'EU', 'inbound-shortage',          '2000-01-01', 0,  180,  'shipment-delivered',       true,  'EU help: 6 months after verified delivery [S10] (taken as 180 d), verify'),
  ('ae-fc-lost-legacy',                        'AE', 'fc-lost',                   '2000-01-01', 0,  548,  'ledger-date',              false, 'AE-style stores before the 2024-09-05 cut: 18 months'),
  ('ae-fc-lost-2024-09-05',                    'AE', 'fc-lost',                   '2024-09-05', 0,  60,   'ledger-date',              false, 'AE and similar stores: FC misplaced 60 d after the adjustment [S6]'),
  ('ae-fc-damaged-legacy',                     'AE', 'fc-damaged',                '2000-01-01', 10, 548,  'ledger-date',              false, 'AE-style stores before the 2024-09-05 cut: 18 months'),
  ('ae-fc-damaged-2024-09-05',                 'AE', 'fc-damaged',                '2024-09-05', 10, 60,   'ledger-date',              false, 'AE and similar stores: FC damaged 60 d after the adjustment [S6]'),
  ('ae-removal-lost-legacy',                   'AE', 'removal-lost',              '2000-01-01', 15, 548,  'removal-shipment-created', false, 'AE-style stores before the 2024-09-05 cut: 18 months'),
  ('ae-removal-lost-2024-09-05',               'AE', 'removal-lost',              '2024-09-05', 15, 75,   'removal-shipment-created', false, 'AE and similar stores: removal lost 15-75 d after the ship date [S6]'),
  ('ae-removal-delivered-legacy',              'AE', 'removal-delivered',         '2000-01-01', 0,  548,  'removal-delivered',        false, 'AE-style stores before the 2024-09-05 cut: 18 months'),
  ('ae-removal-delivered-2024-09-05',          'AE', 'removal-delivered',         '2024-09-05', 0,  30,   'removal-delivered',        false, 'AE and similar stores: removal damaged/different/incomplete within 30 d of delivery [S6]'),
  ('ae-inbound-shortage-legacy',               'AE', 'inbound-shortage',          '2000-01-01', 0,  270,  'shipment-delivered',       true,  'AE-style stores before the 2024-09-05 cut: unknown, taken as the 9 months US sources cite, verify'),
  ('ae-inbound-shortage-2024-09-05',           'AE', 'inbound-shortage',          '2024-09-05', 15, 60,   'shipment-delivered',       true,  'AE and similar stores: inbound missing 15-60 d after delivery [S6], verify'),
  ('in-inbound-shortage-2024-09-05',           'A21TJRUUN4KGV', 'inbound-shortage', '2024-09-05', 15, 60, 'shipment-delivered',       true,  'IN: inbound missing 15-60 d after delivery [S6], verify');
