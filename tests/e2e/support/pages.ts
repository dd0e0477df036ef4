// What the page journeys share: a new seller signed up through the form, waiting for every panel to
// finish loading, axe (no serious or critical violation), screenshots at desktop and phone width, and
// the sandbox's clock scale (which sets how long a full sync may take).
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** Signs a new seller up through the form (email `<prefix>-<uuid>@example.test`); lands on the dashboard. */
export async function signUp(page: Page, prefix: string): Promise<string> {
  const email = `${prefix}-${randomUUID()}@example.test`;
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(`${prefix} password 2026`);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  return email;
}

/** Waits until no panel shows a loading placeholder. */
export async function settled(page: Page): Promise<void> {
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0, { timeout: 30_000 });
}

export async function expectNoSeriousAxeViolations(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  expect(serious, `axe on ${name}`).toEqual([]);
}

/** Full-page screenshots `<name>-desktop.png` and `<name>-phone.png` into `dir`; leaves the page at desktop width. */
export async function screenshots(page: Page, dir: string, name: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const [label, size] of [["desktop", DESKTOP], ["phone", PHONE]] as const) {
    await page.setViewportSize(size);
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(dir, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(DESKTOP);
}

/** Sandbox seconds per real second (scripts/e2e.ts starts it at 60 unless E2E_SANDBOX_TIME_SCALE says otherwise). */
export async function sandboxTimeScale(): Promise<number> {
  const answer = await fetch(`${process.env.E2E_SANDBOX_URL}/__sandbox/clock`).then((r) => r.json() as Promise<{ scale: number }>);
  return answer.scale;
}

/**
 * The sandbox sellers (scripts/e2e.ts starts five) that each journey connects: a sandbox seller is one
 * Amazon account, which one app account at a time may hold, so each journey that syncs has its own
 * (connect-amazon.spec.ts uses the first three).
 */
export const SANDBOX_SELLER = { claims: 3, dashboard: 4 } as const;

/** From the app's Connect Amazon link: consents on the sandbox's page as its `index`th seller. */
export async function connectSandboxSeller(page: Page, index: number): Promise<string> {
  await page.getByRole("link", { name: "Connect Amazon" }).click();
  await expect(page).toHaveURL(new RegExp(`^${process.env.E2E_SANDBOX_URL}/apps/authorize/consent\\?`));
  const select = page.locator("#selling_partner_id");
  const sellingPartnerId = (await select.locator("option").nth(index).getAttribute("value"))!;
  await select.selectOption({ index });
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page).toHaveURL(/\/dashboard\?connected=/);
  return sellingPartnerId;
}
