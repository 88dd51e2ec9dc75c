import { hashPassword, passwordProblem, ZNewPassword } from "@stratum/api/auth/password";
import { openDatabase } from "@stratum/db";
import { recordAudit } from "@stratum/db/audit";
import { Command } from "commander";
import type { Io } from "../io.ts";

export function usersCommand(io: Io): Command {
  const users = new Command("users").description("Operator accounts");
  users
    .command("list")
    .description("List operator accounts")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const db = await openDatabase();
      try {
        const rows = await db.prisma.user.findMany({ orderBy: { email: "asc" } });
        const list = rows.map((u) => ({
          email: u.email,
          name: u.name,
          role: u.role,
          disabled: u.disabledAt !== null,
        }));
        if (options.json) io.out(`${JSON.stringify(list)}\n`);
        else
          for (const u of list)
            io.out(
              `${u.email.padEnd(36)} ${u.role.padEnd(9)} ${u.disabled ? "disabled" : "active"}  ${u.name}\n`,
            );
      } finally {
        await db.close();
      }
    });
  users
    .command("reset-password")
    .description("Set a new password (read from standard input) and end the account's sessions")
    .requiredOption("--email <email>", "the account's email")
    .action(async (options: { email: string }) => {
      const email = options.email.trim().toLowerCase();
      const password = (await io.readStdin()).replace(/\r?\n$/, "");
      const parsed = ZNewPassword.safeParse(password);
      const problem = parsed.success ? passwordProblem(password, email) : parsed.error.issues[0]?.message;
      if (problem) throw new Error(problem);
      const db = await openDatabase();
      try {
        const user = await db.prisma.user.findUnique({ where: { email } });
        if (!user)
          throw new Error(`No account with email ${email}. List accounts with: stratum-admin users list`);
        const passwordHash = await hashPassword(password);
        await db.prisma.$transaction(async (tx) => {
          await tx.user.update({
            where: { id: user.id },
            data: { passwordHash, passwordChangedAt: new Date() },
          });
          await tx.session.deleteMany({ where: { userId: user.id } });
          await recordAudit(tx, null, undefined, {
            action: "user.password_reset",
            targetType: "user",
            targetId: user.id,
            summary: { email, via: "stratum-admin" },
          });
        });
        io.out(`Password of ${email} changed; its sessions were ended.\n`);
      } finally {
        await db.close();
      }
    });
  return users;
}
