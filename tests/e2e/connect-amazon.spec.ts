import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import pg from "pg";

test("a seller connects Amazon on the sandbox consent page and the sync trigger reaches the runner", async ({ page }) => {
  const email = `connect-${randomUUID()}@example.test`;
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("connect password 2026");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  await page.getByRole("link", { name: "Connect Amazon" }).click();
  // Amazon's (the sandbox's) consent page, on its own origin.
  await expect(page).toHaveURL(new RegExp(`^${process.env.E2E_SANDBOX_URL}/apps/authorize/consent\\?`));
  await expect(page.getByRole("heading", { name: /Authorize/ })).toBeVisible();
  const sellingPartnerId = await page.locator("#selling_partner_id").inputValue();
  await page.getByRole("button", { name: "Confirm" }).click();

  await expect(page).toHaveURL(/\/dashboard\?connected=/);
  await expect(page.getByRole("status")).toContainText("Amazon account connected");
  await expect(page.getByTestId("seller-connection")).toContainText(sellingPartnerId);

  // The embedded runner stored the amazon/connected event and ran the function it triggers.
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    await expect
      .poll(
        async () => {
          const { rows } = await client.query<{ status: string }>(
            `SELECT r.status FROM runner_run r JOIN runner_event e ON e.id = r.event_id
             WHERE e.name = 'amazon/connected' AND e.payload->'data'->>'userId' = (SELECT id FROM "User" WHERE email = $1)`,
            [email],
          );
          return rows.map((row) => row.status);
        },
        { timeout: 30_000 },
      )
      .toContain("completed");
  } finally {
    await client.end();
  }
});

test("a seller disconnects after confirming, and chooses to keep the data", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Email").fill(`disconnect-${randomUUID()}@example.test`);
  await page.getByLabel("Password").fill("disconnect password 2026");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByRole("link", { name: "Connect Amazon" }).click();
  await page.locator("#selling_partner_id").selectOption({ index: 2 });
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByTestId("seller-connection")).toHaveCount(1);

  // The page may still be hydrating right after the redirect (a click before that does nothing).
  const dialog = page.getByRole("dialog");
  await expect(async () => {
    await page.getByRole("button", { name: "Disconnect" }).click();
    await expect(dialog).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await expect(dialog).toContainText("Syncing stops and the Amazon token is erased");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("seller-connection")).toHaveCount(1);

  await page.getByRole("button", { name: "Disconnect" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Confirm disconnect" }).click();
  await expect(page.getByRole("heading", { name: "Connect your Amazon seller account" })).toBeVisible();
});

test("a seller who cancels on the consent page sees why and nothing is connected", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Email").fill(`cancel-${randomUUID()}@example.test`);
  await page.getByLabel("Password").fill("cancel password 2026");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByRole("link", { name: "Connect Amazon" }).click();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("heading", { name: "Connection cancelled" })).toBeVisible();
  await page.goto("/dashboard");
  await expect(page.getByRole("heading", { name: "Connect your Amazon seller account" })).toBeVisible();
});

test("a forged selling_partner_id neither displaces nor locks out the real owner, and the forger is told nothing", async ({ browser }) => {
  const signUp = async (prefix: string) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto("/signup");
    await page.getByLabel("Email").fill(`${prefix}-${randomUUID()}@example.test`);
    await page.getByLabel("Password").fill(`${prefix} password 2026`);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    return { context, page };
  };
  // The real owner of the sandbox's third seller (B; the disconnect test above released it).
  const owner = await signUp("owner");
  await owner.page.getByRole("link", { name: "Connect Amazon" }).click();
  const b = await owner.page.locator("#selling_partner_id option").nth(2).getAttribute("value");
  await owner.page.locator("#selling_partner_id").selectOption({ index: 2 });
  await owner.page.getByRole("button", { name: "Confirm" }).click();
  await expect(owner.page).toHaveURL(/\/dashboard\?connected=/);
  await expect(owner.page.getByTestId("seller-connection")).toContainText(b!);

  // The forger consents as their own seller (the second) and rewrites the redirect to name B.
  const forger = await signUp("forger");
  await forger.page.route("**/api/amazon/callback?**", async (route) => {
    const url = new URL(route.request().url());
    url.searchParams.set("selling_partner_id", b!);
    await route.continue({ url: url.toString() });
  });
  await forger.page.getByRole("link", { name: "Connect Amazon" }).click();
  await forger.page.locator("#selling_partner_id").selectOption({ index: 1 });
  await forger.page.getByRole("button", { name: "Confirm" }).click();
  // The same answer as for any seller nobody has connected: their own connection, under the label they wrote.
  await expect(forger.page).toHaveURL(/\/dashboard\?connected=/);
  await expect(forger.page.getByTestId("seller-connection")).toHaveCount(1);

  // The owner still has B, and connecting it again goes through.
  await owner.page.goto("/dashboard");
  await expect(owner.page.getByTestId("seller-connection")).toHaveCount(1);
  await owner.page.getByRole("link", { name: "Connect Amazon" }).click();
  await owner.page.locator("#selling_partner_id").selectOption({ index: 2 });
  await owner.page.getByRole("button", { name: "Confirm" }).click();
  await expect(owner.page).toHaveURL(/\/dashboard\?connected=/);
  await expect(owner.page.getByTestId("seller-connection")).toHaveCount(1);

  // Release the forger's own seller (the operator test connects it).
  await forger.page.getByRole("button", { name: "Disconnect" }).click();
  await forger.page.getByRole("dialog").getByRole("button", { name: "Confirm disconnect" }).click();
  await expect(forger.page.getByRole("heading", { name: "Connect your Amazon seller account" })).toBeVisible();
  await owner.context.close();
  await forger.context.close();
});
