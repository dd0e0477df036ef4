import { expect, test, type Page } from "@playwright/test";
import { createAccount, newestMail, withDatabase } from "./support/accounts";

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a seller changes the password from the Account page, then signs in with the new one", async ({ page, browser }) => {
  const oldPassword = "account old password 1";
  const newPassword = "account new password 2";
  const { email } = await createAccount("change", oldPassword);
  await signIn(page, email, oldPassword);
  await expect(page).toHaveURL(/\/dashboard$/);

  // A second device signed in with the same account.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, email, oldPassword);
  await expect(otherPage).toHaveURL(/\/dashboard$/);

  await page.getByRole("link", { name: "Account" }).click();
  await expect(page.getByRole("heading", { name: "Account", exact: true })).toBeVisible();
  const form = page.getByRole("form", { name: "Change password" });
  await form.getByLabel("Current password").fill(oldPassword);
  await form.getByLabel("New password").fill(newPassword);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByTestId("form-message")).toHaveText("Password changed. Every other device was signed out.");

  // This browser stays signed in; the other device is signed out.
  await page.goto("/dashboard");
  await expect(page.getByTestId("user-email")).toHaveText(email);
  await otherPage.goto("/dashboard");
  await expect(otherPage).toHaveURL(/\/signin/);
  await other.close();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await signIn(page, email, newPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("a seller who forgot the password resets it with the emailed link, once", async ({ page }) => {
  const { email } = await createAccount("reset", "forgotten password 1");
  await page.goto("/signin");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page).toHaveURL(/\/reset-password$/);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  await expect(page.getByTestId("form-message")).toContainText("If an account exists for that email");

  let mail: { subject: string; text: string } | undefined;
  await expect.poll(async () => (mail = await newestMail(email)), { timeout: 15_000 }).toBeDefined();
  const link = /https?:\/\/\S+/.exec(mail!.text)![0];
  expect(new URL(link).pathname).toBe("/reset-password");

  await page.goto(link);
  await page.getByLabel("New password").fill("remembered password 2");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/signin\?reset=1$/);
  await expect(page.getByTestId("form-message")).toHaveText("Your password was changed. Sign in with the new one.");

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill("remembered password 2");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  // The link works once.
  await page.goto(link);
  await page.getByLabel("New password").fill("third password 333");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByTestId("form-error")).toContainText("invalid, already used or expired");
});

test("a seller deletes the account, and its seller connections go with it", async ({ page }) => {
  const password = "delete me password 1";
  const { id, email } = await createAccount("delete", password);
  const connectionId = `e2econn${id}`;
  await withDatabase((client) =>
    client.query(
      `INSERT INTO "SellerConnection" ("id", "userId", "sellingPartnerId", "region", "marketplaceIds", "updatedAt") VALUES ($1, $2, $3, 'NA', ARRAY['ATVPDKIKX0DER'], now())`,
      [connectionId, id, `A${id.slice(3, 13).toUpperCase()}`],
    ),
  );
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/account");
  const form = page.getByRole("form", { name: "Delete account" });
  await form.getByLabel("Your password").fill(password);
  await form.getByLabel("Type DELETE to confirm").fill("delete");
  await form.getByRole("button", { name: "Delete my account and its data" }).click();
  await expect(form.getByTestId("form-error")).toHaveText("confirm: must be the word DELETE");

  await form.getByLabel("Your password").fill(password);
  await form.getByLabel("Type DELETE to confirm").fill("DELETE");
  await form.getByRole("button", { name: "Delete my account and its data" }).click();
  await expect(page).toHaveURL(/\/signin\?deleted=1$/);
  await expect(page.getByTestId("form-message")).toHaveText("Your account and all its data were deleted.");

  const left = await withDatabase(async (client) => ({
    users: (await client.query(`SELECT 1 FROM "User" WHERE "id" = $1`, [id])).rowCount,
    connections: (await client.query(`SELECT 1 FROM "SellerConnection" WHERE "id" = $1`, [connectionId])).rowCount,
    sessions: (await client.query(`SELECT 1 FROM "UserSession" WHERE "userId" = $1`, [id])).rowCount,
  }));
  expect(left).toEqual({ users: 0, connections: 0, sessions: 0 });
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/signin/);
});
