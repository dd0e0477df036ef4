import { expect, test, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";

async function signUp(page: Page, email: string) {
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("operator password 2026");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

test("an operator sees the run that connecting Amazon started, with its steps", async ({ page }) => {
  // The e2e stack names this email in OPERATOR_EMAILS; each e2e run starts with an empty database.
  await signUp(page, "operator@e2e.test");
  await page.getByRole("link", { name: "Connect Amazon" }).click();
  const sellingPartnerId = (await page.locator("#selling_partner_id option").nth(1).getAttribute("value"))!;
  await page.locator("#selling_partner_id").selectOption({ index: 1 });
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page).toHaveURL(/\/dashboard\?connected=/);

  await page.getByRole("link", { name: "Runs" }).click();
  await expect(page).toHaveURL(/\/runs$/);
  // Only on-amazon-connected runs (the page's function filter): the journeys' syncs and detections
  // start enough runs to push the other tenants' connects off the first page.
  const functionId = (await page.locator('select[name="function"] option').filter({ hasText: "on-amazon-connected" }).first().getAttribute("value"))!;
  await page.goto(`/runs?function=${encodeURIComponent(functionId)}`);
  // Runs of every tenant are listed, each with its seller and user: pick this operator's own.
  const row = page.getByTestId("run-row").filter({ hasText: "on-amazon-connected" }).filter({ hasText: sellingPartnerId }).first();
  await expect(async () => {
    await page.reload();
    await expect(row).toContainText("completed", { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(row).toContainText("amazon/connected");
  await expect(row.getByTestId("run-tenant")).toContainText(sellingPartnerId);
  await expect(row.getByTestId("run-tenant")).toContainText("operator@e2e.test");
  // Another tenant's run (the connect test's seller) names its own user, not the operator.
  // (A run whose account was deleted since, by account.spec.ts, has no tenant left to name.)
  const others = page
    .getByTestId("run-row")
    .filter({ hasText: "on-amazon-connected" })
    .filter({ hasNotText: sellingPartnerId })
    .filter({ has: page.getByTestId("run-tenant") });
  await expect(others.first().getByTestId("run-tenant")).toContainText(/@example\.test/);

  await row.getByRole("link").click();
  await expect(page).toHaveURL(/\/runs\/[0-9A-Z]{26}$/);
  await expect(page.getByText(/request-sync:/).first()).toBeVisible();
  await expect(page.getByTestId("run-tenant")).toContainText(sellingPartnerId);
  await expect(page.getByTestId("run-tenant")).toContainText("operator@e2e.test");
});

test("a seller who is not an operator gets no runs page and no runs API", async ({ page }) => {
  await signUp(page, `seller-${randomUUID()}@example.test`);
  await expect(page.getByRole("link", { name: "Runs" })).toHaveCount(0);
  expect((await page.goto("/runs"))?.status()).toBe(404);
  const api = await page.request.get("/api/runs");
  expect(api.status()).toBe(404);
});
