// The claims pages in a real browser against the production build, the SP-API sandbox and the
// embedded runner: a seller connects the sandbox's first seller, waits for the historical sync (and
// the detection it runs) to complete, then lists claims, filters and sorts them (the URL keeps the
// view), opens one, downloads its evidence CSV, changes its status (kept after a reload), looks at the
// SKU's set-asides and imports unit costs with a rejected line. A second seller sees none of it and
// the first one's claim URL is the not-found page. Every page is checked with axe (no serious or
// critical violation) and photographed at desktop and phone width into test-results/claims-screens/.
//
// A whole historical sync takes 15+ minutes against a real-time sandbox (Amazon's createReport usage
// plan); `npm run test:e2e` runs the sandbox 60 times faster by default (scripts/e2e.ts), and it takes
// a minute or two. The test releases the seller it connected at the end (other specs connect the same
// sandbox sellers).
import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import path from "node:path";
import { DESKTOP, PHONE, SANDBOX_SELLER, connectSandboxSeller, expectNoSeriousAxeViolations, sandboxTimeScale, screenshots, settled, signUp } from "./support/pages";
import { withDatabase } from "./support/accounts";

const SHOTS = path.join("test-results", "claims-screens");

/** Checks a page at both widths: axe at desktop and at phone width, then the screenshots. */
async function checkPage(page: Page, name: string): Promise<void> {
  await settled(page);
  await expectNoSeriousAxeViolations(page, `${name} (desktop)`);
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(300);
  await expectNoSeriousAxeViolations(page, `${name} (phone)`);
  await page.setViewportSize(DESKTOP);
  await screenshots(page, SHOTS, name);
}

