import { z } from "zod";

const ZBool = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

const ZPanelEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default("0.0.0.0"),
  /** The address operators use to reach the panel, when it differs from the Host header (behind a proxy). */
  STRATUM_PUBLIC_URL: z
    .url("STRATUM_PUBLIC_URL must be an absolute URL such as https://stratum.example.com")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  STRATUM_TRUST_PROXY: ZBool,
  /** Also write the first-run setup code to this file (mode 0600), for automation that cannot read logs. */
  STRATUM_SETUP_CODE_FILE: z.string().trim().min(1).optional(),
  /** A node silent this long is shown offline and its socket closed. */
  STRATUM_OFFLINE_AFTER_SECONDS: z.coerce.number().int().min(5).max(3600).default(30),
  /** Simulated agents `npm start` runs on the embedded database (none with DATABASE_URL). */
  STRATUM_DEMO_AGENTS: z.coerce.number().int().min(0).max(50).default(3),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type TPanelEnv = z.infer<typeof ZPanelEnv>;

export function readPanelEnv(source: Record<string, string | undefined> = process.env): TPanelEnv {
  const parsed = ZPanelEnv.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid panel configuration: ${problems}`);
  }
  return parsed.data;
}
