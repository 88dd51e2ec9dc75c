import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateSigningKey, initialTrustSet, publicJwkOf } from "@stratum/shub";
import { Command } from "commander";
import type { Io } from "../io.ts";

export function keysCommand(io: Io): Command {
  const keys = new Command("keys").description("Ed25519 keys that sign node configs (.shub)");
  keys
    .command("generate")
    .description("Create a signing key (signing.jwk, private) and the trust set agents need (trust.json)")
    .requiredOption("--out <dir>", "directory to write signing.jwk and trust.json into")
    .action(async (options: { out: string }) => {
      const key = await generateSigningKey();
      await mkdir(options.out, { recursive: true, mode: 0o700 });
      const keyPath = join(options.out, "signing.jwk");
      const trustPath = join(options.out, "trust.json");
      // "wx": an existing key may be the only copy of the one every node trusts, so it is never replaced.
      try {
        await writeFile(keyPath, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600, flag: "wx" });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") {
          throw new Error(
            `${keyPath} already exists; choose an empty directory (an existing key is never overwritten)`,
          );
        }
        throw error;
      }
      await writeFile(trustPath, `${JSON.stringify(initialTrustSet(publicJwkOf(key)), null, 2)}\n`, {
        flag: "wx",
      });
      io.out(
        `Key ${key.kid}\n  private  ${keyPath} (mode 0600; keep it secret)\n  trust    ${trustPath} (give to agents)\n`,
      );
    });
  return keys;
}
