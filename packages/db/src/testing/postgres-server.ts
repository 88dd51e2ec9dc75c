import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/** A throwaway PostgreSQL server on a free loopback port, for integration tests and benchmarks. */
export interface PostgresServer {
  url: string;
  port: number;
  /** Creates an empty database on this server and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

const BIN_DIRS = ["/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"];

function findBinary(name: string): string {
  for (const dir of BIN_DIRS) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync("which", [name], { encoding: "utf8" }).trim();
  } catch {
    throw new Error(
      `PostgreSQL's ${name} was not found. Install the server (apt-get install -y postgresql) to run the PostgreSQL tests.`,
    );
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

// PostgreSQL refuses to run as root; as root, run it as the distribution's postgres user.
function runAsUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      "Running as root needs the 'postgres' system user (created by apt-get install postgresql).",
    );
  }
}

async function waitForReady(url: string, child: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}:\n${logs()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`postgres did not accept connections within 20 s:\n${logs()}`);
}

export async function startPostgres(): Promise<PostgresServer> {
  const initdb = findBinary("initdb");
  const postgres = findBinary("postgres");
  const user = runAsUser();
  const dir = mkdtempSync(join(tmpdir(), "stratum-pg-"));
  const dataDir = join(dir, "data");
  if (user) {
    chownSync(dir, user.uid, user.gid);
    chmodSync(dir, 0o700);
  }
  execFileSync(
    initdb,
    ["-D", dataDir, "-U", "stratum", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"],
    {
      stdio: "pipe",
      ...(user ?? {}),
    },
  );
  const port = await freePort();
  let output = "";
  const child = spawn(
    postgres,
    [
      "-D",
      dataDir,
      "-p",
      String(port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-k",
      dir,
      "-c",
      "fsync=off",
      "-c",
      "max_connections=200",
    ],
    { stdio: ["ignore", "pipe", "pipe"], ...(user ?? {}) },
  );
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const base = `postgresql://stratum@127.0.0.1:${port}`;
  const url = `${base}/postgres`;
  try {
    await waitForReady(url, child, () => output);
  } catch (error) {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    port,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return `${base}/${name}`;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGINT");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
