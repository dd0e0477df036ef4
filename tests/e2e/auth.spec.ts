import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";

test("a seller signs up, signs out, signs in and sees the empty dashboard with Connect Amazon", async ({ page }) => {
  const email = `e2e-${randomUUID()}@example.test`;
  const password = "e2e password 2026";

  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fdashboard/);

  await page.getByRole("link", { name: "Create an account" }).click();
  // The link navigates on the client: fill the sign-up form only once it is the page shown.
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("form-error")).toContainText("password: must be at least 10 characters");

  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("user-email")).toHaveText(email);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/signin/);

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not the password 1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("form-error")).toHaveText("Wrong email or password.");

  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: "Connect your Amazon seller account" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Connect Amazon" })).toHaveAttribute("href", "/api/amazon/connect");
});

test("a signed-out visitor of a protected page returns to it after signing in", async ({ page }) => {
  const email = `return-${randomUUID()}@example.test`;
  const password = "return password 2026";
  const response = await page.request.post("/api/auth/signup", { data: { email, password } });
  expect(response.status()).toBe(201);
  await page.goto("/connect-amazon?result=cancelled");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fconnect-amazon%3Fresult%3Dcancelled/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/connect-amazon\?result=cancelled$/);
  await expect(page.getByRole("heading", { name: "Connection cancelled" })).toBeVisible();
});

test("API routes behind sign-in answer 401 JSON, not a redirect", async ({ request }) => {
  const response = await request.get("/api/amazon/connections", { maxRedirects: 0 });
  expect(response.status()).toBe(401);
  expect(await response.json()).toEqual({ error: { code: "unauthorized", message: "Sign in to continue." } });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("sign-up, sign-out and sign-in post their forms and never put the password in a URL", async ({ page }) => {
    const email = `nojs-${randomUUID()}@example.test`;
    const password = "no script password 2026";
    const urls: string[] = [];
    page.on("request", (request) => urls.push(request.url()));

    await page.goto("/signup");
    await expect(page.locator("form")).toHaveAttribute("method", /^post$/i);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("user-email")).toHaveText(email);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin$/);

    await page.goto("/signin?callbackUrl=%2Fconnect-amazon%3Fresult%3Dcancelled");
    await expect(page.locator("form")).toHaveAttribute("method", /^post$/i);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("wrong no script 1");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("form-error")).toHaveText("Wrong email or password.");
    await expect(page.getByLabel("Email")).toHaveValue(email);

    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/connect-amazon\?result=cancelled$/);
    await expect(page.getByRole("heading", { name: "Connection cancelled" })).toBeVisible();

    const secrets = [password, "wrong no script 1"].flatMap((secret) => [secret, encodeURIComponent(secret), secret.replace(/ /g, "+")]);
    expect(urls.filter((url) => secrets.some((secret) => url.includes(secret)))).toEqual([]);
    expect(urls.some((url) => /[?&]password=/.test(url))).toBe(false);
  });
});

test("a copied session cookie stops working once its session signs out", async ({ page, browser }) => {
  const email = `copied-${randomUUID()}@example.test`;
  const password = "copied cookie password 1";
  expect((await page.request.post("/api/auth/signup", { data: { email, password } })).status()).toBe(201);
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  const cookies = await page.context().cookies();
  const session = cookies.find((cookie) => cookie.name.endsWith("next-auth.session-token"));
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: true, name: "__Secure-next-auth.session-token" });
  const thief = await browser.newContext();
  await thief.addCookies([session!]);
  const thiefPage = await thief.newPage();
  await thiefPage.goto("/dashboard");
  await expect(thiefPage.getByTestId("user-email")).toHaveText(email);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await thiefPage.goto("/dashboard");
  await expect(thiefPage).toHaveURL(/\/signin/);
  await thief.close();
});
