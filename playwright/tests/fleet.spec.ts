import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { BASE_URL } from "../playwright.config.ts";
import { signInAsOwner } from "./helpers.ts";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const AGENT_BIN = join(REPO, "agent/src/bin/cenvero-str-agent.ts");
const NODE_NAME = "e2e-node-1";

/** A real agent process with its own state, log, run and config directories and captured output. */
class AgentProcess {
  readonly root = mkdtempSync(join(tmpdir(), "stratum-e2e-agent-"));
  readonly logDir = join(this.root, "log");
  output = "";
  #process: ChildProcess | undefined;

  #env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      CENVERO_STR_STATE_DIR: join(this.root, "state"),
      CENVERO_STR_LOG_DIR: this.logDir,
      CENVERO_STR_RUN_DIR: join(this.root, "run"),
      CENVERO_STR_CONFIG_DIR: join(this.root, "config"),
    };
  }

  #spawn(args: string[]): ChildProcess {
    const child = spawn(process.execPath, ["--import", "tsx", AGENT_BIN, ...args], {
      cwd: REPO,
      env: this.#env(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    return child;
  }

  /** Runs `enroll` to completion; a failure shows the agent's own words. */
  async enroll(token: string): Promise<void> {
    const child = this.#spawn(["enroll", "--panel", BASE_URL, "--token", token, "--name", NODE_NAME]);
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code, `cenvero-str-agent enroll failed:\n${this.output}`).toBe(0);
  }

  run(): void {
    this.#process = this.#spawn(["run", "--simulate"]);
  }

  /** What the agent wrote to its log file and its terminal so far. */
  logs(): string {
    let file = "";
    try {
      file = readFileSync(join(this.logDir, "agent.log"), "utf8");
    } catch {
      // The log file appears with the first line the agent writes to it.
    }
    return `${file}\n${this.output}`;
  }

  async stop(): Promise<void> {
    const child = this.#process;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(child.pid, "SIGTERM");
    const stopped = await Promise.race([exited, new Promise((r) => setTimeout(() => r(false), 10_000))]);
    if (stopped === false) process.kill(child.pid, "SIGKILL");
  }
}

let agent: AgentProcess | undefined;

test.afterEach(async () => {
  await agent?.stop();
});

test("a node enrolled with a join token goes online and is revoked from the panel", async ({ page }) => {
  agent = new AgentProcess();
  let token = "";

  await test.step("the owner creates a join token on the Enroll page", async () => {
    await signInAsOwner(page);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Nodes" }).click();
    await page.getByRole("link", { name: "Enroll nodes" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Enroll nodes" })).toBeVisible();

    const form = page.getByRole("form", { name: "New join token" });
    await form.getByLabel("Description").fill("End-to-end rack");
    await form.getByLabel("Labels").fill("rack");
    await form.getByRole("button", { name: "Create join token" }).click();
    await expect(form.getByText("Line 1 is not key=value")).toBeVisible();

    await form.getByLabel("Labels").fill("rack=e2e\nzone=test-1");
    await form.getByLabel("Maximum uses").fill("1");
    await form.getByRole("button", { name: "Create join token" }).click();

    const created = page.getByRole("region", { name: /Join token “End-to-end rack” created/ });
    await expect(created).toContainText("will not be shown again");
    token = await created.getByRole("textbox", { name: "Join token" }).inputValue();
    expect(token).toMatch(/^stj_[A-Za-z0-9_-]{43}$/);
    await expect(created.getByRole("textbox", { name: "Install command" })).toHaveValue(
      new RegExp(`--token ${token}`),
    );
    await expect(
      page
        .getByRole("table", { name: "Join tokens" })
        .getByRole("row")
        .filter({ hasText: "End-to-end rack" }),
    ).toContainText("active");
  });

  await test.step("a real agent enrolls with it and shows online within 5 s", async () => {
    await agent?.enroll(token);
    await page.goto(`/nodes?q=${NODE_NAME}`);
    const row = page.getByRole("table", { name: "Nodes" }).getByRole("row").filter({ hasText: NODE_NAME });
    await expect(row).toContainText("offline");
    agent?.run();
    await expect(row).toContainText("online", { timeout: 5_000 });
    await expect(row).toContainText("rack=e2e");
  });

  await test.step("the owner revokes it with a reason", async () => {
    await page.getByRole("link", { name: NODE_NAME }).click();
    await expect(page.getByRole("heading", { level: 1, name: NODE_NAME })).toBeVisible();
    await expect(page.getByRole("table", { name: "Connection history" })).toContainText("Connected");
    await page.getByRole("button", { name: "Revoke", exact: true }).click();
    const dialog = page.getByRole("alertdialog", { name: "Revoke node" });
    await dialog.getByRole("button", { name: "Revoke node" }).click();
    await expect(dialog.getByText("Say why the node is revoked.")).toBeVisible();
    await dialog.getByLabel("Reason").fill("end-to-end test decommission");
    await dialog.getByRole("button", { name: "Revoke node" }).click();
    await expect(dialog).toBeHidden();
    await expect(
      page.getByRole("status").filter({ hasText: "The hub refuses this node's key" }),
    ).toBeVisible();
    await expect(page.getByRole("button", { name: "Revoke", exact: true })).toHaveCount(0);
    await expect(page.getByRole("table", { name: "Connection history" })).toContainText(
      "end-to-end test decommission",
    );
  });

  await test.step("the node list shows it revoked", async () => {
    await page.getByRole("link", { name: "All nodes" }).click();
    const row = page.getByRole("table", { name: "Nodes" }).getByRole("row").filter({ hasText: NODE_NAME });
    await expect(row).toContainText("revoked");
  });

  await test.step("the agent logs the rejection", async () => {
    await expect.poll(() => agent?.logs() ?? "").toMatch(/hub rejected this node: node revoked/);
  });
});
