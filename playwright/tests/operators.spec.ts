import { expect, test } from "@playwright/test";
import { operator, owner, setupCode, signIn, signOut } from "./helpers.ts";

test("an owner sets up the panel, adds an operator, and the audit log shows it all", async ({
  page,
  context,
}) => {
  await test.step("a fresh install sends everyone to setup", async () => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/setup$/);
    await expect(page.getByRole("heading", { name: "Set up Stratum" })).toBeVisible();
  });

  await test.step("a wrong setup code is refused with a clear message", async () => {
    await page.getByLabel("Setup code").fill("AAAA-BBBB-CCCC");
    await page.getByLabel("Your name").fill(owner.name);
    await page.getByLabel("Email").fill(owner.email);
    await page.getByLabel("Password").fill(owner.password);
    await page.getByRole("button", { name: "Create owner account" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toContainText("The setup code is not correct");
    await expect(page).toHaveURL(/\/setup$/);
  });

  await test.step("the right code creates the owner and opens the dashboard", async () => {
    await page.getByLabel("Setup code").fill(await setupCode());
    await page.getByRole("button", { name: "Create owner account" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "No nodes yet" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Enroll your first node" })).toHaveAttribute(
      "href",
      "/nodes/enroll",
    );
    const user = page.getByRole("region", { name: "Signed-in user" });
    await expect(user).toContainText(owner.email);
    await expect(user).toContainText("owner");
  });

  await test.step("the owner creates an operator under Settings → Users", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
    await page
      .getByRole("navigation", { name: "Settings sections" })
      .getByRole("link", { name: "Users" })
      .click();
    await expect(page).toHaveURL(/\/settings\/users$/);
    await page.getByRole("button", { name: "Create user" }).click();
    const dialog = page.getByRole("dialog", { name: "Create user" });
    await dialog.getByLabel("Name").fill(operator.name);
    await dialog.getByLabel("Email").fill(operator.email);
    await dialog.getByLabel("Role").selectOption("operator");
    await dialog.getByLabel("Initial password").fill(operator.password);
    await dialog.getByRole("button", { name: "Create user" }).click();
    await expect(dialog).toBeHidden();
    const row = page
      .getByRole("table", { name: "Users" })
      .getByRole("row")
      .filter({ hasText: operator.email });
    await expect(row).toContainText("operator");
    await expect(row).toContainText("Active");
    await signOut(page);
  });

  await test.step("the operator signs in and cannot open user management", async () => {
    await signIn(page, operator);
    await page.goto("/settings/users");
    await expect(page.getByRole("heading", { name: "You need the admin role" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Users" })).toHaveCount(0);
    await expect(page.getByText(owner.email)).toHaveCount(0);
    await signOut(page);
  });

  await test.step("the owner finds every step in the audit log", async () => {
    await signIn(page, owner);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click();
    const events = page.getByRole("table", { name: "Audit events" });
    for (const action of ["setup.complete", "user.create", "auth.login", "auth.logout"]) {
      await expect(events.getByRole("cell", { name: action, exact: true }).first()).toBeVisible();
    }
    await expect(events.getByRole("row").filter({ hasText: "user.create" })).toContainText(operator.email);
  });

  await test.step("filters narrow the list", async () => {
    await page.getByLabel("Action starts with").fill("user.");
    await page.getByRole("button", { name: "Apply filters" }).click();
    const events = page.getByRole("table", { name: "Audit events" });
    await expect(events.getByRole("cell", { name: "auth.login", exact: true })).toHaveCount(0);
    await expect(events.getByRole("cell", { name: "user.create", exact: true })).toBeVisible();
    await page.getByRole("button", { name: "Reset" }).click();
    await expect(events.getByRole("cell", { name: "setup.complete", exact: true })).toBeVisible();
  });

  await test.step("a change made elsewhere appears without reloading", async () => {
    await expect(page.getByText("Live", { exact: true })).toBeVisible();
    const other = await context.newPage();
    await other.goto("/settings/users");
    await other.getByRole("button", { name: `Disable ${operator.email}` }).click();
    const confirm = other.getByRole("alertdialog", { name: "Disable account" });
    await confirm.getByRole("button", { name: "Disable account" }).click();
    await expect(confirm).toBeHidden();
    await other.close();
    const events = page.getByRole("table", { name: "Audit events" });
    await expect(events.getByRole("row").filter({ hasText: "user.update" })).toContainText("false → true");
  });
});
