// The seller's dashboard in a real browser against the production build, the SP-API sandbox and the
// embedded runner: sign up, connect Amazon on the sandbox's consent page, watch the first sync live
// to 100 %, then its history row and fresh data-source cards; a second seller sees none of it. Every
// page is checked with axe (no serious or critical violation) and photographed at desktop and phone
// width into test-results/dashboard-screens/.
//
// A whole historical sync takes 15+ minutes against a real-time sandbox (Amazon's createReport usage
// plan); `npm run test:e2e` runs the sandbox 60 times faster by default (scripts/e2e.ts), and it takes
// a minute or two.
import { expect, test, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { DESKTOP, PHONE, SANDBOX_SELLER, connectSandboxSeller, expectNoSeriousAxeViolations, sandboxTimeScale, screenshots, settled, signUp } from "./support/pages";

const SHOTS = path.join("test-results", "dashboard-screens");
const PAGES = [
  { path: "/dashboard", name: "overview", heading: "Overview" },
  { path: "/sync", name: "sync", heading: "Sync" },
  { path: "/sources", name: "sources", heading: "Data sources" },
  { path: "/settings", name: "settings", heading: "Settings" },
] as const;

test("a new seller's pages: empty states, axe-clean, at desktop and phone width, with a phone menu", async ({ page }) => {
  await page.setViewportSize(DESKTOP);
  await signUp(page, "dash-empty");
  for (const p of PAGES) {
    await page.goto(p.path);
    await expect(page.getByRole("heading", { level: 1, name: p.heading })).toBeVisible();
    await settled(page);
    await expectNoSeriousAxeViolations(page, `${p.path} (empty)`);
    await screenshots(page, SHOTS, `empty-${p.name}`);
  }
  await page.goto("/sync");
  await expect(page.getByRole("heading", { name: "No Amazon account connected" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Start sync" })).toBeDisabled();

  // The phone menu: the links are behind one button, announced as expanded when open.
  await page.setViewportSize(PHONE);
  await page.goto("/dashboard");
  await expect(page.getByRole("link", { name: "Sources" })).toHaveCount(0);
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, "menu-phone.png") });
  await expectNoSeriousAxeViolations(page, "phone menu");
  await page.getByRole("link", { name: "Sources" }).click();
  await expect(page).toHaveURL(/\/sources$/);
  await expect(page.getByRole("heading", { level: 1, name: "Data sources" })).toBeVisible();
});

test("a seller connects Amazon, watches the first sync live to 100 %, then sees its history and fresh sources; another seller sees none of it", async ({ page, browser }) => {
  const scale = await sandboxTimeScale();
  const syncTimeout = scale >= 30 ? 12 * 60_000 : 40 * 60_000;
  test.setTimeout(syncTimeout + 6 * 60_000);
  await page.setViewportSize(DESKTOP);
  const streams: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/api/sse/")) streams.push(new URL(request.url()).pathname);
  });

  await signUp(page, "dash-journey");
  await connectSandboxSeller(page, SANDBOX_SELLER.dashboard);

  // The sync appears on the Overview without a reload and its bar moves to 100 %.
  const panel = page.getByTestId("sync-progress");
  await expect(panel).toBeVisible({ timeout: 120_000 });
  const bar = page.getByTestId("sync-progress-bar");
  const seen = new Set<number>();
  let shot = false;
  await expect
    .poll(
      async () => {
        const value = Number(await bar.getAttribute("aria-valuenow"));
        seen.add(value);
        if (!shot && value > 0 && value < 100) {
          shot = true;
          mkdirSync(SHOTS, { recursive: true });
          await page.screenshot({ path: path.join(SHOTS, "overview-syncing-desktop.png"), fullPage: true });
        }
        return value;
      },
      { timeout: syncTimeout, intervals: [1000] },
    )
    .toBe(100);
  expect(seen.size, `progress values seen: ${[...seen].join(", ")}`).toBeGreaterThan(1);
  await expect(panel).toHaveAttribute("data-status", "completed");
  await expect(page.getByTestId("sync-message")).toContainText("Sync completed successfully");
  await expect(page.getByTestId("sync-percent")).toHaveText("100%");
  // The live numbers came over the server's stream (the hook falls back to polling only when it fails).
  expect(streams.filter((s) => s.startsWith("/api/sse/sync-progress/")).length, `streams opened: ${streams.join(", ")}`).toBeGreaterThan(0);

  // The Sync page: the run in the history, and Sync now available again.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sync" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sync" })).toBeVisible();
  const row = page.getByTestId("history-row").first();
  await expect(row).toContainText("Completed");
  await expect(row).toContainText("Full history");
  await expect(row).not.toContainText("running");
  await expect(page.getByRole("button", { name: "Sync now" })).toBeEnabled();

  // The data sources: pulled just now, and the relative time keeps ticking without a reload.
  await page.clock.install();
  await page.goto("/sources");
  await settled(page);
  const cards = page.getByTestId("source-card");
  await expect(cards).toHaveCount(7);
  const fresh = page.locator('[data-testid="source-card"][data-status="connected"]');
  expect(await fresh.count()).toBeGreaterThanOrEqual(4);
  const lastPulled = fresh.first().getByTestId("last-pulled");
  await expect(fresh.first()).toContainText("Connected & Syncing");
  await expect(lastPulled).toHaveText(/just now|minutes? ago/);
  const before = await lastPulled.textContent();
  await page.clock.fastForward("30:00");
  await expect(lastPulled).not.toHaveText(before ?? "");
  await expect(lastPulled).toHaveText(/(minutes|hour) ago/);

  // Every page with data: axe-clean, photographed.
  for (const p of PAGES) {
    await page.goto(p.path);
    await expect(page.getByRole("heading", { level: 1, name: p.heading })).toBeVisible();
    await settled(page);
    await expectNoSeriousAxeViolations(page, p.path);
    await screenshots(page, SHOTS, p.name);
  }
  await page.goto("/dashboard");
  await settled(page);
  await expect(page.getByTestId("system-banner")).toBeVisible();
  await expect(page.getByTestId("system-banner")).not.toContainText("Sync running");
  await expect(page.getByTestId("stat-recoverable")).toContainText("$");

  // Settings: a reconciliation rule added, listed and deleted.
  await page.goto("/settings");
  await settled(page);
  await page.getByRole("button", { name: "Add a rule" }).click();
  const form = page.getByRole("form", { name: "New reconciliation rule" });
  await form.getByLabel("Minimum value").fill("5.00");
  await form.getByRole("button", { name: "Add rule" }).click();
  const ruleRow = page.getByTestId("rule-row");
  await expect(ruleRow).toHaveCount(1);
  await expect(ruleRow).toContainText("Every rule");
  await expect(ruleRow).toContainText("$5.00");
  await ruleRow.getByRole("button", { name: /Delete the rule/ }).click();
  await page.getByRole("group", { name: /Delete the rule/ }).getByRole("button", { name: "Delete" }).click();
  await expect(ruleRow).toHaveCount(0);

  // Another seller sees none of it: no sync, no history, no sources, and the first one's sync is a 404.
  const { lastSync } = (await (await page.request.get("/api/sync/status")).json()) as { lastSync: { syncId: string } };
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signUp(otherPage, "dash-other");
  await expect(otherPage.getByRole("heading", { name: "Connect your Amazon seller account" })).toBeVisible();
  await otherPage.goto("/sync");
  await expect(otherPage.getByRole("heading", { name: "No syncs yet" })).toBeVisible();
  await expect(otherPage.getByTestId("history-row")).toHaveCount(0);
  await otherPage.goto("/sources");
  await settled(otherPage);
  await expect(otherPage.locator('[data-testid="source-card"][data-status="connected"]')).toHaveCount(0);
  expect((await otherPage.request.get(`/api/sync/status/${lastSync.syncId}`)).status()).toBe(404);
  const history = (await (await otherPage.request.get("/api/sync/history")).json()) as { total: number };
  expect(history.total).toBe(0);
  await other.close();
});
