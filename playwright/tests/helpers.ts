import { readFileSync } from "node:fs";
import { expect, type Page } from "@playwright/test";
import { SETUP_CODE_FILE } from "../playwright.config.ts";

export interface Account {
  name: string;
  email: string;
  password: string;
}

export const owner: Account = {
  name: "Olive Owner",
  email: "owner@stratum.test",
  password: "granite-ridge-4412",
};
export const operator: Account = {
  name: "Oscar Operator",
  email: "operator@stratum.test",
  password: "basalt-canyon-9087",
};

/** The code the panel wrote at start; the file appears once the server is listening. */
export async function setupCode(): Promise<string> {
  let code = "";
  await expect
    .poll(() => {
      try {
        code = readFileSync(SETUP_CODE_FILE, "utf8").trim();
      } catch {
        code = "";
      }
      return code;
    })
    .not.toBe("");
  return code;
}

export async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
}

/**
 * Signs in as the owner on any installation the specs share: a fresh one is set up first, one that
 * another spec already set up is signed in to.
 */
export async function signInAsOwner(page: Page) {
  await page.goto("/");
  const setup = page.getByRole("heading", { name: "Set up Stratum" });
  const signInHeading = page.getByRole("heading", { name: "Sign in" });
  await expect(setup.or(signInHeading)).toBeVisible();
  if (await signInHeading.isVisible()) return signIn(page, owner);
  await page.getByLabel("Setup code").fill(await setupCode());
  await page.getByLabel("Your name").fill(owner.name);
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password").fill(owner.password);
  await page.getByRole("button", { name: "Create owner account" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
}