const rowValues = async (page: Page): Promise<number[]> =>
  (await page.getByTestId("claim-row").evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-value"))))) as number[];

test("a seller's claims: listed after the first sync, filtered and sorted in the URL, one claim's evidence, status and documents, unit costs; another seller sees none of it", async ({ page, browser }) => {
  const scale = await sandboxTimeScale();
  const syncTimeout = scale >= 30 ? 12 * 60_000 : 40 * 60_000;
  test.setTimeout(syncTimeout + 8 * 60_000);
  await page.setViewportSize(DESKTOP);

  const email = await signUp(page, "claims");
  await connectSandboxSeller(page, SANDBOX_SELLER.claims);
  const connectionId = await withDatabase(async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `SELECT c."id" FROM "SellerConnection" c JOIN "User" u ON u."id" = c."userId" WHERE u."email" = $1 ORDER BY c."createdAt" DESC LIMIT 1`,
      [email],
    );
    return rows[0]!.id;
  });

  try {
    // The historical sync completes only after its detection run (sync-seller waits for it).
    await expect
      .poll(
        () =>
          withDatabase(async (client) => {
            const { rows } = await client.query<{ status: string }>(`SELECT "status" FROM "SyncRun" WHERE "sellerConnectionId" = $1 ORDER BY "startedAt" DESC LIMIT 1`, [connectionId]);
            return rows[0]?.status ?? "none";
          }),
        { timeout: syncTimeout, intervals: [5000] },
      )
      .toBe("completed");

    // The list: the planted discrepancies of the sandbox seller are claims.
    await page.goto("/claims");
    await expect(page.getByRole("heading", { level: 1, name: "Claims" })).toBeVisible();
    await settled(page);
    const rows = page.getByTestId("claim-row");
    await expect(rows.first()).toBeVisible();
    const total = Number((await page.getByTestId("claims-count").textContent())?.match(/of (\d+)/)?.[1]);
    expect(total).toBeGreaterThan(0);
    await checkPage(page, "claims");

    // Sorting by value: the header says so (aria-sort), the URL keeps it, the rows come back in order.
    const valueHeader = page.getByRole("columnheader", { name: /Value/ });
    await expect(valueHeader).toHaveAttribute("aria-sort", "none");
    await valueHeader.getByRole("button").click();
    await expect(page).toHaveURL(/[?&]sort=-value/);
    await expect(valueHeader).toHaveAttribute("aria-sort", "descending");
    await settled(page);
    await expect.poll(async () => {
      const values = await rowValues(page);
      return values.every((v, i) => i === 0 || values[i - 1]! >= v);
    }).toBe(true);
    const highest = (await rowValues(page))[0]!;
    await valueHeader.getByRole("button").click();
    await expect(page).toHaveURL(/[?&]sort=value/);
    await expect(valueHeader).toHaveAttribute("aria-sort", "ascending");
    await expect.poll(async () => {
      const values = await rowValues(page);
      return values.length > 0 && values.every((v, i) => i === 0 || values[i - 1]! <= v);
    }).toBe(true);
    if (total > 1) expect((await rowValues(page))[0]!).toBeLessThanOrEqual(highest);

    // Filtering by rule: only that rule's rows, the count changes with it, and a reload keeps the view.
    const ruleIds = await rows.evaluateAll((list) => [...new Set(list.map((r) => r.getAttribute("data-rule-id")!))]);
    const ruleId = ruleIds.at(-1)!;
    await page.getByLabel("Rule").selectOption(ruleId);
    await expect(page).toHaveURL(new RegExp(`[?&]ruleId=${ruleId}`));
    await expect.poll(async () => rows.evaluateAll((list, id) => list.length > 0 && list.every((r) => r.getAttribute("data-rule-id") === id), ruleId)).toBe(true);
    await page.reload();
    await expect(page.getByLabel("Rule")).toHaveValue(ruleId);
    await expect.poll(async () => rows.evaluateAll((list, id) => list.length > 0 && list.every((r) => r.getAttribute("data-rule-id") === id), ruleId)).toBe(true);
    // A filter nothing matches shows the empty state with a way back.
    await page.getByLabel("Deadline").selectOption("7");
    await page.getByLabel("Status").selectOption("dismissed");
    await expect(page.getByRole("heading", { name: "No claims match these filters" })).toBeVisible();
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect(page).toHaveURL(/\/claims$/);
    await expect(rows.first()).toBeVisible();

    // One claim: the highest-valued open one that names a SKU.
    await page.goto("/claims?sort=-value&status=pending,reviewed");
    await settled(page);
    const first = rows.filter({ has: page.locator('a[href^="/claims/sku/"]') }).first();
    const claimId = (await first.getAttribute("data-claim-id"))!;
    await first.getByTestId("claim-link").click();
    await expect(page).toHaveURL(new RegExp(`/claims/${claimId}$`));
    await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
    await settled(page);
    await expect(page.getByTestId("claim-window")).toHaveText(/left to file|Last day to file|No deadline/);
    await expect(page.getByTestId("value-basis")).not.toBeEmpty();
    await expect(page.getByTestId("case-text")).not.toHaveValue("");
    await checkPage(page, "claim-detail");

    // The evidence CSV: a CSV attachment holding the claim's id.
    const api = await page.request.get(`/api/detections/${claimId}/evidence`);
    expect(api.status()).toBe(200);
    expect(api.headers()["content-type"]).toMatch(/^text\/csv/);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("evidence-csv").click()]);
    expect(download.suggestedFilename()).toContain(claimId);
    const csv = readFileSync((await download.path())!, "utf8");
    expect(csv).toContain(claimId);

    // A status change with a note persists, with its history.
    const statusForm = page.getByRole("form", { name: "Change the claim's status" });
    await statusForm.getByLabel("Status").selectOption("filed");
    await statusForm.getByLabel(/^Note/).fill("Case 1234567890 opened in Seller Central");
    await statusForm.getByRole("button", { name: "Save status" }).click();
    await expect(page.getByText("Status saved: Filed.")).toBeVisible();
    await page.reload();
    await settled(page);
    await expect(page.getByTestId("claim-status").first()).toHaveText("Filed");
    await expect(page.getByTestId("status-history")).toContainText("Case 1234567890 opened in Seller Central");
    await expect(page.getByTestId("status-history")).toContainText("Filed");

    // The SKU's page: its claims and what the checks set aside, with the reason.
    const skuLink = page.getByRole("link", { name: /^SKU / });
    const sku = ((await skuLink.textContent()) ?? "").replace(/^SKU /, "").trim();
    await skuLink.click();
    await expect(page.getByRole("heading", { level: 1, name: `SKU ${sku}` })).toBeVisible();
    await settled(page);
    await expect(rows.first()).toBeVisible();
    await checkPage(page, "claims-sku");

    // Unit costs: a CSV with one good and one bad line; the bad line is reported with its number.
    await page.goto("/claims/costs");
    await expect(page.getByRole("heading", { level: 1, name: "Unit costs" })).toBeVisible();
    await settled(page);
    await page.getByLabel("CSV file").setInputFiles({
      name: "costs.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`sku,unit_cost,currency,has_invoice\n${sku},7.25,USD,true\n${sku}-NOT-A-COST,twelve,USD,false\n`),
    });
    await page.getByRole("button", { name: "Import" }).click();
    const report = page.getByTestId("import-report");
    await expect(report).toContainText("1 line rejected");
    await expect(page.getByTestId("rejected-line")).toHaveCount(1);
    await expect(page.getByTestId("rejected-line").locator("td").first()).toHaveText("3");
    await expect(page.getByTestId("unit-cost-table")).toContainText(sku);
    await checkPage(page, "unit-costs");

    // Another seller: no claims, and the first seller's claim is not found (page and API).
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await otherPage.setViewportSize(DESKTOP);
    await signUp(otherPage, "claims-other");
    await otherPage.goto("/claims");
    await settled(otherPage);
    await expect(otherPage.getByRole("heading", { name: "No claims yet" })).toBeVisible();
    await expect(otherPage.getByTestId("claim-row")).toHaveCount(0);
    await checkPage(otherPage, "claims-empty");
    const notFound = await otherPage.goto(`/claims/${claimId}`);
    expect(notFound?.status()).toBe(404);
    await expect(otherPage.getByText(/could not be found/i)).toBeVisible();
    expect((await otherPage.request.get(`/api/detections/${claimId}`)).status()).toBe(404);
    expect((await otherPage.request.get(`/api/detections/${claimId}/evidence`)).status()).toBe(404);
    const list = (await (await otherPage.request.get("/api/detections/results")).json()) as { total: number };
    expect(list.total).toBe(0);
    await other.close();
  } finally {
    // Release the sandbox seller for the specs that connect it after this one.
    await page.request.post(`/api/amazon/connections/${connectionId}/disconnect`, { data: { confirm: true, deleteData: false } });
  }
});
