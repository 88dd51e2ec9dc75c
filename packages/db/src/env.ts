import { resolve } from "node:path";
import { z } from "zod";

const ZDbEnv = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .min(1)
    .refine((v) => /^postgres(ql)?:\/\//.test(v), {
      message: "DATABASE_URL must be a postgres:// or postgresql:// URL",
    })
    .optional()
    .catch((ctx) => {
      if (ctx.value === "" || ctx.value === undefined) return undefined;
      throw new Error(`Invalid DATABASE_URL: ${ctx.issues[0]?.message ?? "unparseable"}`);
    }),
  STRATUM_DATA_DIR: z.string().trim().min(1).optional(),
  // npm sets INIT_CWD to the directory the user ran npm in, so `npm start` from the
  // repository root keeps its data there rather than inside the panel workspace.
  INIT_CWD: z.string().optional(),
});

export type TDbEnv = {
  databaseUrl: string | undefined;
  dataDir: string;
};

export function readDbEnv(source: NodeJS.ProcessEnv = process.env): TDbEnv {
  const env = ZDbEnv.parse(source);
  const base = env.INIT_CWD ?? process.cwd();
  return {
    databaseUrl: env.DATABASE_URL,
    dataDir: resolve(base, env.STRATUM_DATA_DIR ?? ".stratum/data"),
  };
}
