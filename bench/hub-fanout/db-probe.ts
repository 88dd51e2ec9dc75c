// Side-by-side probes behind the hub-fanout findings, on a throwaway PostgreSQL with N nodes:
//   1. the push query: Prisma findMany({id: {in: ids}}) as the hub does it, against one array
//      parameter (raw `id = ANY($1)`), timed and with this process's CPU;
//   2. the per-row work of a push (ZStoredTasks.safeParse + encodeFrame);
//   3. the per-hello queries (findUnique for the key, then findMany([id]) for desired) against one query;
//   4. the status writer's batched UPDATE racing bumpDesiredGeneration(tx, "all"): deadlocks with the
//      current statements and with both locking rows in id order first.
//   node --import tsx bench/hub-fanout/db-probe.ts [--nodes N] [--rounds R]
import { parseArgs } from "node:util";
import { openDatabase } from "@stratum/db";
import { runMigrations } from "@stratum/db/migrate";
import { startPostgres } from "@stratum/db/testing";
import { bumpDesiredGeneration } from "@stratum/fleet/nodes";
import { encodeFrame, ZTask } from "@stratum/protocol";
import { z } from "zod";

const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "10000" },
    rounds: { type: "string", default: "7" },
    only: { type: "string" },
  },
});
const N = Number(values.nodes);
const R = Number(values.rounds);
const out = (line: string) => process.stdout.write(`${line}\n`);
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(label: string, fn: () => Promise<unknown>, rounds = R): Promise<void> {
  const wall: number[] = [];
  const cpu: number[] = [];
  await fn(); // warm up
  for (let i = 0; i < rounds; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  out(
    `${label.padEnd(70)} median wall ${med(wall).toFixed(1)} ms, this process CPU ${med(cpu).toFixed(1)} ms`,
  );
}

const postgres = await startPostgres();
try {
  const url = await postgres.createDatabase("probe");
  const db = await openDatabase({ databaseUrl: url });
  await runMigrations(db.sql);
  await db.sql.withSession((s) =>
    s.exec(`INSERT INTO nodes (id, name, hostname, mode, public_key, key_thumbprint, facts)
      SELECT gen_random_uuid(), 'n' || i, 'h' || i, 'compute', '{"kty":"OKP","crv":"Ed25519","x":"x"}', md5(i::text),
        '{"cpus":1,"memoryBytes":0,"kernel":"k","interfaces":[]}' FROM generate_series(1, ${N}) AS i`),
  );
  const ids = (await db.prisma.node.findMany({ select: { id: true } })).map((r) => r.id);
  out(`${N} nodes; PostgreSQL ${postgres.url.replace(/\/\/[^@]*@/, "//")}`);
  const select = { id: true, desiredGeneration: true, desiredConfig: true, desiredTasks: true } as const;

  if (!values.only || values.only === "queries") await queries();
  if (!values.only || values.only === "deadlock") await deadlocks();
  if (!values.only || values.only === "hot") await hot();
  await db.close();

  async function queries(): Promise<void> {
    out("\n1. push query for all connected nodes");
    await timed("hub today: prisma.node.findMany({ where: { id: { in: ids } } })", () =>
      db.prisma.node.findMany({ where: { id: { in: ids } }, select }),
    );
    await timed(
      "one array parameter: $queryRaw ... WHERE id = ANY($ids::uuid[])",
      () =>
        db.prisma
          .$queryRaw`SELECT id, desired_generation, desired_config, desired_tasks FROM nodes WHERE id = ANY(${ids}::uuid[])`,
    );
    await timed("all, no id list: findMany({ where: { revokedAt: null } })", () =>
      db.prisma.node.findMany({ where: { revokedAt: null }, select }),
    );
    await timed("all, pg driver directly (no Prisma): SELECT ... WHERE revoked_at IS NULL", () =>
      db.sql.withSession((s) =>
        s.query(
          "SELECT id, desired_generation, desired_config, desired_tasks FROM nodes WHERE revoked_at IS NULL",
        ),
      ),
    );

    out("\n2. per-row work of a push (no sockets)");
    const rows = await db.prisma.node.findMany({ where: { id: { in: ids } }, select });
    const ZStoredTasks = z.array(ZTask);
    await timed(`ZStoredTasks.safeParse + encodeFrame x ${rows.length}`, async () => {
      for (const row of rows) {
        const tasks = ZStoredTasks.safeParse(row.desiredTasks);
        if (!tasks.success) continue;
        encodeFrame({
          type: "desired",
          generation: Number(row.desiredGeneration),
          config: row.desiredConfig,
          tasks: tasks.data,
        });
      }
    });

    out("\n3. database work per hello (sequential, 1000 hellos)");
    const sample = ids.slice(0, 1000);
    await timed(
      "hub today: findUnique(key) + findMany({id: {in: [id]}}) per hello",
      async () => {
        for (const id of sample) {
          await db.prisma.node.findUnique({ where: { id }, select: { publicKey: true, revokedAt: true } });
          await db.prisma.node.findMany({ where: { id: { in: [id] } }, select });
        }
      },
      3,
    );
    await timed(
      "one findUnique with key + desired columns per hello",
      async () => {
        for (const id of sample)
          await db.prisma.node.findUnique({
            where: { id },
            select: { publicKey: true, revokedAt: true, ...select },
          });
      },
      3,
    );
  }

  async function hot(): Promise<void> {
    out("\n5. the status writer's UPDATE of every node (last_seen_at + observed_generation), PostgreSQL CPU");
    const json = JSON.stringify(
      ids.map((id) => ({ id, last_seen_at: new Date().toISOString(), observed_generation: 2 })),
    );
    const update = () =>
      db.prisma.$executeRaw`UPDATE nodes AS n SET last_seen_at = GREATEST(n.last_seen_at, v.last_seen_at),
        observed_generation = COALESCE(v.observed_generation, n.observed_generation)
        FROM jsonb_to_recordset(${json}::jsonb) AS v(id uuid, last_seen_at timestamptz, observed_generation bigint)
        WHERE n.id = v.id`;
    const hotCount = async () =>
      (
        await db.sql.withSession((s) =>
          s.query<{ hot: string; all: string }>(
            "SELECT n_tup_hot_upd AS hot, n_tup_upd AS all FROM pg_stat_user_tables WHERE relname = 'nodes'",
          ),
        )
      )[0];
    await timed("with the index on last_seen_at (schema today)", update, 5);
    await new Promise((r) => setTimeout(r, 600));
    out(`  pg_stat_user_tables: ${JSON.stringify(await hotCount())} (HOT updates / all updates so far)`);
    await db.sql.withSession(async (s) => {
      await s.exec("DROP INDEX IF EXISTS nodes_last_seen_at_idx");
      await s.exec("VACUUM nodes");
    });
    await timed("without it", update, 5);
    await new Promise((r) => setTimeout(r, 600));
    out(`  pg_stat_user_tables: ${JSON.stringify(await hotCount())}`);
    await db.sql.withSession(async (s) => {
      await s.exec("ALTER TABLE nodes SET (fillfactor = 50)");
      await s.exec("VACUUM FULL nodes");
    });
    await timed("without it and with fillfactor 50 (room for HOT updates)", update, 5);
    await new Promise((r) => setTimeout(r, 600));
    out(`  pg_stat_user_tables: ${JSON.stringify(await hotCount())}`);
  }

  async function deadlocks(): Promise<void> {
    out(
      "\n4. status writer UPDATE (all nodes, as the hub batches them) racing bumpDesiredGeneration(tx, 'all')",
    );
    const statusJson = () =>
      JSON.stringify(
        [...ids]
          .sort(() => Math.random() - 0.5)
          .map((id) => ({ id, last_seen_at: new Date().toISOString(), observed_generation: 1 })),
      );
    const writerToday = (json: string) =>
      db.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`UPDATE nodes AS n SET last_seen_at = GREATEST(n.last_seen_at, v.last_seen_at),
        observed_generation = COALESCE(v.observed_generation, n.observed_generation)
        FROM jsonb_to_recordset(${json}::jsonb) AS v(id uuid, last_seen_at timestamptz, observed_generation bigint)
        WHERE n.id = v.id`;
        await tx.$executeRaw`SELECT pg_notify('probe', 'x')`;
      });
    const writerOrdered = (json: string) =>
      db.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT 1 FROM nodes WHERE id IN (SELECT (e->>'id')::uuid FROM jsonb_array_elements(${json}::jsonb) AS e) ORDER BY id FOR UPDATE`;
        await tx.$executeRaw`UPDATE nodes AS n SET last_seen_at = GREATEST(n.last_seen_at, v.last_seen_at),
        observed_generation = COALESCE(v.observed_generation, n.observed_generation)
        FROM jsonb_to_recordset(${json}::jsonb) AS v(id uuid, last_seen_at timestamptz, observed_generation bigint)
        WHERE n.id = v.id`;
        await tx.$executeRaw`SELECT pg_notify('probe', 'x')`;
      });
    const bumpOrdered = () =>
      db.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`UPDATE nodes SET desired_generation = desired_generation + 1
        WHERE id IN (SELECT id FROM nodes WHERE revoked_at IS NULL ORDER BY id FOR UPDATE)`;
        await tx.$executeRaw`SELECT pg_notify('stratum_probe', '{"all":true}')`;
      });
    const bumpToday = () => db.prisma.$transaction((tx) => bumpDesiredGeneration(tx, "all"));
    for (const [label, writer, bump] of [
      ["today (writer in hash-join order, bump in scan order)", writerToday, bumpToday],
      ["both lock in id order first", writerOrdered, bumpOrdered],
    ] as const) {
      let deadlocks = 0;
      let other = 0;
      let firstOther = "";
      const trials = 20;
      const wall: number[] = [];
      for (let i = 0; i < trials; i++) {
        const json = statusJson();
        const t0 = performance.now();
        const results = await Promise.allSettled([writer(json), bump(), writer(statusJson())]);
        wall.push(performance.now() - t0);
        for (const r of results)
          if (r.status === "rejected") {
            if (String(r.reason).includes("40P01") || String(r.reason).includes("deadlock")) deadlocks += 1;
            else {
              other += 1;
              firstOther ||= String(r.reason).replace(/\s+/g, " ").slice(0, 160);
            }
          }
      }
      out(
        `${label.padEnd(70)} ${deadlocks} deadlocks, ${other} other errors in ${trials} trials (2 writer tx + 1 bump each), median ${med(wall).toFixed(0)} ms${firstOther ? `; first other error: ${firstOther}` : ""}`,
      );
    }
  }
} finally {
  await postgres.stop();
}
